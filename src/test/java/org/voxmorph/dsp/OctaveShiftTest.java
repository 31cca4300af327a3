package org.voxmorph.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Large shifts measured as a listener would judge them, with meters the shifter does not share:
 * Praat's pitch tracker (its own voicing and octave costs; the median-ratio test in
 * {@link PsolaPitchShifterTest} hides a shifter that falls back to the original pitch in a
 * third of the frames) and the energy left at the original pitch's own harmonics
 * ({@link ShiftQuality#leakDb}, read along the intended pitch contour). Issue 11's bars, on every
 * VCTK speaker in {@code ../shared/speech}, utterances 003 and 008 pooled per speaker: at least
 * 95 % of the frames Praat finds voiced in input and output within ±3 semitones of the source
 * pitch times the ratio, and the odd/even figure below -25 dB (median per speaker). Needs the
 * {@code praat} program.
 */
class OctaveShiftTest {
    private static final int RATE = 16000;
    private static final String[] SPEAKERS = {"p225", "p226", "p227", "p228"};
    private static final String[] UTTERANCES = {"003", "008"};

    /** One speaker's utterances shifted and measured, pooled: share of frames on target, median odd/even (dB). */
    private static double[] pooled(String speaker, double semitones, int rate) throws Exception {
        int frames = 0;
        double onTarget = 0;
        List<Double> leaks = new ArrayList<>();
        for (String utterance : UTTERANCES) {
            float[] in = Speech.vctk(speaker, utterance);
            if (rate != RATE) {
                in = Resampler.resample(in, RATE, rate);
            }
            float[][] out = new float[1][];
            int latency = ShiftComparison.run("voxmorph", in, rate, semitones, out);
            ShiftQuality.Result r = ShiftQuality.measure(in, out[0], rate, latency, Math.pow(2, semitones / 12));
            frames += r.frames();
            onTarget += r.onTarget() * r.frames();
            for (double v : r.leakDb()) {
                leaks.add(v);
            }
        }
        assertTrue(frames > 250, speaker + ": only " + frames + " frames voiced in both");
        double share = onTarget / frames;
        double leak = leaks.isEmpty() ? Double.NaN : Measure.median(leaks);
        System.out.printf("%+.0f st %s at %d Hz: %.1f%% of %d frames on target, odd/even median %.1f dB%n", semitones, speaker,
                rate, 100 * share, frames, leak);
        return new double[] {share, leak};
    }

    /**
     * Every speaker at least 95 % on target and, where {@code leakBound} is a number, an odd/even
     * median below it (an octave down has no odd/even figure: every original harmonic is a new one).
     */
    private static void assertOnTarget(double semitones, int rate, double leakBound) throws Exception {
        for (String speaker : SPEAKERS) {
            double[] r = pooled(speaker, semitones, rate);
            String what = String.format("%+.0f st %s at %d Hz", semitones, speaker, rate);
            assertTrue(r[0] >= 0.95, what + ": " + r[0] + " of the voiced frames within 3 semitones of the target");
            if (!Double.isNaN(leakBound)) {
                assertTrue(r[1] < leakBound, what + ": odd/even median " + r[1] + " dB");
            }
        }
    }

    @Test
    void anOctaveUpLandsOnTheNewPitchForEverySpeaker() throws Exception {
        // The nearest-grain shifter read 18-60 % on target and -17.5 to -19.8 dB here.
        assertOnTarget(12, RATE, -25);
        assertOnTarget(12, 48000, -25);
    }

    @Test
    void anOctaveDownLandsOnTheNewPitchForEverySpeaker() throws Exception {
        // Before downward grains kept their dips this read 85-92 % (Praat heard the original pitch).
        assertOnTarget(-12, RATE, Double.NaN);
        assertOnTarget(-12, 48000, Double.NaN);
    }

    @Test
    void aNineteenthUpAndDownLandsOnTheNewPitch() throws Exception {
        assertOnTarget(19, RATE, -25);
        assertOnTarget(-19, RATE, Double.NaN);
    }

    /**
     * A fifth either way lands on the new pitch and meets the -25 dB odd/even bar (worst speaker
     * -26.5 dB up, -25.5 dB down: p227, whose perfect shift reads -28.9 dB, {@link LeakMeterCheck};
     * -24.4 and -24.5 dB before each mark's period was measured around the mark).
     */
    @Test
    void aFifthUpAndDownLandsOnTheNewPitch() throws Exception {
        assertOnTarget(7, RATE, -25);
        assertOnTarget(-7, RATE, -25);
    }

    /**
     * A semitone either side of the octave: Praat locks onto the octave below wherever the first
     * frames of a vowel carry the original pitch (+11 read 94.7 % for p228, +13 94.9 % for p225
     * before a voiced stretch stopped breaking off in its first 20 ms), and -11 read -25.0 dB.
     * An octave and a semitone down read -23.6 dB for p227 (-30 dB where his voice is periodic,
     * -20 dB in the half of the frames where it is rough; a perfect shift reads -27.9 dB) while
     * each grain mixed the periods over 1 / ratio marks around it at their marks: marks are a
     * measured period apart, not on his wandering creaky pulses, so the mix kept the roughness.
     * Mixed over 4 / ratio marks of about the same period, each aligned to the main one, he reads
     * -25.5 dB (-25.2 at 48 kHz).
     */
    @Test
    void aSemitoneEitherSideOfTheOctaveLandsOnTheNewPitch() throws Exception {
        assertOnTarget(11, RATE, -25);
        assertOnTarget(-11, RATE, -25);
        assertOnTarget(13, RATE, -25);
        assertOnTarget(-13, RATE, -25);
    }

    /**
     * What p227 keeps at -13 is not the original pitch. The odd/even meter sums whatever lies at
     * the original's harmonic places; read again at their mirror images about the nearest new
     * harmonic (nobody's harmonic at this ratio, the same distance from the new ones), the
     * shifter's output reads about the same or higher on every speaker (p227 -25.5 at the original's
     * places, -25.1 dB mirrored; others 0.7-2.3 dB higher mirrored; with the periods mixed unaligned,
     * p227 read -23.6 and -23.9 dB): broadband roughness between the new harmonics, mostly below
     * 1 kHz in his creaky frames, not a buzz at the original pitch.
     * The same check on a perfect shift with the original's own harmonics added 10 dB down (a real
     * leak, reading -22 to -29 dB) finds them 5.6-7.5 dB above the mirror images.
     */
    @Test
    void whatAnOctaveAndASemitoneDownLeavesIsNotTheOriginalPitch() throws Exception {
        double semitones = -13;
        double ratio = Math.pow(2, semitones / 12);
        for (String speaker : SPEAKERS) {
            List<Double> shifted = new ArrayList<>();
            List<Double> shiftedMirror = new ArrayList<>();
            List<Double> leaking = new ArrayList<>();
            List<Double> leakingMirror = new ArrayList<>();
            for (String utterance : UTTERANCES) {
                float[] in = Speech.vctk(speaker, utterance);
                float[][] out = new float[1][];
                int latency = ShiftComparison.run("voxmorph", in, RATE, semitones, out);
                addAll(shifted, ShiftQuality.measure(in, out[0], RATE, latency, ratio, false));
                addAll(shiftedMirror, ShiftQuality.measure(in, out[0], RATE, latency, ratio, true));
                ShiftQuality.Track track = ShiftQuality.praat(in, RATE, 75, 600);
                float[] perfect = LeakMeterCheck.shaped(in, track, RATE, ratio);
                float[] original = LeakMeterCheck.shaped(in, track, RATE, 1);
                for (int i = 0; i < perfect.length; i++) {
                    perfect[i] += (float) (original[i] * Math.pow(10, -10 / 20.0));
                }
                addAll(leaking, ShiftQuality.measure(in, perfect, RATE, 0, ratio, false));
                addAll(leakingMirror, ShiftQuality.measure(in, perfect, RATE, 0, ratio, true));
            }
            double own = Measure.median(shifted) - Measure.median(shiftedMirror);
            double control = Measure.median(leaking) - Measure.median(leakingMirror);
            System.out.printf("-13 st %s: odd/even %.1f dB, mirrored %.1f dB; perfect shift with a real leak %.1f dB, mirrored %.1f dB%n",
                    speaker, Measure.median(shifted), Measure.median(shiftedMirror), Measure.median(leaking),
                    Measure.median(leakingMirror));
            assertTrue(control > 4, speaker + ": a real leak reads only " + control + " dB above its mirror images");
            assertTrue(own < 2, speaker + ": the original's places read " + own + " dB above their mirror images");
        }
    }

    private static void addAll(List<Double> to, ShiftQuality.Result r) {
        for (double v : r.leakDb()) {
            to.add(v);
        }
    }

    /**
     * Downward shifts at 48 kHz meet the odd/even bar too (worst speaker: -25.7 dB at -7, -26.3 dB
     * at -11, -25.2 dB at -13; -25.4 and -23.7 dB before the periods a grain mixes were aligned).
     */
    @Test
    void downwardShiftsMeetTheOddEvenBarAt48kHz() throws Exception {
        assertOnTarget(-7, 48000, -25);
        assertOnTarget(-11, 48000, -25);
        assertOnTarget(-13, 48000, -25);
    }

    /** +13 at 48 kHz (94.8 % for p225 with linearly mixed grains). */
    @Test
    void anOctaveAndASemitoneUpLandsOnTheNewPitchAt48kHz() throws Exception {
        assertOnTarget(13, 48000, -25);
    }

    /** What +4 achieved before the octave work: pitch within 1 %, formants within 2 % (pooled, 4 speakers). */
    @Test
    void fourSemitonesKeepPitchAndFormantsExact() throws Exception {
        List<Double> f1 = new ArrayList<>();
        List<Double> f2 = new ArrayList<>();
        List<Double> pitch = new ArrayList<>();
        int latency = new PsolaPitchShifter(RATE).latencySamples();
        for (String speaker : SPEAKERS) {
            float[] in = Speech.vctk(speaker, "003");
            float[] out = PsolaPitchShifterTest.shift(in, RATE, 4, 1.0);
            List<List<Double>> r = Measure.formantRatios(in, out, latency, RATE);
            f1.addAll(r.get(0));
            f2.addAll(r.get(1));
            pitch.addAll(Measure.pitchRatios(in, out, latency, RATE));
        }
        double target = Math.pow(2, 4 / 12.0);
        System.out.printf("+4 st pooled: pitch x%.4f (target %.4f), F1 x%.3f, F2 x%.3f%n", Measure.median(pitch), target,
                Measure.median(f1), Measure.median(f2));
        assertEquals(1, Measure.median(pitch) / target, 0.01);
        assertEquals(1, Measure.median(f1), 0.02);
        assertEquals(1, Measure.median(f2), 0.02);
    }
}
