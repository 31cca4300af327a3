package org.voxmorph.model;

import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.ParameterSet;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorFactory;
import org.voxmorph.chain.StreamSpec;

/**
 * A neural voice from {@code models/<id>/}: a {@code voxmorph-stream} model stepped every hop, or
 * an RVC model on a sliding window joined with SOLA. Sessions are opened and warmed up in
 * {@link #prepare}; a model that cannot be loaded throws a one-line {@link ModelException} there,
 * and the chain's slot passes audio through instead.
 *
 * <p>Inference runs inside {@link #process} on the engine worker when a hop (or block) completes.
 * If it is slower than real time the engine's late-block policy covers the gap; the device thread
 * never waits on it.
 */
public final class ModelProcessor implements Processor {
    private final Parameter model = Parameter.ofText("model", "");
    private final Parameter speaker = Parameter.ofInt("speaker", 0, 255, 0, "");
    private final Parameter pitch = Parameter.ofFloat("pitch", -24, 24, 0, "semitones");
    private final Parameter blockMs = Parameter.ofInt("blockMs", 20, 2000, 160, "ms");
    private final Parameter contextMs = Parameter.ofInt("contextMs", 0, 3000, 300, "ms");
    private final Parameter lookaheadMs = Parameter.ofInt("lookaheadMs", 20, 500, 60, "ms");
    private final Parameter crossfadeMs = Parameter.ofInt("crossfadeMs", 5, 200, 40, "ms");
    private final Parameter gpu = Parameter.ofBool("gpu", false);
    private final ParameterSet parameters =
            new ParameterSet(model, speaker, pitch, blockMs, contextMs, lookaheadMs, crossfadeMs, gpu);
    private final InferenceStats stats = new InferenceStats();

    private ModelVoice voice;
    private ModelPackage loaded;
    private volatile String runtimeFailure;
    private float[] dryDelay = new float[1];
    private int dryPos;

    @Override
    public void prepare(StreamSpec spec) {
        close();
        parameters.prepare(spec.sampleRate());
        ModelPackage pkg = ModelPackage.read(ModelsFolder.of(model.text()));
        int speakers = pkg.speakers().size();
        if (speaker.target() >= speakers) {
            throw new ModelException(pkg.folder() + ": has " + speakers + " speaker(s), numbered 0.." + (speakers - 1)
                    + ", not " + (int) speaker.target());
        }
        boolean useGpu = gpu.target() >= 0.5;
        stats.clear(); // warm-up calls are not recorded, so the statistics are the live calls only
        voice = pkg.format().equals(ModelPackage.FRAMES) ? new MatchingVoice(pkg, spec.sampleRate(), speaker, pitch)
                : pkg.format().equals(ModelPackage.STREAM)
                ? new StreamingVoice(pkg, spec.sampleRate(), useGpu, speaker, pitch, stats)
                : new RvcVoice(pkg, spec.sampleRate(), useGpu, speaker, pitch, blockMs.asInt(), contextMs.asInt(),
                        lookaheadMs.asInt(), crossfadeMs.asInt(), stats);
        loaded = pkg;
        runtimeFailure = null;
        dryDelay = new float[voice.latencySamples() + 1];
        dryPos = 0;
        if (voice.gpuFallback() != null) {
            System.err.println("voxmorph: model " + pkg.id() + ": " + voice.gpuFallback());
        }
    }

    @Override
    public void process(AudioBlock block) {
        if (runtimeFailure == null) {
            try {
                voice.process(block.samples(), block.frames());
                return;
            } catch (RuntimeException e) {
                // A model that fails mid-stream must not take the engine down: from here on the
                // input passes through, delayed like the model so the chain's timing holds.
                runtimeFailure = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
        }
        passThroughDelayed(block.samples(), block.frames());
    }

    private void passThroughDelayed(float[] x, int n) {
        int len = dryDelay.length;
        for (int i = 0; i < n; i++) {
            dryDelay[dryPos] = x[i];
            int read = dryPos + 1 == len ? 0 : dryPos + 1;
            x[i] = dryDelay[read];
            dryPos = read;
        }
    }

    /** Why inference stopped while running (audio passes through since), or null. */
    public String runtimeFailure() {
        return runtimeFailure;
    }

    @Override
    public int latencySamples() {
        return voice == null ? 0 : voice.latencySamples();
    }

    @Override
    public ParameterSet parameters() {
        return parameters;
    }

    @Override
    public void reset() {
        if (voice != null) {
            voice.reset();
        }
        java.util.Arrays.fill(dryDelay, 0f);
    }

    /** Timing of the inference calls so far: median, p99, real-time factor. */
    public InferenceStats stats() {
        return stats;
    }

    /** The package in use, or null before a successful prepare. */
    public ModelPackage loadedPackage() {
        return loaded;
    }

    /** Why the GPU was asked for but not used (one line), or null. */
    public String gpuFallback() {
        return voice == null ? null : voice.gpuFallback();
    }

    /** Where the sessions run ("stream.onnx on CPU", with the GPU fallback reason when there is one). */
    public String providerSummary() {
        return voice == null ? "not loaded" : voice.providerSummary();
    }

    @Override
    public void close() {
        if (voice != null) {
            voice.close();
            voice = null;
            loaded = null;
        }
    }

    public static final class Factory implements ProcessorFactory {
        @Override public String id() { return "model"; }
        @Override public String description() { return "Neural voice conversion with an ONNX model (voxmorph-stream or RVC)"; }
        @Override public Processor create() { return new ModelProcessor(); }
    }
}
