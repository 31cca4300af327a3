package org.voxmorph.chain.builtin;

import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.ParameterSet;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorFactory;
import org.voxmorph.chain.StreamSpec;
import org.voxmorph.dsp.NoiseGate;

/** Silences background noise between words: a gate with hysteresis, hold and a soft floor. */
public final class NoiseGateProcessor implements Processor {
    private final Parameter thresholdDb = Parameter.ofFloat("thresholdDb", -90, 0, -45, "dB");
    private final Parameter hysteresisDb = Parameter.ofFloat("hysteresisDb", 0, 30, 6, "dB");
    private final Parameter holdMs = Parameter.ofFloat("holdMs", 0, 2000, 100, "ms");
    private final Parameter attackMs = Parameter.ofFloat("attackMs", 0.1, 100, 1, "ms");
    private final Parameter releaseMs = Parameter.ofFloat("releaseMs", 1, 2000, 80, "ms");
    private final Parameter floorDb = Parameter.ofFloat("floorDb", -90, 0, -60, "dB");
    private final ParameterSet parameters = new ParameterSet(thresholdDb, hysteresisDb, holdMs, attackMs, releaseMs, floorDb);
    private NoiseGate gate;

    @Override
    public void prepare(StreamSpec spec) {
        parameters.prepare(spec.sampleRate());
        gate = new NoiseGate(spec.sampleRate());
        reset();
    }

    @Override
    public void process(AudioBlock block) {
        float[] x = block.samples();
        for (int i = 0, n = block.frames(); i < n; i++) {
            gate.setThresholds(thresholdDb.next(), hysteresisDb.next());
            gate.setHoldMs(holdMs.next());
            gate.setAttackMs(attackMs.next());
            gate.setReleaseMs(releaseMs.next());
            gate.setFloorDb(floorDb.next());
            x[i] = (float) gate.process(x[i]);
        }
    }

    @Override
    public void reset() {
        parameters.jumpToTargets();
        gate.setFloorDb(floorDb.next());
        gate.reset();
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
        @Override public String id() { return "noise-gate"; }
        @Override public String description() { return "Mutes noise between words (threshold, hysteresis, hold, floor)"; }
        @Override public Processor create() { return new NoiseGateProcessor(); }
    }
}
