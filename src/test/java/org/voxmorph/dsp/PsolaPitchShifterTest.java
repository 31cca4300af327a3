package org.voxmorph.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Measured behaviour of the shifter on VCTK speech (16 kHz) and synthetic signals. Pitch is
 * measured with a test-side NSDF tracker, formants with LPC, both independent of the shifter's
 * YIN. Input and output are compared frame by frame, the output frame taken latencySamples()
 * later, and the median over the frames voiced in both is checked.
 */
class PsolaPitchShifterTest {
    private static final double RATE = 16000;
    private static final String[] SPEAKERS = {"p225", "p226", "p227", "p228"};

    static float[] shift(float[] in, double rate, double semitones, double formant) {
        PsolaPitchShifter shifter = new PsolaPitchShifter(rate);
        shifter.setShift(Math.pow(2, semitones / 12), formant);
        float[] y = Arrays.copyOf(in, in.length + shifter.latencySamples());
        for (int i = 0; i < y.length; i += 160) {
            shifter.process(y, i, Math.min(160, y.length - i));
        }
        return y;
    }

    @ParameterizedTest
    @ValueSource(ints = {-12, -5, 5, 12})
    void pitchMovesByTheSemitonesOnEverySpeaker(int semitones) throws Exception {
        double target = Math.pow(2, semitones / 12.0);
        for (String speaker : SPEAKERS) {
            float[] in = Speech.vctk(speaker, "003");
            float[] out = shift(in, RATE, semitones, 1.0);
            List<Double> ratios = Measure.pitchRatios(in, out, new PsolaPitchShifter(RATE).latencySamples(), RATE);
            double median = Measure.median(ratios);
            long onTarget = ratios.stream().filter(r -> Math.abs(r / target - 1) < 0.03).count();
            System.out.printf("pitch %+d st %s: median ratio/target %.4f over %d frames, %.0f%% within 3%%%n",
                    semitones, speaker, median / target, ratios.size(), 100.0 * onTarget / ratios.size());
            assertTrue(ratios.size() > 60, speaker + ": only " + ratios.size() + " frames voiced in both");
            assertEquals(1.0, median / target, 0.02, speaker + " " + semitones + " st: median ratio " + median);
            // Most frames, not just the median: a shifter that often falls back to the input pitch fails here.
            assertTrue(onTarget > 0.6 * ratios.size(), speaker + ": only " + onTarget + "/" + ratios.size() + " frames on target");
        }
    }

    /**
     * Medians over the voiced frames of all four speakers pooled (per-speaker figures are printed).
     * LPC on a harmonic spectrum snaps F1 towards a harmonic, so one speaker's F1 median wanders by
     * several percent either way; F2, with more harmonics under it, is measured much more tightly.
     */
    private static double[] pooledFormantRatios(double semitones, double formant) throws Exception {
        List<Double> f1 = new ArrayList<>();
        List<Double> f2 = new ArrayList<>();
        List<Double> pitch = new ArrayList<>();
        int latency = new PsolaPitchShifter(RATE).latencySamples();
        for (String speaker : SPEAKERS) {
            float[] in = Speech.vctk(speaker, "003");
            float[] out = shift(in, RATE, semitones, formant);
            List<List<Double>> r = Measure.formantRatios(in, out, latency, RATE);
            System.out.printf("%+.0f st, formant %.2f, %s: F1 x%.3f F2 x%.3f over %d frames%n", semitones, formant, speaker,
                    Measure.median(r.get(0)), Measure.median(r.get(1)), r.get(0).size());
            assertTrue(r.get(0).size() > 80, speaker + ": too few voiced frames " + r.get(0).size());
            f1.addAll(r.get(0));
            f2.addAll(r.get(1));
            pitch.addAll(Measure.pitchRatios(in, out, latency, RATE));
        }
        double[] result = {Measure.median(f1), Measure.median(f2), Measure.median(pitch)};
        System.out.printf("%+.0f st, formant %.2f, pooled: F1 x%.3f F2 x%.3f, pitch x%.4f%n", semitones, formant,
                result[0], result[1], result[2]);
        return result;
    }

    @Test
    void formantsStayWhenThePitchGoesUpAFifth() throws Exception {
        double[] r = pooledFormantRatios(7, 1.0);
        assertEquals(1.0, r[0], 0.05, "F1 moved");
        assertEquals(1.0, r[1], 0.05, "F2 moved");
        assertEquals(1.5, r[2], 0.03, "pitch");
    }

    /**
     * F2 must move by 20% +- 4%. F1 is held to +- 7% instead: its LPC estimate reads 4-5% high on
     * any formant-shifted PSOLA output (1.25-1.26 for a ratio of 1.2, 0.89 for 0.85) while F2 lands
     * on 1.20 and 0.86, so the excess is the estimator on a resampled harmonic spectrum, not the
     * shift. (Marks placed with a period measured nearer to them moved the 1.2 reading from 1.244
     * to 1.262; F2 did not move.)
     */
    @Test
    void formantRatioMovesFormantsAtTheSamePitch() throws Exception {
        double[] r = pooledFormantRatios(0, 1.2);
        assertEquals(1.2, r[0], 0.07, "F1");
        assertEquals(1.2, r[1], 0.04, "F2");
        assertEquals(1.0, r[2], 0.01, "pitch must not follow the formants");
        double[] down = pooledFormantRatios(0, 0.85);
        assertEquals(0.85, down[0], 0.07, "F1 down");
        assertEquals(0.85, down[1], 0.04, "F2 down");
    }

    @Test
    void unshiftedSpeechComesOutUnchanged() throws Exception {
        int latency = new PsolaPitchShifter(RATE).latencySamples();
        for (String speaker : SPEAKERS) {
            float[] in = Speech.vctk(speaker, "008");
            float[] out = shift(in, RATE, 0, 1.0);
            double error = 0;
            double power = 0;
            for (int i = 0; i < in.length; i++) {
                double d = out[i + latency] - in[i];
                error += d * d;
                power += in[i] * in[i];
            }
            double snr = 10 * Math.log10(power / error);
            System.out.printf("identity %s: SNR %.1f dB%n", speaker, snr);
            assertTrue(snr > 60, speaker + ": unshifted output differs from the input, SNR " + snr + " dB");
        }
    }

    /**
     * A click at a grain join shows as a sample-to-sample step larger than the signal's own: larger
     * than a sine at the input frequency or output frequency, whichever is higher, with the
     * output's own peak could make. The peak, not the input's amplitude: a shift keeps the power
     * of speech, whose grains add out of phase, so a pure tone can come out a little louder.
     */
    @Test
    void noStepsAtGrainJoinsOnASine() {
        for (double hz : new double[] {150, 300}) {
            float[] in = Signals.sineSeconds(RATE, 1.5, hz, 0.5);
            for (double[] setting : new double[][] {{-5, 1}, {5, 1}, {3, 0.85}, {-3, 1.2}}) {
                float[] out = shift(in, RATE, setting[0], setting[1]);
                double outStep = 0;
                double peak = 0;
                for (int i = (int) RATE / 2; i < in.length; i++) {
                    outStep = Math.max(outStep, Math.abs(out[i] - out[i - 1]));
                    peak = Math.max(peak, Math.abs(out[i]));
                }
                // The higher of input and output frequency; reading a grain faster by the formant
                // ratio steepens it by that ratio.
                double ownStep = 2 * Math.PI * hz * Math.max(1, Math.pow(2, setting[0] / 12)) / RATE * peak
                        * Math.max(1, setting[1]);
                assertTrue(peak < 0.5 * 1.5, hz + " Hz at " + Arrays.toString(setting) + ": peak " + peak);
                assertTrue(outStep < 1.25 * ownStep, hz + " Hz at " + Arrays.toString(setting) + ": step " + outStep
                        + " vs " + ownStep + " for a sine of the output's peak " + peak);
            }
        }
    }

    /**
     * Noise has no pitch: the shifter must not impose one (buzz), nor chop it into grains whose
     * level pulses at the grain rate. The pulsing is found by folding the output power at every
     * period from 2 to 12 ms and comparing the loudest and quietest phase with the input's.
     */
    @Test
    void noisePassesWithoutBuzzOrPulsing() {
        float[] in = Signals.noise(RATE, 4, 0.1, 7);
        NsdfPitch pitch = new NsdfPitch(RATE);
        double inPulsing = pulsing(Arrays.copyOfRange(in, (int) RATE / 2, in.length));
        for (double[] setting : new double[][] {{5, 1.2}, {-5, 0.85}, {12, 1}}) {
            float[] out = shift(in, RATE, setting[0], setting[1]);
            int frame = 1024;
            int voiced = 0;
            int frames = 0;
            for (int start = (int) RATE / 2; start + frame < in.length; start += 320, frames++) {
                if (pitch.pitchHz(out, start, frame) > 0) {
                    voiced++;
                }
            }
            assertTrue(voiced <= frames / 20, Arrays.toString(setting) + ": pitch found in " + voiced + "/" + frames + " noise frames");
            double outPulsing = pulsing(Arrays.copyOfRange(out, (int) RATE / 2, in.length));
            double level = Signals.rms(out, (int) RATE / 2, in.length) / Signals.rms(in, 0, in.length);
            System.out.printf("noise %s: pulsing %.3f (input %.3f), level %.3f of input%n", Arrays.toString(setting),
                    outPulsing, inPulsing, level);
            assertEquals(1.0, level, 0.2, Arrays.toString(setting) + ": noise level changed");
            assertTrue(outPulsing < 1.25 * inPulsing, Arrays.toString(setting) + ": level pulses " + outPulsing + " vs input " + inPulsing);
        }
    }

    /**
     * The largest loudest-to-quietest phase power ratio of {@code x} folded at periods of 2..12 ms,
     * the folded power smoothed over 0.5 ms: grain-rate pulsing is slow, while the sample-rate
     * pattern of fractional-delay interpolation is fast and harmless.
     */
    private static double pulsing(float[] x) {
        int smooth = (int) (0.0005 * RATE);
        double worst = 0;
        for (int period = (int) (0.002 * RATE); period <= (int) (0.012 * RATE); period++) {
            double[] power = new double[period];
            for (int i = 0; i < x.length; i++) {
                power[i % period] += x[i] * x[i];
            }
            double[] smoothed = new double[period];
            for (int i = 0; i < period; i++) {
                for (int k = 0; k < smooth; k++) {
                    smoothed[i] += power[(i + k) % period];
                }
            }
            double max = Arrays.stream(smoothed).max().orElseThrow();
            double min = Arrays.stream(smoothed).min().orElseThrow();
            worst = Math.max(worst, max / min);
        }
        return worst;
    }

    @Test
    void silenceStaysSilent() {
        float[] out = shift(new float[16000], RATE, 7, 1.3);
        for (float v : out) {
            assertEquals(0f, v);
        }
    }
}
