package org.voxmorph.voice;

import java.nio.file.Path;
import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorFactory;
import org.voxmorph.dsp.MatchingSet;

/**
 * Converts any speaker into an enrolled voice; preset id {@code voice}. The {@code voice}
 * parameter names a profile in the user's voices folder, or is a path to a {@code .voice.json};
 * the conversion uses the matching set kept beside it ({@link IdentityProcessor}). It lives in
 * {@code voice}, not {@code chain.builtin}, because it reads profiles.
 */
public final class VoiceConversionProcessor extends IdentityProcessor {
    private final Parameter voice;

    public VoiceConversionProcessor() {
        this(Parameter.ofText("voice", ""));
    }

    private VoiceConversionProcessor(Parameter voice) {
        super(voice);
        this.voice = voice;
    }

    @Override
    protected MatchingSet target() {
        String v = voice.text();
        if (v.isBlank()) {
            throw new VoiceException("no voice chosen: add --voice NAME (see: voxmorph voice list)");
        }
        VoiceStore store = VoiceStore.user();
        Path profile = v.endsWith(VoiceStore.SUFFIX) || v.contains("/") || v.contains("\\") ? Path.of(v) : store.file(v);
        if (!java.nio.file.Files.isRegularFile(profile)) {
            store.load(v); // says which voices exist
        }
        VoiceStore.read(profile);
        return VoiceStore.readMatchingSet(profile);
    }

    public static final class Factory implements ProcessorFactory {
        @Override public String id() { return "voice"; }
        @Override public String description() { return "Converts any speaker into an enrolled voice (voxmorph voice enroll)"; }
        @Override public Processor create() { return new VoiceConversionProcessor(); }
    }
}
