package org.voxmorph.app;

import java.io.IOException;
import org.voxmorph.chain.Chain;
import org.voxmorph.chain.ChainRecipe;
import org.voxmorph.chain.Preset;
import org.voxmorph.chain.PresetException;
import org.voxmorph.chain.ProcessorRegistry;
import org.voxmorph.chain.VoiceControl;
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

    @Option(names = "--pitch", paramLabel = "SEMITONES", description = "Pitch shift in semitones, -24..+24 (fractions allowed): "
            + "sets the preset's shifter, or adds one after a model, target voice or anonymize")
    Double pitch;

    @Option(names = "--formant", paramLabel = "RATIO", description = "Formant shift ratio 0.5..2.0 (1 = unchanged)")
    Double formant;

    @Option(names = "--denoise", paramLabel = "DB", description = "Noise suppression: how far to take steady noise and "
            + "keyboard clicks down, 0..40 dB (0 = off; adds denoise first in the chain, 16 ms)")
    Double denoise;

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
        if (denoise != null && (denoise < 0 || denoise > 40)) {
            throw new CliError("--denoise " + denoise + " is outside 0..40 dB");
        }
        return p;
    }

    /** The chain the options ask for, built by the one recipe every front end uses. */
    public Chain buildChain() {
        Preset p = loadPreset();
        if ((speaker != null || gpu) && model == null && p.chain().stream().noneMatch(s -> s.processor().equals("model"))) {
            throw new CliError((speaker != null ? "--speaker" : "--gpu") + " needs a model: add --model ID (see: voxmorph models)");
        }
        if (strength != null && (strength < 0 || strength > 1)) {
            throw new CliError("--strength " + strength + " is outside 0..1");
        }
        if (strength != null && voice == null && p.chain().stream().noneMatch(s -> s.processor().equals("voice"))) {
            throw new CliError("--strength needs a voice: add --voice NAME (see: voxmorph voice list)");
        }
        if (watermarkId != null && (watermarkId < 0 || watermarkId > 65535)) {
            throw new CliError("--watermark-id " + watermarkId + " is outside 0..65535");
        }
        if (watermarkId != null && noWatermark) {
            throw new CliError("--watermark-id and --no-watermark contradict each other");
        }
        ChainRecipe recipe = new ChainRecipe(p).model(model, speaker, gpu)
                .watermark(!noWatermark, watermarkId == null ? -1 : watermarkId);
        String profile = voice != null ? voice : presetVoice(p);
        if (profile != null) {
            recipe.voice(profileFile(profile));
        }
        if (pitch != null) {
            recipe.control(VoiceControl.PITCH, pitch);
        }
        if (formant != null) {
            recipe.control(VoiceControl.FORMANT, formant);
        }
        if (denoise != null) {
            recipe.control(VoiceControl.DENOISE, denoise);
        }
        if (strength != null) {
            recipe.control(VoiceControl.STRENGTH, strength);
        }
        try {
            return recipe.build(registry());
        } catch (PresetException e) {
            throw new CliError(e.getMessage().startsWith("speaker ") ? "--" + e.getMessage() : e.getMessage());
        }
    }

    static ProcessorRegistry registry() {
        try {
            return ProcessorRegistry.withPlugins(Home.plugins());
        } catch (IOException e) {
            throw new CliError(Home.plugins() + ": cannot load plugins (" + e.getMessage() + ")");
        }
    }

    /** The voice a preset names by name ({"processor": "voice", "params": {"voice": "robin"}}), or null. */
    private static String presetVoice(Preset p) {
        return p.chain().stream().filter(s -> s.processor().equals("voice"))
                .map(s -> s.params().get("voice")).filter(v -> v instanceof String name && !name.isBlank())
                .map(Object::toString).findFirst().orElse(null);
    }

    /**
     * A profile name is looked up in --voices-dir (or the user's folder) now: a missing or broken
     * profile is the user's error, said before any audio runs. A path to a profile file is taken as it is.
     */
    private String profileFile(String name) {
        if (name.endsWith(VoiceStore.SUFFIX)) {
            return name;
        }
        try {
            VoiceStore store = voicesDir.store();
            store.load(name);
            return store.file(name).toString();
        } catch (VoiceException e) {
            throw new CliError(e.getMessage());
        }
    }
}
