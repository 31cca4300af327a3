package org.voxmorph.chain.builtin;

import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.ParameterSet;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorFactory;
import org.voxmorph.chain.StreamSpec;
import org.voxmorph.dsp.WatermarkCode;
import org.voxmorph.dsp.WatermarkEmbedder;

/**
 * Marks converted audio as "converted by Voxmorph", inaudibly and with no delay
 * ({@link WatermarkEmbedder}). The voice id is embedded only when set (it is -1, none, by default)
 * and is read when the processor is prepared: the id's carriers are built for it then.
 */
public final class WatermarkProcessor implements Processor {
    private final Parameter strengthDb = Parameter.ofFloat("strengthDb", -50, -15, -25, "dB");
    private final Parameter voiceId = Parameter.ofInt("voiceId", -1, WatermarkCode.MAX_VOICE_ID, -1, "");
    private final ParameterSet parameters = new ParameterSet(strengthDb, voiceId);
    private WatermarkEmbedder embedder;
    private double lastDb = Double.NaN;
    private double strength;

    @Override
    public void prepare(StreamSpec spec) {
        parameters.prepare(spec.sampleRate());
        embedder = new WatermarkEmbedder(spec.sampleRate(), voiceId.asInt());
    }

    @Override
    public void process(AudioBlock block) {
        float[] x = block.samples();
        for (int i = 0, n = block.frames(); i < n; i++) {
            double db = strengthDb.next();
            if (db != lastDb) {
                lastDb = db;
                strength = Math.pow(10, db / 20);
            }
            x[i] += (float) (strength * embedder.next(x[i]));
        }
    }

    @Override
    public void reset() {
        parameters.jumpToTargets();
        embedder.reset();
    }

    @Override
    public int latencySamples() {
        return 0;
    }

    @Override
    public ParameterSet parameters() {
        return parameters;
    }

    public static final class Factory implements ProcessorFactory {
        @Override public String id() { return "watermark"; }
        @Override public String description() { return "Inaudible \"converted by Voxmorph\" mark (voice id only if set)"; }
        @Override public Processor create() { return new WatermarkProcessor(); }
    }
}
