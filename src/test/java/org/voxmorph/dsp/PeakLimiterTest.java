package org.voxmorph.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeakLimiterTest {

    private static PeakLimiter limiter(int rate, double ceilingDb) {
        PeakLimiter l = new PeakLimiter(rate, (int) Math.round(1.5 * rate / 1000));
        l.setCeilingDb(ceilingDb);
        l.setReleaseMs(50);
        return l;
    }

    private static float[] run(PeakLimiter l, float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = l.process(x[i]);
        }
        return y;
    }

    /** Signals 20 dB and more over full scale, the kinds that defeat limiters without lookahead. */
    private static float[][] hotSignals(int rate) throws Exception {
        int n = rate;
        int[] speechRate = new int[1];
        float[] speech = Signals.readWav("../shared/speech/vctk_p225/p225_003.wav", speechRate);
        float[] hotSpeech = new float[speech.length];
        float toPlus20Db = 10 / (float) Signals.peak(speech);
        for (int i = 0; i < speech.length; i++) {
            hotSpeech[i] = speech[i] * toPlus20Db;
        }
        float[] square = new float[n];
        float[] impulses = new float[n];
        float[] noise = new float[n];
        Random random = new Random(5);
        for (int i = 0; i < n; i++) {
            square[i] = (i / (rate / 200)) % 2 == 0 ? 10f : -10f;
            noise[i] = (float) (random.nextGaussian() * 3);
        }
        for (int i = 100; i < n; i += 37 + random.nextInt(500)) {
            impulses[i] = random.nextBoolean() ? 30f : -30f; // isolated clicks up to +30 dB
        }
        impulses[n - 1] = 30f;
        return new float[][] {hotSpeech, Signals.sine(50, rate, n, 10), Signals.sine(1000, rate, n, 10),
                Signals.sine(7000, rate, n, 12), square, impulses, noise};
    }

    @ParameterizedTest
    @ValueSource(ints = {16000, 48000})
    void noSampleEverPassesTheCeiling(int rate) throws Exception {
        for (double ceilingDb : new double[] {-1, 0, -6}) {
            float ceiling = (float) Math.min(1.0, Math.pow(10, ceilingDb / 20));
            for (float[] x : hotSignals(rate)) {
                float[] y = run(limiter(rate, ceilingDb), x);
                double peak = Signals.peak(y);
                assertTrue(peak <= ceiling, "peak " + peak + " over the ceiling " + ceiling);
                assertTrue(peak > ceiling * 0.9, "limited far below the ceiling: " + peak);
            }
        }
    }

    @Test
    void quietSignalsPassUnchangedAfterTheLookahead() throws Exception {
        int[] rate = new int[1];
        float[] speech = Signals.readWav("../shared/speech/vctk_p225/p225_003.wav", rate);
        float[] x = new float[speech.length];
        float toJustUnderTheCeiling = 0.85f / (float) Signals.peak(speech);
        for (int i = 0; i < x.length; i++) {
            x[i] = speech[i] * toJustUnderTheCeiling;
        }
        PeakLimiter l = limiter(rate[0], -1);
        int latency = l.latencySamples();
        assertEquals(24, latency);
        float[] y = run(l, x);
        for (int i = 0; i + latency < y.length; i++) {
            assertEquals(x[i], y[i + latency], 1e-6, "sample " + i);
        }
    }

    @Test
    void gainRampsDownOverTheLookaheadInsteadOfJumping() {
        int rate = 48000;
        PeakLimiter l = limiter(rate, -1);
        int window = l.latencySamples() + 1;
        float[] x = new float[rate / 2];
        for (int i = 0; i < x.length; i++) {
            // Never zero, so the applied gain can be read off every sample; +32 dB step half-way.
            x[i] = (i % 2 == 0 ? 1 : -1) * (i < x.length / 2 ? 0.1f : 4f);
        }
        float[] y = run(l, x);
        double minGain = Math.pow(10, -1 / 20.0) / 4;
        double steepest = 0;
        double lowest = 1;
        for (int i = 1; i + window - 1 < y.length; i++) {
            double gain = y[i + window - 1] / x[i];
            double previous = y[i + window - 2] / x[i - 1];
            steepest = Math.max(steepest, Math.abs(gain - previous));
            lowest = Math.min(lowest, gain);
        }
        // The gain falls along a straight ramp across the lookahead: the smallest steps that reach the target in time.
        assertEquals(minGain, lowest, 1e-6);
        assertEquals((1 - minGain) / window, steepest, 1e-6);
    }

    @Test
    void nonFiniteInputComesOutAsSilence() {
        PeakLimiter l = new PeakLimiter(48000, 0);
        l.setCeilingDb(-1);
        l.setReleaseMs(50);
        assertEquals(0f, l.process(Float.NaN));
        assertEquals(0f, l.process(Float.POSITIVE_INFINITY));
        assertEquals(0.5f, l.process(0.5f));
    }
}
