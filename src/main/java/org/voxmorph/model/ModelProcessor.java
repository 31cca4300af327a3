package org.voxmorph.model;

import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.ParameterSet;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorFactory;
import org.voxmorph.chain.StreamSpec;
import org.voxmorph.dsp.LoudnessMatcher;

/**
 * A neural voice from {@code models/<id>/}: a {@code voxmorph-stream} model stepped every hop, or
 * an RVC model on a sliding window joined with SOLA. Sessions are opened and warmed up in
 * {@link #prepare}; a model that cannot be loaded throws a one-line {@link ModelException} there.
 * One that throws or makes NaN/Inf while running is caught by the chain's slot, which says so in
 * one line and has the engine play its fill: never the unconverted voice.
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
    /** Bring the voice to the input's speech level (off only to see a graph's raw output). */
    private final Parameter matchLevel = Parameter.ofBool("matchLevel", true);
    private final ParameterSet parameters =
            new ParameterSet(model, speaker, pitch, blockMs, contextMs, lookaheadMs, crossfadeMs, gpu, matchLevel);
    private final InferenceStats stats = new InferenceStats();

    private ModelVoice voice;
    private ModelPackage loaded;
    /** Model voices come out at whatever level their training data had: bring them to the input's. */
    private LoudnessMatcher loudness;

    @Override
    public void prepare(StreamSpec spec) {
        close();
        parameters.prepare(spec.sampleRate());
        ModelPackage pkg = ModelPackage.read(ModelsFolder.of(model.text()));
        if (pkg.format().equals(ModelPackage.SPEAKER_ENCODER) || pkg.format().equals(ModelPackage.CONTENT)) {
            throw new ModelException(pkg.folder() + ": is a " + (pkg.format().equals(ModelPackage.CONTENT) ? "content" : "speaker")
                    + " encoder, not a voice; it cannot convert audio");
        }
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
        loudness = new LoudnessMatcher(spec.sampleRate());
        if (voice.gpuFallback() != null) {
            System.err.println("voxmorph: model " + pkg.id() + ": " + voice.gpuFallback());
        }
    }

    @Override
    public void process(AudioBlock block) {
        float[] x = block.samples();
        boolean match = matchLevel.target() >= 0.5;
        if (match) {
            loudness.measureInput(x, 0, block.frames());
        }
        voice.process(x, block.frames());
        for (int i = 0; i < block.frames(); i++) {
            if (!Float.isFinite(x[i])) {
                // Said here rather than by the slot so that the line names the model.
                throw new ModelException(loaded.id() + " (" + loaded.folder() + ") produced NaN or infinite samples");
            }
        }
        if (match) {
            loudness.apply(x, 0, block.frames());
        }
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
            loudness.reset();
        }
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
