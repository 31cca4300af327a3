package org.voxmorph.voice;

import java.nio.file.Path;
import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorFactory;
import org.voxmorph.chain.builtin.MorphingProcessor;
import org.voxmorph.dsp.VoiceTarget;

/**
 * Converts any speaker toward an enrolled voice; preset id {@code voice}. The {@code voice}
 * parameter names a profile in the user's voices folder, or is a path to a {@code .voice.json}.
 * It lives in {@code voice}, not {@code chain.builtin}, because it reads profiles: it implements
 * chain's Processor SPI the way the model processor does.
 */
public final class VoiceConversionProcessor extends MorphingProcessor {
    private final Parameter voice;

    public VoiceConversionProcessor() {
        this(Parameter.ofText("voice", ""));
    }

    private VoiceConversionProcessor(Parameter voice) {
        super(voice);
        this.voice = voice;
    }

    @Override
    protected VoiceTarget target() {
        String v = voice.text();
        if (v.isBlank()) {
            throw new VoiceException("no voice chosen: add --voice NAME (see: voxmorph voice list)");
        }
        VoiceProfile profile = v.endsWith(VoiceStore.SUFFIX) || v.contains("/") || v.contains("\\")
                ? VoiceStore.read(Path.of(v)) : VoiceStore.user().load(v);
        return profile.target();
    }

    public static final class Factory implements ProcessorFactory {
        @Override public String id() { return "voice"; }
        @Override public String description() { return "Converts any speaker toward an enrolled voice (voxmorph voice enroll)"; }
        @Override public Processor create() { return new VoiceConversionProcessor(); }
    }
}
