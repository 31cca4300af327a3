package org.voxmorph.model;

import java.util.Map;
import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.Preset;
import org.voxmorph.chain.StreamSpec;

/**
 * Times a model the way live mode runs it, for {@code bench --model ID}: a {@link ModelProcessor}
 * fed engine-sized blocks of a voiced test signal (a gliding harmonic tone, so the pitch tracker
 * does its full work), then the inference statistics.
 */
public final class ModelBench {

    /** What {@code bench --model ID --json} reports for the model. */
    public record Result(String model, String format, String provider, int sampleRate, int latencySamples,
            double audioMillisPerCall, int calls, double inferenceMsMedian, double inferenceMsP99, double realtimeFactor) {
    }

    private ModelBench() {
    }

    /**
     * @param blockFrames engine block size
     * @param seconds     audio to convert (at least enough for a few model calls)
     * @param params      other {@code model} processor parameters as a preset would give them,
     *                    e.g. {@code {"speaker": 1, "gpu": true, "blockMs": 320}}
     */
    public static Result run(String modelId, int sampleRate, int blockFrames, double seconds, Map<String, Object> params) {
        ModelProcessor p = new ModelProcessor();
        p.parameters().get("model").setText(modelId);
        params.forEach((name, value) -> Preset.apply(p.parameters().get(name), value));
        try {
            p.prepare(new StreamSpec(sampleRate, blockFrames));
            AudioBlock block = new AudioBlock(blockFrames);
            long total = (long) (seconds * sampleRate);
            double phase = 0;
            for (long done = 0; done < total; done += blockFrames) {
                float[] x = block.samples();
                for (int i = 0; i < blockFrames; i++) {
                    double t = (double) (done + i) / sampleRate;
                    double hz = 140 + 60 * Math.sin(2 * Math.PI * 0.5 * t);
                    phase += 2 * Math.PI * hz / sampleRate;
                    x[i] = (float) (0.3 * Math.sin(phase) + 0.1 * Math.sin(2 * phase) + 0.05 * Math.sin(3 * phase));
                }
                block.setFrames(blockFrames);
                p.process(block);
            }
            InferenceStats s = p.stats();
            return new Result(modelId, p.loadedPackage().format(), p.providerSummary(), sampleRate, p.latencySamples(),
                    s.audioMillisPerCall(), s.count(), s.medianMillis(), s.p99Millis(), s.realtimeFactor());
        } finally {
            p.close();
        }
    }
}
