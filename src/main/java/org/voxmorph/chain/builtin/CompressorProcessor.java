package org.voxmorph.chain.builtin;

import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.ParameterSet;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorFactory;
import org.voxmorph.chain.StreamSpec;
import org.voxmorph.dsp.Compressor;

/** Evens out loud and quiet words (the dense sound of a radio voice). */
public final class CompressorProcessor implements Processor {
    private final Parameter thresholdDb = Parameter.ofFloat("thresholdDb", -60, 0, -24, "dB");
    private final Parameter ratio = Parameter.ofFloat("ratio", 1, 20, 4, ":1");
    private final Parameter attackMs = Parameter.ofFloat("attackMs", 0.1, 200, 5, "ms");
    private final Parameter releaseMs = Parameter.ofFloat("releaseMs", 5, 2000, 100, "ms");
    private final Parameter makeupDb = Parameter.ofFloat("makeupDb", 0, 30, 6, "dB");
    private final ParameterSet parameters = new ParameterSet(thresholdDb, ratio, attackMs, releaseMs, makeupDb);
    private Compressor compressor;

    @Override
    public void prepare(StreamSpec spec) {
        parameters.prepare(spec.sampleRate());
        compressor = new Compressor(spec.sampleRate());
    }

    @Override
    public void process(AudioBlock block) {
        float[] x = block.samples();
        for (int i = 0, n = block.frames(); i < n; i++) {
            compressor.setThresholdDb(thresholdDb.next());
            compressor.setRatio(ratio.next());
            compressor.setAttackMs(attackMs.next());
            compressor.setReleaseMs(releaseMs.next());
            compressor.setMakeupDb(makeupDb.next());
            x[i] = (float) compressor.process(x[i]);
        }
    }

    @Override
    public void reset() {
        parameters.jumpToTargets();
        compressor.reset();
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
        @Override public String id() { return "compressor"; }
        @Override public String description() { return "Peak compressor: thresholdDb, ratio, attackMs, releaseMs, makeupDb"; }
        @Override public Processor create() { return new CompressorProcessor(); }
    }
}
