package org.voxmorph.voice;

import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.ParameterSet;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.StreamSpec;
import org.voxmorph.dsp.IdentityConverter;
import org.voxmorph.dsp.MatchingSet;
import org.voxmorph.model.ContentModel;

/**
 * A processor that converts any speaker into a target given as a {@link MatchingSet}, with an
 * {@link IdentityConverter}: an enrolled voice or the anonymizer's pseudo-speaker. Subclasses only
 * say which target. {@code strength} (0..1) and {@code pitch} (semitones on top of the target's
 * range) are applied once per converter hop, so the output does not depend on the block size.
 */
public abstract class IdentityProcessor implements Processor {
    protected final Parameter strength = Parameter.ofFloat("strength", 0, 1, 1, "");
    protected final Parameter pitch = Parameter.ofFloat("pitch", -24, 24, 0, "semitones");
    private final ParameterSet parameters;
    private IdentityConverter converter;

    /** @param own the subclass's own parameters, listed first */
    protected IdentityProcessor(Parameter... own) {
        Parameter[] all = java.util.Arrays.copyOf(own, own.length + 2);
        all[own.length] = strength;
        all[own.length + 1] = pitch;
        parameters = new ParameterSet(all);
    }

    /** Called once the converter exists, for subclasses that tune it (read at prepare). */
    protected void configure(IdentityConverter converter) {
    }

    /** The voice to convert into, read when the processor is prepared. */
    protected abstract MatchingSet target();

    @Override
    public void prepare(StreamSpec spec) {
        parameters.prepare(spec.sampleRate());
        converter = new IdentityConverter(spec.sampleRate(), target(), ContentModel.shared());
        configure(converter);
        converter.setStrength(strength.current());
        converter.setSemitones(pitch.current());
    }

    @Override
    public void process(AudioBlock block) {
        float[] x = block.samples();
        int n = block.frames();
        int done = 0;
        while (done < n) {
            if (converter.samplesToNextHop() == converter.hopSamples()) {
                converter.setStrength(strength.advance(converter.hopSamples()));
                converter.setSemitones(pitch.advance(converter.hopSamples()));
            }
            int chunk = Math.min(n - done, converter.samplesToNextHop());
            converter.process(x, done, chunk);
            done += chunk;
        }
    }

    @Override
    public int latencySamples() {
        return converter.latencySamples();
    }

    @Override
    public ParameterSet parameters() {
        return parameters;
    }

    @Override
    public void reset() {
        parameters.jumpToTargets();
        converter.reset();
        converter.setStrength(strength.current());
        converter.setSemitones(pitch.current());
    }
}
