package org.voxmorph.chain.builtin;

import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.ParameterSet;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorFactory;
import org.voxmorph.chain.StreamSpec;
import org.voxmorph.dsp.RingModulator;

/** Robot voice: the signal multiplied by a sine carrier. */
public final class RingModulatorProcessor implements Processor {
    private final Parameter frequencyHz = Parameter.ofFloat("frequencyHz", 1, 4000, 50, "Hz");
    private final Parameter mix = Parameter.ofFloat("mix", 0, 1, 1, "");
    private final ParameterSet parameters = new ParameterSet(frequencyHz, mix);
    private RingModulator modulator;

    @Override
    public void prepare(StreamSpec spec) {
        parameters.prepare(spec.sampleRate());
        modulator = new RingModulator(spec.sampleRate());
    }

    @Override
    public void process(AudioBlock block) {
        float[] x = block.samples();
        for (int i = 0, n = block.frames(); i < n; i++) {
            x[i] = (float) modulator.process(x[i], frequencyHz.next(), mix.next());
        }
    }

    @Override
    public void reset() {
        parameters.jumpToTargets();
        modulator.reset();
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
        @Override public String id() { return "ring-mod"; }
        @Override public String description() { return "Ring modulator (robot voice): frequencyHz, mix"; }
        @Override public Processor create() { return new RingModulatorProcessor(); }
    }
}
