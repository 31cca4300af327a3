package org.voxmorph.app;

import java.io.IOException;
import java.util.Map;
import org.voxmorph.chain.Chain;
import org.voxmorph.chain.Preset;
import org.voxmorph.chain.PresetException;
import org.voxmorph.chain.PresetLibrary;
import org.voxmorph.chain.ProcessorRegistry;
import picocli.CommandLine.Option;

/** The options that choose the voice: shared by convert, bench, latency and live. */
public final class VoiceOptions {
    @Option(names = "--preset", paramLabel = "NAME",
            description = "Preset name from presets/, or a path to a preset .json (default: passthrough)")
    String preset;

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
            p = new PresetLibrary(Home.presets()).load(presetName());
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
        boolean needsShifter = pitch != null || formant != null;
        if (needsShifter && p.chain().stream().noneMatch(s -> s.processor().equals("pitch-shift"))) {
            p = p.withStepFirst(new Preset.Step("pitch-shift", Map.of()));
        }
        Chain chain;
        try {
            chain = p.build(registry);
        } catch (PresetException e) {
            throw new CliError(e.getMessage());
        }
        if (pitch != null) {
            chain.findSlotWith("semitones").processor().parameters().get("semitones").set(pitch);
        }
        if (formant != null) {
            chain.findSlotWith("formant").processor().parameters().get("formant").set(formant);
        }
        return chain;
    }
}
