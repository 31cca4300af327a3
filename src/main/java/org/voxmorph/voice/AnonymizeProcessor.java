package org.voxmorph.voice;

import java.util.List;
import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorFactory;
import org.voxmorph.dsp.IdentityConverter;
import org.voxmorph.dsp.MatchingSet;
import org.voxmorph.model.ContentModel;
import org.voxmorph.model.ModelPackage;
import org.voxmorph.model.ModelsFolder;

/**
 * Voice masking; preset id {@code anonymize}. Whoever speaks is converted ({@link IdentityProcessor})
 * into a pseudo-speaker that {@code seed} builds from the built-in voices (models/voxmorph-frames,
 * synthetic: nobody's real voice): one of them, its vocal tract scaled by 0.90..1.12 and its
 * pitch range moved by up to +-2 semitones beyond what the tract scale implies. The mapping is
 * SplitMix64 (ours to keep, not java.util.Random), so the same seed gives the same voice on every
 * call and machine. The seed and {@code mask} are read when the processor is prepared.
 */
public final class AnonymizeProcessor extends IdentityProcessor {
    /** The package the pseudo-speakers are made from. */
    public static final String VOICES = "voxmorph-frames";
    private final Parameter seed;
    /**
     * How far past the pseudo-speaker's envelope, away from the speaker's own, 1..2 (see
     * FrameMatcher#setOvershoot). Measured with the speaker meter (tools/evaluate-identity.py, 32
     * anonymized VCTK sentences, seeds 1-4, the speaker among 24 candidates), matching in the
     * content encoder's space: 1.5 left 2 of 32 identified as their speaker at 93 % PocketSphinx WER,
     * 1.25 left 3 of 32 at 85 % (sources 52 %). With MFCC matching 1.5 had left 10 of 32.
     */
    private final Parameter mask;

    public AnonymizeProcessor() {
        this(Parameter.ofInt("seed", 0, 999_999, 1, ""), Parameter.ofFloat("mask", 1, 2, 1.25, ""));
    }

    private AnonymizeProcessor(Parameter seed, Parameter mask) {
        super(seed, mask);
        this.seed = seed;
        this.mask = mask;
    }

    @Override
    protected void configure(IdentityConverter converter) {
        converter.setOvershoot(mask.target());
    }

    @Override
    protected MatchingSet target() {
        ModelPackage pkg = ModelPackage.read(ModelsFolder.shipped(VOICES));
        List<ModelPackage.FileEntry> voices = pkg.files().stream().filter(f -> f.role().equals("frames")).toList();
        long state = seed.asInt() * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        int which = (int) (unit(state = next(state)) * voices.size());
        double warp = 0.90 + 0.22 * unit(state = next(state));
        double pitchOffset = (2 * unit(state = next(state)) - 1) * 2 * Math.log(2) / 12;
        double spread = 0.8 + 0.4 * unit(next(state));
        MatchingSet base = ContentModel.readFrames(pkg, voices.get(which), ContentModel.shared());
        return base.warped(warp, base.logF0Centre() + Math.log(warp) + pitchOffset, base.logF0Spread() * spread);
    }

    private static long next(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double unit(long z) {
        return (z >>> 11) * 0x1.0p-53;
    }

    public static final class Factory implements ProcessorFactory {
        @Override public String id() { return "anonymize"; }
        @Override public String description() { return "Masks who is speaking: converts into a stable pseudo-speaker per seed"; }
        @Override public Processor create() { return new AnonymizeProcessor(); }
    }
}
