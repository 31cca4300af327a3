package org.voxmorph.chain.builtin;

import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.ParameterSet;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorFactory;
import org.voxmorph.chain.StreamSpec;
import org.voxmorph.dsp.PeakLimiter;

/**
 * The last stage of every chain: no output sample exceeds {@code ceilingDb} (and so never full
 * scale). {@code lookaheadMs} is read in {@code prepare}, because it sets the latency.
 */
public final class LimiterProcessor implements Processor {
    private final Parameter ceilingDb = Parameter.ofFloat("ceilingDb", -24, 0, -1, "dB");
    private final Parameter releaseMs = Parameter.ofFloat("releaseMs", 1, 1000, 50, "ms");
    private final Parameter lookaheadMs = Parameter.ofFloat("lookaheadMs", 0, 10, 1.5, "ms");
    private final ParameterSet parameters = new ParameterSet(ceilingDb, releaseMs, lookaheadMs);
    private PeakLimiter limiter;

    @Override
    public void prepare(StreamSpec spec) {
        parameters.prepare(spec.sampleRate());
        limiter = new PeakLimiter(spec.sampleRate(), spec.framesForMillis(lookaheadMs.target()));
    }

    @Override
    public void process(AudioBlock block) {
        float[] x = block.samples();
        for (int i = 0, n = block.frames(); i < n; i++) {
            limiter.setCeilingDb(ceilingDb.next());
            limiter.setReleaseMs(releaseMs.next());
            x[i] = limiter.process(x[i]);
        }
    }

    @Override
    public void reset() {
        parameters.jumpToTargets();
        limiter.reset();
    }

    @Override
    public int latencySamples() {
        return limiter.latencySamples();
    }

    @Override
    public ParameterSet parameters() {
        return parameters;
    }

    public static final class Factory implements ProcessorFactory {
        @Override public String id() { return "limiter"; }
        @Override public String description() { return "Lookahead peak limiter: nothing passes the ceiling"; }
        @Override public Processor create() { return new LimiterProcessor(); }
    }
}
