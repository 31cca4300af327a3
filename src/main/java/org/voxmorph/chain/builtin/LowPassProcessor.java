package org.voxmorph.chain.builtin;

import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorFactory;

/** Removes hiss and harshness above the cutoff (Butterworth, 12 or 24 dB per octave). */
public final class LowPassProcessor extends ButterworthProcessor {
    public LowPassProcessor() {
        super(false, Parameter.ofFloat("cutoffHz", 200, 20000, 8000, "Hz"));
    }

    public static final class Factory implements ProcessorFactory {
        @Override public String id() { return "low-pass"; }
        @Override public String description() { return "Butterworth low-pass (cutoffHz, 12 or 24 dB/octave)"; }
        @Override public Processor create() { return new LowPassProcessor(); }
    }
}
