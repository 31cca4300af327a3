package org.voxmorph.chain;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The one way a preset plus the user's choices (a model, a target voice, the voice controls, the
 * watermark) becomes a chain, for every front end: convert, live, bench, latency and the panel.
 *
 * <p>One stage order: a model or target voice goes first (they decide whose voice it is). A
 * transposition goes to such a stage's own pitch (see {@link VoiceControl}); without one, to a
 * pitch shifter, added when the preset lacks it. A shifter added for the formant goes right after
 * the last stage that sets the speaker's pitch, which would undo a shift placed before it. So a
 * transposition always lands on the output pitch. A noise suppressor goes first (a converter and
 * a gate both work better on the cleaned voice), then a gate; an output gain last. Every chain that does anything ends in a safety limiter (one is appended unless the
 * last stage already is one), so no output sample exceeds full scale whatever the controls say;
 * the watermark sits just before it. Plain passthrough (no stage at all) stays untouched.
 */
public final class ChainRecipe {
    private static final String LIMITER = "limiter";

    private final Preset preset;
    private final Map<VoiceControl, Double> controls = new EnumMap<>(VoiceControl.class);
    private String model;
    private Integer speaker;
    private boolean gpu;
    private String voiceProfile;
    private boolean watermark = true;
    private int watermarkId = -1;

    public ChainRecipe(Preset preset) {
        this.preset = preset;
    }

    /** A neural voice model (by id); a speaker number or the GPU only where given. */
    public ChainRecipe model(String id, Integer speakerNumber, boolean onGpu) {
        this.model = id;
        this.speaker = speakerNumber;
        this.gpu = onGpu;
        return this;
    }

    /** A target voice: what the voice processor's "voice" parameter takes (a profile file). */
    public ChainRecipe voice(String profile) {
        this.voiceProfile = profile;
        return this;
    }

    /** A control value over the preset's own; a control left neutral adds no stage. */
    public ChainRecipe control(VoiceControl control, double value) {
        controls.put(control, value);
        return this;
    }

    public ChainRecipe controls(Map<VoiceControl, Double> values) {
        controls.putAll(values);
        return this;
    }

    /** @param voiceId the voice id to embed, or -1 for none (the default: a privacy user's id must not leak) */
    public ChainRecipe watermark(boolean on, int voiceId) {
        this.watermark = on;
        this.watermarkId = voiceId;
        return this;
    }

    /** The preset with every stage the choices need, in the recipe's order. */
    public Preset steps() {
        List<Preset.Step> steps = new ArrayList<>(preset.chain());
        if (voiceProfile != null && !has(steps, "voice")) {
            steps.add(0, step("voice"));
        }
        if (model != null && !has(steps, "model")) {
            steps.add(0, step("model"));
        }
        boolean converterTakesPitch = steps.stream().anyMatch(s -> VoiceControl.SETS_PITCH.contains(s.processor()));
        if ((adds(VoiceControl.PITCH, steps) && !converterTakesPitch) || adds(VoiceControl.FORMANT, steps)) {
            steps.add(afterLastPitchSetter(steps), step("pitch-shift"));
        }
        if (adds(VoiceControl.GATE, steps)) {
            steps.add(0, step(VoiceControl.GATE.processor()));
        }
        if (adds(VoiceControl.DENOISE, steps)) {
            steps.add(0, step(VoiceControl.DENOISE.processor()));
        }
        if (adds(VoiceControl.OUTPUT_GAIN, steps)) {
            steps.add(endsWithLimiter(steps) ? steps.size() - 1 : steps.size(), step(VoiceControl.OUTPUT_GAIN.processor()));
        }
        if (!steps.isEmpty() && !endsWithLimiter(steps)) {
            steps.add(step(LIMITER));
        }
        Preset p = new Preset(preset.name(), preset.description(), steps, preset.source());
        return watermark ? p.withWatermark(watermarkId) : p;
    }

    /**
     * Builds the chain (unprepared) with the model, voice and control values set.
     *
     * @throws PresetException one line: an unknown processor, a value out of range, a speaker the model lacks
     */
    public Chain build(ProcessorRegistry registry) throws PresetException {
        Chain chain = steps().build(registry);
        try {
            configure(chain);
        } catch (PresetException | RuntimeException e) {
            chain.close();
            throw e;
        }
        return chain;
    }

    private void configure(Chain chain) throws PresetException {
        Slot modelSlot = chain.findSlotWith("model");
        if (modelSlot != null) {
            ParameterSet mp = modelSlot.processor().parameters();
            if (model != null) {
                mp.get("model").setText(model);
            }
            if (speaker != null) {
                Parameter s = mp.get("speaker");
                if (speaker < s.min() || speaker > s.max()) {
                    throw new PresetException("speaker " + speaker + " is outside " + (int) s.min() + ".." + (int) s.max());
                }
                s.set(speaker);
            }
            if (gpu) {
                mp.get("gpu").set(1);
            }
        }
        if (voiceProfile != null) {
            for (Slot s : chain.slots()) {
                if (s.id().equals("voice")) {
                    s.processor().parameters().get("voice").setText(voiceProfile);
                }
            }
        }
        for (Map.Entry<VoiceControl, Double> e : controls.entrySet()) {
            Parameter p = e.getKey().find(chain);
            if (p != null) {
                p.set(Math.max(p.min(), Math.min(p.max(), e.getValue())));
            }
        }
    }

    private boolean adds(VoiceControl c, List<Preset.Step> steps) {
        Double v = controls.get(c);
        return v != null && c.addsStage() && v != c.neutral() && !has(steps, c.processor());
    }

    private static int afterLastPitchSetter(List<Preset.Step> steps) {
        int at = 0;
        for (int i = 0; i < steps.size(); i++) {
            if (VoiceControl.SETS_PITCH.contains(steps.get(i).processor())) {
                at = i + 1;
            }
        }
        return at;
    }

    private static boolean endsWithLimiter(List<Preset.Step> steps) {
        return !steps.isEmpty() && steps.get(steps.size() - 1).processor().equals(LIMITER);
    }

    private static boolean has(List<Preset.Step> steps, String processor) {
        return steps.stream().anyMatch(s -> s.processor().equals(processor));
    }

    private static Preset.Step step(String processor) {
        return new Preset.Step(processor, Map.of());
    }
}
