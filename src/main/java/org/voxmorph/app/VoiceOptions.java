package org.voxmorph.app;

import java.io.IOException;
import java.util.Map;
import org.voxmorph.chain.Chain;
import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.ParameterSet;
import org.voxmorph.chain.Slot;
import org.voxmorph.chain.Preset;
import org.voxmorph.chain.PresetException;
import org.voxmorph.chain.ProcessorRegistry;
import org.voxmorph.voice.VoiceException;
import org.voxmorph.voice.VoiceStore;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options that choose the voice: shared by convert, bench, latency and live. */
public final class VoiceOptions {
    @Option(names = "--preset", paramLabel = "NAME",
            description = "Preset name from presets/, or a path to a preset .json (default: passthrough)")
    String preset;

    @Option(names = "--model", paramLabel = "ID", description = "Neural voice model from models/ (see: voxmorph models)")
    String model;

    @Option(names = "--speaker", paramLabel = "N", description = "Speaker number for models with several (default: 0)")
    Integer speaker;

    @Option(names = "--gpu", description = "Run the model on the GPU (CUDA; needs the gpu build), falling back to CPU")
    boolean gpu;

    @Option(names = "--no-watermark", description = "Leave the output without the inaudible 'converted by Voxmorph' mark (see README)")
    boolean noWatermark;

    @Option(names = "--watermark-id", paramLabel = "N", description = "Also embed this voice id (0..65535) in the watermark; off by default")
    Integer watermarkId;

    @Option(names = "--voice", paramLabel = "NAME", description = "Convert toward this enrolled voice (see: voxmorph voice list)")
    String voice;

    @Option(names = "--strength", paramLabel = "0..1", description = "How far --voice goes toward the target (default: 1)")
    Double strength;

    @Mixin
    VoiceCommand.VoicesDir voicesDir;

    /** The preset used when --preset is not given; a command may choose another. */
    String defaultPreset = "passthrough";

    public String presetName() {
        return preset != null ? preset : defaultPreset;
    }

    @Option(names = "--pitch", paramLabel = "SEMITONES", description = "Pitch shift in semitones, -24..+24 (fractions allowed)")
    Double pitch;

    @Option(names = "--formant", paramLabel = "RATIO", description = "Formant shift ratio 0.5..2.0 (1 = unchanged)")
    Double formant;

    public Preset loadPreset() {
        Preset p;
        try {
            p = Presets.load(presetName());
        } catch (PresetException e) {
            throw new CliError(e.getMessage());
        }
        if (pitch != null && (pitch < -24 || pitch > 24)) {
            throw new CliError("--pitch " + pitch + " is outside -24..+24 semitones");
        }
        if (formant != null && (formant < 0.5 || formant > 2.0)) {
            throw new CliError("--formant " + formant + " is outside 0.5..2.0");
        }
        return p;
    }

    /** The preset's chain with --pitch/--formant applied (adding a pitch-shift stage if it has none). */
    public Chain buildChain() {
        Preset p = loadPreset();
        ProcessorRegistry registry;
        try {
            registry = ProcessorRegistry.withPlugins(Home.plugins());
        } catch (IOException e) {
            throw new CliError(Home.plugins() + ": cannot load plugins (" + e.getMessage() + ")");
        }
        if ((speaker != null || gpu) && model == null && p.chain().stream().noneMatch(s -> s.processor().equals("model"))) {
            throw new CliError((speaker != null ? "--speaker" : "--gpu") + " needs a model: add --model ID (see: voxmorph models)");
        }
        if (model != null && p.chain().stream().noneMatch(s -> s.processor().equals("model"))) {
            p = p.withStepFirst(new Preset.Step("model", Map.of()));
        }
        if (strength != null && (strength < 0 || strength > 1)) {
            throw new CliError("--strength " + strength + " is outside 0..1");
        }
        if (strength != null && voice == null && p.chain().stream().noneMatch(s -> s.processor().equals("voice"))) {
            throw new CliError("--strength needs a voice: add --voice NAME (see: voxmorph voice list)");
        }
        if (voice != null && p.chain().stream().noneMatch(s -> s.processor().equals("voice"))) {
            p = p.withStepFirst(new Preset.Step("voice", Map.of()));
        }
        // A converting stage maps the pitch into its target's range, which would undo a shift put
        // before it: --pitch goes to that stage's own "pitch" instead, so the output really moves.
        boolean converterTakesPitch = formant == null && p.chain().stream()
                .anyMatch(s -> s.processor().equals("voice") || s.processor().equals("model") || s.processor().equals("anonymize"));
        boolean needsShifter = (pitch != null && !converterTakesPitch) || formant != null;
        if (needsShifter && p.chain().stream().noneMatch(s -> s.processor().equals("pitch-shift"))) {
            p = p.withStepFirst(new Preset.Step("pitch-shift", Map.of()));
        }
        if (watermarkId != null && (watermarkId < 0 || watermarkId > 65535)) {
            throw new CliError("--watermark-id " + watermarkId + " is outside 0..65535");
        }
        if (watermarkId != null && noWatermark) {
            throw new CliError("--watermark-id and --no-watermark contradict each other");
        }
        if (!noWatermark) {
            p = p.withWatermark(watermarkId == null ? -1 : watermarkId);
        }
        Chain chain;
        try {
            chain = p.build(registry);
        } catch (PresetException e) {
            throw new CliError(e.getMessage());
        }
        Slot modelSlot = chain.findSlotWith("model");
        if (modelSlot != null) {
            ParameterSet mp = modelSlot.processor().parameters();
            if (model != null) {
                mp.get("model").setText(model);
            }
            if (speaker != null) {
                if (speaker < 0 || speaker > mp.get("speaker").max()) {
                    throw new CliError("--speaker " + speaker + " is outside 0.." + (int) mp.get("speaker").max());
                }
                mp.get("speaker").set(speaker);
            }
            if (gpu) {
                mp.get("gpu").set(1);
            }
        }
        Slot voiceSlot = chain.slots().stream().filter(s -> s.id().equals("voice")).findFirst().orElse(null);
        if (voiceSlot != null) {
            // --voice, or the name the preset gives, is looked up in --voices-dir (or the user's folder) now:
            // a missing or broken profile is the user's error, said before any audio runs.
            Parameter named = voiceSlot.processor().parameters().get("voice");
            String name = voice != null ? voice : named.text();
            if (!name.isBlank() && !name.endsWith(VoiceStore.SUFFIX)) {
                try {
                    VoiceStore store = voicesDir.store();
                    store.load(name);
                    named.setText(store.file(name).toString());
                } catch (VoiceException e) {
                    throw new CliError(e.getMessage());
                }
            }
        }
        if (strength != null) {
            voiceSlot.processor().parameters().get("strength").set(strength);
        }
        if (pitch != null && converterTakesPitch) {
            chain.slots().stream().filter(s -> s.id().equals("voice") || s.id().equals("model") || s.id().equals("anonymize"))
                    .forEach(s -> s.processor().parameters().get("pitch").set(pitch));
        } else if (pitch != null) {
            chain.findSlotWith("semitones").processor().parameters().get("semitones").set(pitch);
        }
        if (formant != null) {
            chain.findSlotWith("formant").processor().parameters().get("formant").set(formant);
        }
        return chain;
    }
}
