package org.voxmorph.voice;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.voxmorph.dsp.Speech;
import org.voxmorph.dsp.VoiceMorpher;

/**
 * Conversions between the four VCTK speakers (who read the same sentences): the target is
 * enrolled from eight utterances, and sentence 003, which enrollment never saw, is converted from
 * the source's recording and compared with the target's own recording of it.
 *
 * <p>The asserted figures are for a converter in session: it has heard the source read the other
 * eight sentences (about 35 s) first, as a live user is heard in the first half-minute of a call,
 * and learned the source's statistics from them. A converter that meets sentence 003 cold is
 * measured and printed too (its pitch and colour are still settling during that one sentence).
 */
class ConversionQualityTest {
    static final String SENTENCE = "003";
    static final List<String> ENROLL = List.of("008", "011", "016", "019", "021", "022", "023", "024");
    static final String[][] PAIRS = {{"p226", "p225"}, {"p225", "p226"}, {"p227", "p228"}, {"p228", "p227"}};

    record Result(String source, String target, double targetF0, double outputF0, double sourceF0,
            double lsdBefore, double lsdAfter, double mcdBefore, double mcdAfter) {
        double f0Error() {
            return Math.abs(outputF0 / targetF0 - 1);
        }
    }

    static final Map<String, Result> RESULTS = new LinkedHashMap<>();
    static final Map<String, Result> COLD = new LinkedHashMap<>();

    static Path clip(String speaker, String utterance) {
        return Speech.ROOT.resolve("vctk_" + speaker).resolve(speaker + "_" + utterance + ".wav");
    }

    static VoiceProfile enroll(String speaker) throws Exception {
        List<Path> clips = new ArrayList<>();
        for (String u : ENROLL) {
            clips.add(clip(speaker, u));
        }
        return Enrollment.enroll(speaker, clips, ConsentRecord.ofText("I, the test speaker, consent to this test"));
    }

    /** The converted signal, with the converter's delay removed so it lines up with the input. */
    static float[] convert(float[] in, VoiceProfile target, float[]... warmUp) {
        VoiceMorpher morpher = new VoiceMorpher(VoiceMetrics.RATE, target.target());
        for (float[] w : warmUp) {
            morpher.process(w.clone(), 0, w.length);
        }
        int latency = morpher.latencySamples();
        float[] x = java.util.Arrays.copyOf(in, in.length + latency);
        morpher.process(x, 0, x.length);
        return java.util.Arrays.copyOfRange(x, latency, x.length);
    }

    static float[][] targetClips(String speaker) throws Exception {
        float[][] clips = new float[ENROLL.size()][];
        for (int i = 0; i < clips.length; i++) {
            clips[i] = Speech.vctk(speaker, ENROLL.get(i));
        }
        return clips;
    }

    @BeforeAll
    static void measure() throws Exception {
        for (String[] pair : PAIRS) {
            String src = pair[0];
            String tgt = pair[1];
            VoiceProfile profile = enroll(tgt);
            float[] source = Speech.vctk(src, SENTENCE);
            float[] reference = Speech.vctk(tgt, SENTENCE);
            float[][] targetMaterial = targetClips(tgt);
            RESULTS.put(src + ">" + tgt, evaluate(src, tgt, source, convert(source, profile, targetClips(src)),
                    reference, targetMaterial));
            COLD.put(src + ">" + tgt, evaluate(src, tgt, source, convert(source, profile), reference, targetMaterial));
        }
        print("in session", RESULTS);
        print("cold start", COLD);
    }

    static Result evaluate(String src, String tgt, float[] source, float[] converted, float[] reference,
            float[][] targetMaterial) {
        double[] targetSpectrum = VoiceMetrics.longTermSpectrumDb(targetMaterial);
        return new Result(src, tgt, VoiceMetrics.medianF0(targetMaterial), VoiceMetrics.medianF0(converted),
                VoiceMetrics.medianF0(source),
                VoiceMetrics.logSpectralDistance(VoiceMetrics.longTermSpectrumDb(source), targetSpectrum),
                VoiceMetrics.logSpectralDistance(VoiceMetrics.longTermSpectrumDb(converted), targetSpectrum),
                VoiceMetrics.melCepstralDistortion(source, reference),
                VoiceMetrics.melCepstralDistortion(converted, reference));
    }

    static void print(String title, Map<String, Result> results) {
        System.out.println(title + ": pair  F0 src  F0 tgt  F0 out  err%   LSD before/after dB   MCD before/after dB");
        for (Result r : results.values()) {
            System.out.printf("%s>%s  %6.1f  %6.1f  %6.1f  %4.1f   %5.2f / %5.2f         %5.2f / %5.2f%n", r.source(),
                    r.target(), r.sourceF0(), r.targetF0(), r.outputF0(), 100 * r.f0Error(), r.lsdBefore(),
                    r.lsdAfter(), r.mcdBefore(), r.mcdAfter());
        }
    }

    @Test
    void medianPitchLandsWithinFivePercentOfTheTarget() {
        for (Result r : RESULTS.values()) {
            assertTrue(r.f0Error() < 0.05, r.source() + ">" + r.target() + ": output median F0 " + r.outputF0()
                    + " Hz vs target " + r.targetF0() + " Hz");
        }
    }

    @Test
    void longTermSpectrumMovesCloserToTheTarget() {
        for (Result r : RESULTS.values()) {
            assertTrue(r.lsdAfter() < r.lsdBefore(), r.source() + ">" + r.target() + ": LSD " + r.lsdBefore()
                    + " dB before, " + r.lsdAfter() + " dB after");
        }
    }

    @Test
    void melCepstralDistortionToTheTargetsOwnRecordingDrops() {
        for (Result r : RESULTS.values()) {
            assertTrue(r.mcdAfter() < r.mcdBefore(), r.source() + ">" + r.target() + ": MCD " + r.mcdBefore()
                    + " dB before, " + r.mcdAfter() + " dB after");
        }
    }
}
