package org.voxmorph.chain.builtin;

import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.ParameterSet;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorFactory;
import org.voxmorph.chain.StreamSpec;
import org.voxmorph.dsp.ThreeBandEq;

/** Tone shaping: low shelf, one peaking band, high shelf. At 0 dB a band passes the signal unchanged. */
public final class EqualizerProcessor implements Processor {
    private final Parameter lowShelfHz = Parameter.ofFloat("lowShelfHz", 20, 1000, 200, "Hz");
    private final Parameter lowShelfDb = Parameter.ofFloat("lowShelfDb", -24, 24, 0, "dB");
    private final Parameter peakHz = Parameter.ofFloat("peakHz", 100, 10000, 1500, "Hz");
    private final Parameter peakDb = Parameter.ofFloat("peakDb", -24, 24, 0, "dB");
    private final Parameter peakQ = Parameter.ofFloat("peakQ", 0.2, 10, 1, "");
    private final Parameter highShelfHz = Parameter.ofFloat("highShelfHz", 1000, 16000, 6000, "Hz");
    private final Parameter highShelfDb = Parameter.ofFloat("highShelfDb", -24, 24, 0, "dB");
    private final ParameterSet parameters =
            new ParameterSet(lowShelfHz, lowShelfDb, peakHz, peakDb, peakQ, highShelfHz, highShelfDb);
    private ThreeBandEq eq;

    @Override
    public void prepare(StreamSpec spec) {
        parameters.prepare(spec.sampleRate());
        eq = new ThreeBandEq(spec.sampleRate());
    }

    @Override
    public void process(AudioBlock block) {
        float[] x = block.samples();
        for (int i = 0, n = block.frames(); i < n; i++) {
            eq.setLowShelf(lowShelfHz.next(), lowShelfDb.next());
            eq.setPeak(peakHz.next(), peakDb.next(), peakQ.next());
            eq.setHighShelf(highShelfHz.next(), highShelfDb.next());
            x[i] = (float) eq.process(x[i]);
        }
    }

    @Override
    public void reset() {
        parameters.jumpToTargets();
        eq.reset();
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
        @Override public String id() { return "eq"; }
        @Override public String description() { return "Three-band EQ: low shelf, peak, high shelf"; }
        @Override public Processor create() { return new EqualizerProcessor(); }
    }
}
