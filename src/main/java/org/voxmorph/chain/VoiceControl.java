package org.voxmorph.chain;

import java.util.List;

/**
 * The voice controls a front end offers, each the parameter of one processor. The neutral value
 * is the one that leaves the voice alone, so a chain without the stage needs none added for it.
 * Strength only means something with a target voice, so it never adds its stage: choosing a voice
 * profile does. Pitch is taken by a stage that decides whose voice it is (a model, a target voice,
 * the anonymizer) where the chain has one: such a stage maps pitch into its target's range, so a
 * shifter before it would be undone, and one after it would add its own delay to the converter's.
 */
public enum VoiceControl {
    PITCH("pitch-shift", "semitones", 0, true),
    FORMANT("pitch-shift", "formant", 1, true),
    STRENGTH("voice", "strength", 1, false),
    GATE("noise-gate", "thresholdDb", -90, true),
    /** Noise suppression's most attenuation: 0 dB takes nothing out. About the room, not the voice. */
    DENOISE("denoise", "reductionDb", 0, true),
    OUTPUT_GAIN("gain", "gainDb", 0, true);

    /** Stages that set the speaker's pitch and take a transposition in their own "pitch" parameter. */
    public static final List<String> SETS_PITCH = List.of("model", "voice", "anonymize");
    private static final String CONVERTER_PITCH = "pitch";

    private final String processor;
    private final String parameter;
    private final double neutral;
    private final boolean addsStage;

    VoiceControl(String processor, String parameter, double neutral, boolean addsStage) {
        this.processor = processor;
        this.parameter = parameter;
        this.neutral = neutral;
        this.addsStage = addsStage;
    }

    public String processor() { return processor; }
    public String parameter() { return parameter; }
    public double neutral() { return neutral; }

    /** Whether a chain without this control's processor gets one added when the control leaves neutral. */
    public boolean addsStage() { return addsStage; }

    /** This control's parameter in the chain: in the last stage of its kind (an added output gain comes last), or null. */
    public Parameter find(Chain chain) {
        Parameter found = null;
        if (this == PITCH) {
            for (Slot s : chain.slots()) {
                if (SETS_PITCH.contains(s.id()) && s.processor().parameters().has(CONVERTER_PITCH)) {
                    found = s.processor().parameters().get(CONVERTER_PITCH);
                }
            }
            if (found != null) {
                return found;
            }
        }
        for (Slot s : chain.slots()) {
            if (s.id().equals(processor) && s.processor().parameters().has(parameter)) {
                found = s.processor().parameters().get(parameter);
            }
        }
        return found;
    }
}
