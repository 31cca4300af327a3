package org.voxmorph.chain.builtin;

import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.ParameterSet;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.StreamSpec;
import org.voxmorph.dsp.VoiceMorpher;
import org.voxmorph.dsp.VoiceTarget;

/**
 * A processor that morphs any speaker toward a {@link VoiceTarget} with a {@link VoiceMorpher}:
 * the anonymizer's pseudo-speaker or an enrolled voice. Subclasses only say which target; the
 * {@code strength} and {@code vocalTract} controls are applied once per morpher hop, so the output
 * does not depend on the block size.
 */
public abstract class MorphingProcessor implements Processor {
    protected final Parameter strength = Parameter.ofFloat("strength", 0, 1, 1, "");
    /**
     * How far toward the target's vocal tract (see VoiceMorpher#setVocalTract). It moves the voice
     * further but costs clarity: PocketSphinx word errors on p227's nine VCTK sentences (50% as
     * read) were 52-53% at 0, 58-66% at 0.25 and 68-78% at 0.5. Off unless asked for.
     */
    protected final Parameter vocalTract = Parameter.ofFloat("vocalTract", 0, 1, 0, "");
    private final ParameterSet parameters;
    private VoiceMorpher morpher;

    /** @param own the subclass's own parameters, listed first */
    protected MorphingProcessor(Parameter own) {
        parameters = new ParameterSet(own, strength, vocalTract);
    }

    /** The voice to morph toward, read when the processor is prepared. */
    protected abstract VoiceTarget target();

    @Override
    public void prepare(StreamSpec spec) {
        parameters.prepare(spec.sampleRate());
        morpher = new VoiceMorpher(spec.sampleRate(), target());
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
}
