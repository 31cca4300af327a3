package org.voxmorph.engine;

import org.voxmorph.chain.Chain;
import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.Slot;

/**
 * The voice controls a front end offers, each the parameter of one processor. The neutral value
 * is the one that leaves the voice alone, so a chain without the stage needs none added for it.
 */
public enum VoiceControl {
    PITCH("pitch-shift", "semitones", 0),
    FORMANT("pitch-shift", "formant", 1),
    GATE("noise-gate", "thresholdDb", -90),
    OUTPUT_GAIN("gain", "gainDb", 0);

    private final String processor;
    private final String parameter;
    private final double neutral;

    VoiceControl(String processor, String parameter, double neutral) {
        this.processor = processor;
        this.parameter = parameter;
        this.neutral = neutral;
    }

    public String processor() { return processor; }
    public String parameter() { return parameter; }
    public double neutral() { return neutral; }

    /** This control's parameter in the chain: in the last stage of its kind (an added output gain comes last), or null. */
    public Parameter find(Chain chain) {
        Parameter found = null;
        for (Slot s : chain.slots()) {
            if (s.id().equals(processor) && s.processor().parameters().has(parameter)) {
                found = s.processor().parameters().get(parameter);
            }
        }
        return found;
    }
}
