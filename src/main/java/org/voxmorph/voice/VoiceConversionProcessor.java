package org.voxmorph.voice;

import java.nio.file.Path;
import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.ParameterSet;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorFactory;
import org.voxmorph.chain.StreamSpec;
import org.voxmorph.dsp.VoiceMorpher;

/**
 * Converts any speaker toward an enrolled voice ({@link VoiceMorpher}); preset id {@code voice}.
 * The {@code voice} parameter names a profile in the user's voices folder, or is a path to a
 * {@code .voice.json}. It lives in {@code voice}, not {@code chain.builtin}, because it reads
 * profiles: it implements chain's Processor SPI the way the model processor does.
 */
public final class VoiceConversionProcessor implements Processor {
    private final Parameter voice = Parameter.ofText("voice", "");
    private final Parameter strength = Parameter.ofFloat("strength", 0, 1, 1, "");
    /** See {@link VoiceMorpher#setVocalTract}: off unless asked for. */
    private final Parameter vocalTract = Parameter.ofFloat("vocalTract", 0, 1, 0, "");
    private final ParameterSet parameters = new ParameterSet(voice, strength, vocalTract);
    private VoiceMorpher morpher;

    @Override
    public void prepare(StreamSpec spec) {
        parameters.prepare(spec.sampleRate());
        String v = voice.text();
        if (v.isBlank()) {
            throw new VoiceException("no voice chosen: add --voice NAME (see: voxmorph voice list)");
        }
        VoiceProfile profile = v.endsWith(VoiceStore.SUFFIX) || v.contains("/") || v.contains("\\")
                ? VoiceStore.read(Path.of(v)) : VoiceStore.user().load(v);
        morpher = new VoiceMorpher(spec.sampleRate(), profile.target());
        morpher.setStrength(strength.current());
        morpher.setVocalTract(vocalTract.current());
    }

    @Override
    public void process(AudioBlock block) {
        float[] x = block.samples();
        int n = block.frames();
        int done = 0;
        while (done < n) {
            if (morpher.samplesToNextHop() == morpher.hopSamples()) {
                morpher.setStrength(strength.advance(morpher.hopSamples()));
                morpher.setVocalTract(vocalTract.advance(morpher.hopSamples()));
            }
            int chunk = Math.min(n - done, morpher.samplesToNextHop());
            morpher.process(x, done, chunk);
            done += chunk;
        }
    }

    @Override
    public int latencySamples() {
        return morpher.latencySamples();
    }

    @Override
    public ParameterSet parameters() {
        return parameters;
    }

    @Override
    public void reset() {
        parameters.jumpToTargets();
        morpher.reset();
        morpher.setStrength(strength.current());
        morpher.setVocalTract(vocalTract.current());
    }

    public static final class Factory implements ProcessorFactory {
        @Override public String id() { return "voice"; }
        @Override public String description() { return "Converts any speaker toward an enrolled voice (voxmorph voice enroll)"; }
        @Override public Processor create() { return new VoiceConversionProcessor(); }
    }
}
