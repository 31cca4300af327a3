package org.voxmorph.chain.builtin;

import java.util.List;
import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.ParameterSet;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.StreamSpec;
import org.voxmorph.dsp.ButterworthFilter;

/** What the high-pass and low-pass processors share: a Butterworth filter with a gliding cutoff. */
abstract class ButterworthProcessor implements Processor {
    private final boolean highPass;
    private final Parameter cutoffHz;
    private final Parameter slope = Parameter.ofChoice("slopeDbPerOctave", List.of("12", "24"), "12");
    private final ParameterSet parameters;
    private ButterworthFilter filter;

    ButterworthProcessor(boolean highPass, Parameter cutoffHz) {
        this.highPass = highPass;
        this.cutoffHz = cutoffHz;
        this.parameters = new ParameterSet(cutoffHz, slope);
    }

    @Override
    public void prepare(StreamSpec spec) {
        parameters.prepare(spec.sampleRate());
        filter = new ButterworthFilter(highPass, spec.sampleRate(), cutoffHz.current(), order());
    }

    private int order() {
        return slope.asInt() == 1 ? 4 : 2; // choice index: "12" or "24"
    }

    @Override
    public void process(AudioBlock block) {
        float[] x = block.samples();
        for (int i = 0, n = block.frames(); i < n; i++) {
            double hz = cutoffHz.next();
            slope.next();
            filter.set(hz, order());
            x[i] = (float) filter.process(x[i]);
        }
    }

    @Override
    public void reset() {
        parameters.jumpToTargets();
        filter.reset();
    }

    @Override
    public int latencySamples() {
        return 0;
    }

    @Override
    public ParameterSet parameters() {
        return parameters;
    }
}
