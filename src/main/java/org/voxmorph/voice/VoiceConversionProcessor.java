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
        boolean isPath = v.endsWith(VoiceStore.SUFFIX) || v.contains("/") || v.contains("\\");
        Path profile = isPath ? Path.of(v) : VoiceStore.user().file(v);
        // The profile is read first: a missing or broken one gets its own one-line message.
        if (isPath) {
            VoiceStore.read(profile);
        } else {
            VoiceStore.user().load(v);
        }
        return VoiceStore.readMatchingSet(profile);
    }

    public static final class Factory implements ProcessorFactory {
        @Override public String id() { return "voice"; }
        @Override public String description() { return "Converts any speaker into an enrolled voice (voxmorph voice enroll)"; }
        @Override public Processor create() { return new VoiceConversionProcessor(); }
    }
}
