package org.voxmorph.chain.builtin;

import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorFactory;
import org.voxmorph.dsp.VoiceTarget;

/**
 * Voice masking toward a pseudo-speaker chosen by {@code seed}: whoever speaks, the pitch range,
 * vocal tract and colour become the seed's ({@link VoiceTarget#pseudoSpeaker}), so the same seed
 * gives the same masked voice on every call and a different seed a different one. The seed is
 * read when the processor is prepared.
 */
public final class AnonymizeProcessor extends MorphingProcessor {
    private final Parameter seed;

    public AnonymizeProcessor() {
        this(Parameter.ofInt("seed", 0, 999_999, 1, ""));
    }

    private AnonymizeProcessor(Parameter seed) {
        super(seed);
        this.seed = seed;
    }

    @Override
    protected VoiceTarget target() {
        return VoiceTarget.pseudoSpeaker(seed.asInt());
    }

    public static final class Factory implements ProcessorFactory {
        @Override public String id() { return "anonymize"; }
        @Override public String description() { return "Masks who is speaking: a stable pseudo-speaker per seed"; }
        @Override public Processor create() { return new AnonymizeProcessor(); }
    }
}
