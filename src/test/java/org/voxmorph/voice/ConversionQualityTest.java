package org.voxmorph.voice;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.voxmorph.dsp.IdentityConverter;
import org.voxmorph.dsp.MatchingSet;
import org.voxmorph.dsp.Speech;

/**
 * Conversions between the four VCTK speakers (who read the same sentences), across and within
 * sex: the target is enrolled from five utterances, and sentence 003, which enrollment never saw,
 * is converted from the source's recording and compared with the target's own recording of it.
 *
 * <p>Identity is scored by a meter that shares nothing with the converter: one diagonal Gaussian
 * over MFCCs per speaker ({@link VoiceMetrics.GaussianSpeaker}), trained on three further
 * utterances of each speaker that neither enrollment nor the test uses. The asserted figures are
 * for a converter in session: it has heard the source read five other sentences first, as a live
 * user is heard in the first half-minute of a call; a cold start is printed too.
 */
class ConversionQualityTest {
    static final String SENTENCE = "003";
    static final List<String> ENROLL = List.of("008", "011", "016", "019", "021");
    static final List<String> METER = List.of("022", "023", "024");
    static final String[][] PAIRS = {{"p226", "p225"}, {"p225", "p226"}, {"p227", "p228"}, {"p228", "p227"},
        {"p225", "p228"}, {"p228", "p225"}, {"p226", "p227"}, {"p227", "p226"}};

    record Result(String source, String target, double targetF0, double outputF0, double sourceF0,
            double mcdBefore, double mcdAfter, double sourceScoreBefore, double targetScoreBefore,
            double sourceScoreAfter, double targetScoreAfter, double wordShape) {
        double f0Error() {
            return Math.abs(outputF0 / targetF0 - 1);
        }
    }

    static final Map<String, Result> RESULTS = new LinkedHashMap<>();
    static final Map<String, Result> COLD = new LinkedHashMap<>();

    static Path clip(String speaker, String utterance) {
        return Speech.ROOT.resolve("vctk_" + speaker).resolve(speaker + "_" + utterance + ".wav");
    }

    static List<Path> enrollClips(String speaker) {
        List<Path> clips = new ArrayList<>();
        for (String u : ENROLL) {
            clips.add(clip(speaker, u));
        }
        return clips;
    }

    static VoiceProfile enroll(String speaker) throws Exception {
        return Enrollment.enroll(speaker, enrollClips(speaker), ConsentRecord.ofText("I, the test speaker, consent to this test"));
    }

    static MatchingSet matchingSet(String speaker) throws Exception {
        return Enrollment.matchingSet(enrollClips(speaker), enroll(speaker));
    }

    /** The converted signal, with the converter's delay removed so it lines up with the input. */
    static float[] convert(float[] in, MatchingSet target, float[]... warmUp) {
        IdentityConverter converter = new IdentityConverter(VoiceMetrics.RATE, target, org.voxmorph.model.ContentModel.shared());
        for (float[] w : warmUp) {
            converter.process(w.clone(), 0, w.length);
        }
        int latency = converter.latencySamples();
        float[] x = java.util.Arrays.copyOf(in, in.length + latency);
        converter.process(x, 0, x.length);
        return java.util.Arrays.copyOfRange(x, latency, x.length);
    }

    static float[][] clips(String speaker, List<String> utterances) throws Exception {
        float[][] clips = new float[utterances.size()][];
        for (int i = 0; i < clips.length; i++) {
            clips[i] = Speech.vctk(speaker, utterances.get(i));
        }
        return clips;
    }

    @BeforeAll
    static void measure() throws Exception {
        for (String[] pair : PAIRS) {
            String src = pair[0];
            String tgt = pair[1];
            MatchingSet set = matchingSet(tgt);
            float[] source = Speech.vctk(src, SENTENCE);
            VoiceMetrics.GaussianSpeaker srcModel = VoiceMetrics.GaussianSpeaker.of(clips(src, METER));
            VoiceMetrics.GaussianSpeaker tgtModel = VoiceMetrics.GaussianSpeaker.of(clips(tgt, METER));
            float[] reference = Speech.vctk(tgt, SENTENCE);
            float[][] targetMaterial = clips(tgt, ENROLL);
            RESULTS.put(src + ">" + tgt, evaluate(src, tgt, source, convert(source, set, clips(src, ENROLL)), reference,
                    targetMaterial, srcModel, tgtModel));
            COLD.put(src + ">" + tgt, evaluate(src, tgt, source, convert(source, set), reference, targetMaterial, srcModel, tgtModel));
        }
        print("in session", RESULTS);
        print("cold start", COLD);
    }

    static Result evaluate(String src, String tgt, float[] source, float[] converted, float[] reference,
            float[][] targetMaterial, VoiceMetrics.GaussianSpeaker srcModel, VoiceMetrics.GaussianSpeaker tgtModel) {
        return new Result(src, tgt, VoiceMetrics.medianF0(targetMaterial), VoiceMetrics.medianF0(converted),
                VoiceMetrics.medianF0(source),
                VoiceMetrics.melCepstralDistortion(source, reference),
                VoiceMetrics.melCepstralDistortion(converted, reference),
                srcModel.score(source), tgtModel.score(source), srcModel.score(converted), tgtModel.score(converted),
                VoiceMetrics.bandEnvelopeCorrelation(source, converted));
    }

    static void print(String title, Map<String, Result> results) {
        System.out.println(title + ": pair  F0 src  F0 tgt  F0 out  err%  MCD before/after dB  source-vs-target score before/after"
                + "  band-shape correlation");
        for (Result r : results.values()) {
            System.out.printf("%s>%s  %6.1f  %6.1f  %6.1f  %4.1f  %5.2f / %5.2f   %+6.2f / %+6.2f   %.2f%n", r.source(),
                    r.target(), r.sourceF0(), r.targetF0(), r.outputF0(), 100 * r.f0Error(), r.mcdBefore(), r.mcdAfter(),
                    r.sourceScoreBefore() - r.targetScoreBefore(), r.sourceScoreAfter() - r.targetScoreAfter(), r.wordShape());
        }
    }

    @Test
    void medianPitchLandsWithinFivePercentOfTheTarget() {
        for (Result r : RESULTS.values()) {
            assertTrue(r.f0Error() < 0.05, r.source() + ">" + r.target() + ": output median F0 " + r.outputF0()
                    + " Hz vs target " + r.targetF0() + " Hz");
        }
    }

    /**
     * The bar: converted speech is taken for the target in at least 60 % of conversions, and
     * every conversion moves toward it. Measured: 6 of 8 pairs here; p227>p228 and p225>p228 move most
     * of the way (source lead 3.96 to 0.45 and 1.31 to 0.53 nats per frame) but not past.
     */
    @Test
    void theMeterTellsTheSpeakersApartAndTakesTheConvertedSpeechForTheTarget() {
        int taken = 0;
        for (Result r : RESULTS.values()) {
            String pair = r.source() + ">" + r.target();
            assertTrue(r.sourceScoreBefore() > r.targetScoreBefore(), pair + ": the meter itself should take the source for the source");
            double before = r.sourceScoreBefore() - r.targetScoreBefore();
            double after = r.sourceScoreAfter() - r.targetScoreAfter();
            assertTrue(after < before - 0.5, pair + ": the source's lead should shrink by half a nat per frame at least, went "
                    + before + " -> " + after);
            if (after < 0) {
                taken++;
            }
        }
        assertTrue(taken >= 0.6 * RESULTS.size(), "converted speech taken for the target in " + taken + " of " + RESULTS.size());
    }

    @Test
    void melCepstralDistortionToTheTargetsOwnRecordingDrops() {
        for (Result r : RESULTS.values()) {
            assertTrue(r.mcdAfter() < r.mcdBefore(), r.source() + ">" + r.target() + ": MCD " + r.mcdBefore()
                    + " dB before, " + r.mcdAfter() + " dB after");
        }
    }

    @Test
    void theWordsKeepTheirShapeInEveryBand() {
        for (Result r : RESULTS.values()) {
            assertTrue(r.wordShape() > 0.6, r.source() + ">" + r.target() + ": band-envelope correlation with the source "
                    + r.wordShape());
        }
    }
}
