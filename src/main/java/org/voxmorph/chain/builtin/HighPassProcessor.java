package org.voxmorph.chain.builtin;

import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorFactory;

/** Removes rumble and plosive thumps below the cutoff (Butterworth, 12 or 24 dB per octave). */
public final class HighPassProcessor extends ButterworthProcessor {
    public HighPassProcessor() {
        super(true, Parameter.ofFloat("cutoffHz", 10, 4000, 80, "Hz"));
    }

    public static final class Factory implements ProcessorFactory {
        @Override public String id() { return "high-pass"; }
        @Override public String description() { return "Butterworth high-pass (cutoffHz, 12 or 24 dB/octave)"; }
        @Override public Processor create() { return new HighPassProcessor(); }
    }
}
