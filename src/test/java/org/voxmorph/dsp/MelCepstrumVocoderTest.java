package org.voxmorph.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MelCepstrumVocoderTest {
    private static final int RATE = MelCepstrumVocoder.SAMPLE_RATE;
    private static final int HOP = MelCepstrumVocoder.HOP;
    private static final int ORDER = 24;
    private static final double ALPHA = 0.42;

    /**
     * A vowel-like envelope: bumps of +1 (ln units, about 9 dB) at 700, 1200 and 2600 Hz on the warped
     * axis, over a falling tilt, built directly as cosine-series coefficients.
     */
    static float[] formantCepstrum() {
        float[] c = new float[ORDER + 1];
        c[0] = -0.5f;
        c[1] = 0.6f; // a gentle fall from low to high frequencies
        for (double hz : new double[] {700, 1200, 2600}) {
            double theta = MelCepstrumVocoder.warp(2 * Math.PI * hz / RATE, ALPHA);
            for (int m = 1; m <= ORDER; m++) {
                double width = 0.12 * m;
                c[m] += (float) (2 * 0.12 / Math.sqrt(2 * Math.PI) * Math.cos(m * theta) * Math.exp(-width * width / 2) * 2.5);
            }
        }
        return c;
    }

    /** ln|H| at {@code hz}, straight from the definition (warped frequency, cosine series). */
    static double logEnvelope(float[] c, double hz) {
        double w = 2 * Math.PI * hz / RATE;
        double beta = w + 2 * Math.atan(ALPHA * Math.sin(w) / (1 - ALPHA * Math.cos(w)));
        double sum = 0;
        for (int m = 0; m < c.length; m++) {
            sum += c[m] * Math.cos(m * beta);
        }
        return sum;
    }

    private static float[] render(MelCepstrumVocoder v, float[] mcep, double f0, int hops) {
        float[] y = new float[hops * HOP];
        for (int h = 0; h < hops; h++) {
            v.synthesize(mcep, f0, y, h * HOP);
        }
        return y;
    }

    @Test
    void voicedOutputHasTheRequestedPitchAcrossHopBoundaries() {
        float[] c = formantCepstrum();
        for (double f0 : new double[] {97.3, 123.4, 221.7}) {
            MelCepstrumVocoder v = new MelCepstrumVocoder(ORDER, ALPHA);
            float[] y = render(v, c, f0, 100);
            NsdfPitch tracker = new NsdfPitch(RATE);
            List<Double> pitches = new ArrayList<>();
            for (int start = 0; start + 1024 <= y.length; start += HOP) {
                double p = tracker.pitchHz(y, start, 1024);
                if (p > 0) {
                    pitches.add(p);
                }
            }
            assertTrue(pitches.size() > 80, "voiced frames at " + f0 + " Hz: " + pitches.size());
            double median = Measure.median(pitches);
            assertEquals(1.0, median / f0, 0.01, "measured " + median + " Hz for f0 " + f0);
        }
    }

    @Test
    void noiseSpectrumFollowsTheCepstralEnvelope() {
        float[] c = formantCepstrum();
        float[] y = render(new MelCepstrumVocoder(ORDER, ALPHA), c, 0, 600);
        double[] power = welch(y, 1024);
        double worst = 0;
        double worstHz = 0;
        for (int k = 13; k <= 384; k++) { // 203 .. 6000 Hz
            double sum = 0;
            for (int j = -3; j <= 3; j++) {
                sum += power[k + j];
            }
            double measuredDb = 10 * Math.log10(sum / 7);
            double hz = k * (double) RATE / 1024;
            double expectedDb = 20 / Math.log(10) * logEnvelope(c, hz);
            if (Math.abs(measuredDb - expectedDb) > worst) {
                worst = Math.abs(measuredDb - expectedDb);
                worstHz = hz;
            }
        }
        double range = 20 / Math.log(10) * (logEnvelope(c, 700) - logEnvelope(c, 5000));
        assertTrue(range > 15, "the test envelope has formant structure: " + range + " dB");
        assertTrue(worst < 1.5, "largest deviation from ln|H| " + worst + " dB at " + worstHz + " Hz");
    }

    /** Averaged periodogram with a Hann window, normalised so white noise of variance 1 reads 1 per bin. */
    private static double[] welch(float[] y, int size) {
        Fft fft = new Fft(size);
        double[] re = new double[size];
        double[] im = new double[size];
        double[] sum = new double[size / 2 + 1];
        double windowPower = 0;
        for (int i = 0; i < size; i++) {
            double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / size);
            windowPower += w * w;
        }
        int frames = 0;
        for (int start = 0; start + size <= y.length; start += size / 2, frames++) {
            for (int i = 0; i < size; i++) {
                re[i] = y[start + i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / size));
                im[i] = 0;
            }
            fft.transform(re, im, false);
            for (int k = 0; k <= size / 2; k++) {
                sum[k] += (re[k] * re[k] + im[k] * im[k]) / windowPower;
            }
        }
        for (int k = 0; k < sum.length; k++) {
            sum[k] /= frames;
        }
        return sum;
    }

    @Test
    void theFilterIsMinimumPhaseAndCausal() {
        // One voiced hop at 50 Hz holds a single pulse, on its first sample; the hops after it are
        // silent (c0 = -30), so what follows is the first hop's filter response carried as its tail.
        MelCepstrumVocoder v = new MelCepstrumVocoder(ORDER, ALPHA);
        float[] silent = new float[ORDER + 1];
        silent[0] = -30;
        float[] y = new float[8 * HOP];
        v.synthesize(formantCepstrum(), 50, y, 0);
        for (int h = 1; h < 8; h++) {
            v.synthesize(silent, 0, y, h * HOP);
        }
        double total = Signals.rms(y, 0, y.length);
        double first10ms = Signals.rms(y, 0, HOP) * Math.sqrt(HOP / (double) y.length);
        int peak = 0;
        for (int i = 1; i < y.length; i++) {
            peak = Math.abs(y[i]) > Math.abs(y[peak]) ? i : peak;
        }
        assertTrue(peak < 16, "the response peaks at once, not after a linear-phase delay: sample " + peak);
        assertTrue(first10ms * first10ms > 0.9 * total * total,
                "energy in the first 10 ms: " + first10ms * first10ms / (total * total));
    }

    @Test
    void flatEnvelopeGivesUnitPowerVoicedAndUnvoiced() {
        float[] flat = new float[ORDER + 1];
        float[] noise = render(new MelCepstrumVocoder(ORDER, ALPHA), flat, 0, 400);
        double unvoiced = Signals.rms(noise, 0, noise.length);
        assertEquals(1.0, unvoiced * unvoiced, 0.05, "unvoiced mean power");
        // Whole-sample periods: a pulse split between two samples (as the contract asks) keeps its
        // low frequencies but loses some of its highs, so only these read exactly 1 over the whole band.
        for (double f0 : new double[] {100, 160}) {
            float[] buzz = render(new MelCepstrumVocoder(ORDER, ALPHA), flat, f0, 400);
            double voiced = Signals.rms(buzz, 0, buzz.length);
            assertEquals(1.0, voiced * voiced, 0.05, "voiced mean power at " + f0 + " Hz");
        }
    }

    @Test
    void resetReproducesTheSameOutput() {
        MelCepstrumVocoder v = new MelCepstrumVocoder(ORDER, ALPHA);
        float[] c = formantCepstrum();
        float[] a = new float[60 * HOP];
        float[] b = new float[60 * HOP];
        for (int pass = 0; pass < 2; pass++) {
            float[] out = pass == 0 ? a : b;
            for (int h = 0; h < 60; h++) {
                v.synthesize(c, h % 20 < 12 ? 100 + 3 * h : 0, out, h * HOP);
            }
            v.reset();
        }
        assertTrue(Signals.rms(a, 0, a.length) > 0.1, "it made sound");
        assertArrayEquals(a, b);
    }

    @Test
    void synthesisDoesNotAllocate() {
        MelCepstrumVocoder v = new MelCepstrumVocoder(ORDER, ALPHA);
        float[] c = formantCepstrum();
        float[] out = new float[HOP];
        long bytes = Signals.allocatedBytes(() -> {
            for (int h = 0; h < 50; h++) {
                v.synthesize(c, h % 2 == 0 ? 150 : 0, out, 0);
            }
        });
        assertEquals(0, bytes, "bytes allocated per 50 hops");
    }
}
