package org.voxmorph.chain.builtin;

import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.ParameterSet;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorFactory;
import org.voxmorph.chain.StreamSpec;
import org.voxmorph.dsp.Saturator;

/** Soft-clip distortion; quiet signals pass at unity, peaks round off at -driveDb dBFS. */
public final class SaturatorProcessor implements Processor {
    private final Parameter driveDb = Parameter.ofFloat("driveDb", 0, 40, 12, "dB");
    private final Parameter mix = Parameter.ofFloat("mix", 0, 1, 1, "");
    private final ParameterSet parameters = new ParameterSet(driveDb, mix);
    private final Saturator saturator = new Saturator();

    @Override
    public void prepare(StreamSpec spec) {
        parameters.prepare(spec.sampleRate());
    }

    @Override
    public void process(AudioBlock block) {
        float[] x = block.samples();
        for (int i = 0, n = block.frames(); i < n; i++) {
            saturator.setDriveDb(driveDb.next());
            x[i] = (float) saturator.process(x[i], mix.next());
        }
    }

    @Override
    public void reset() {
        parameters.jumpToTargets();
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
        @Override public String id() { return "saturate"; }
        @Override public String description() { return "Soft-clip saturation: driveDb, mix"; }
        @Override public Processor create() { return new SaturatorProcessor(); }
    }
}
