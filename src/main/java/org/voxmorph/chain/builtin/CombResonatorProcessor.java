package org.voxmorph.chain.builtin;

import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.ParameterSet;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorFactory;
import org.voxmorph.chain.StreamSpec;
import org.voxmorph.dsp.CombResonator;

/** Metallic ring: a short feedback comb resonating at 1000 / delayMs Hz. */
public final class CombResonatorProcessor implements Processor {
    private static final double MAX_DELAY_MS = 30;
    private final Parameter delayMs = Parameter.ofFloat("delayMs", 0.5, MAX_DELAY_MS, 5, "ms");
    private final Parameter feedback = Parameter.ofFloat("feedback", -0.95, 0.95, 0.6, "");
    private final Parameter mix = Parameter.ofFloat("mix", 0, 1, 0.5, "");
    private final ParameterSet parameters = new ParameterSet(delayMs, feedback, mix);
    private CombResonator comb;

    @Override
    public void prepare(StreamSpec spec) {
        parameters.prepare(spec.sampleRate());
        comb = new CombResonator(spec.sampleRate(), MAX_DELAY_MS);
    }

    @Override
    public void process(AudioBlock block) {
        float[] x = block.samples();
        for (int i = 0, n = block.frames(); i < n; i++) {
            x[i] = (float) comb.process(x[i], delayMs.next(), feedback.next(), mix.next());
        }
    }

    @Override
    public void reset() {
        parameters.jumpToTargets();
        comb.reset();
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
        @Override public String id() { return "comb"; }
        @Override public String description() { return "Metallic comb resonator: delayMs, feedback, mix"; }
        @Override public Processor create() { return new CombResonatorProcessor(); }
    }
}
