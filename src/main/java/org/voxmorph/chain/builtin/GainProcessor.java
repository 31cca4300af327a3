package org.voxmorph.chain.builtin;

import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.ParameterSet;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorFactory;
import org.voxmorph.chain.StreamSpec;

/** Output level in dB, smoothed per sample. */
public final class GainProcessor implements Processor {
    private final Parameter gainDb = Parameter.ofFloat("gainDb", -60, 24, 0, "dB");
    private final ParameterSet parameters = new ParameterSet(gainDb);
    private double lastDb = Double.NaN;
    private float gain;

    @Override
    public void prepare(StreamSpec spec) {
        parameters.prepare(spec.sampleRate());
    }

    @Override
    public void process(AudioBlock block) {
        float[] x = block.samples();
        for (int i = 0, n = block.frames(); i < n; i++) {
            double db = gainDb.next();
            if (db != lastDb) {
                // pow only while the value glides: a steady gain costs one multiply per sample
                lastDb = db;
                gain = (float) Math.pow(10.0, db / 20.0);
            }
            x[i] *= gain;
        }
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
        @Override public String id() { return "gain"; }
        @Override public String description() { return "Output level in dB"; }
        @Override public Processor create() { return new GainProcessor(); }
    }
}
