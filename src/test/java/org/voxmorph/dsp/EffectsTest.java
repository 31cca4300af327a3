package org.voxmorph.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EffectsTest {
    private static final int RATE = 48000;

    @Test
    void ringModulatorMovesATonToSumAndDifferenceFrequencies() {
        RingModulator ring = new RingModulator(RATE);
        float[] y = new float[RATE];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) ring.process(0.5 * Math.sin(2 * Math.PI * 1000 * i / RATE), 100, 1.0);
        }
        assertEquals(0.25, Signals.toneAmplitude(y, 0, RATE, 900, RATE), 1e-3);
        assertEquals(0.25, Signals.toneAmplitude(y, 0, RATE, 1100, RATE), 1e-3);
        assertEquals(0.0, Signals.toneAmplitude(y, 0, RATE, 1000, RATE), 1e-3);
    }

    @Test
    void combResonatesAtMultiplesOfOneOverItsDelay() {
        double feedback = 0.9;
        double wetScale = Math.sqrt(1 - feedback * feedback);
        for (double hz : new double[] {200, 300, 400, 250}) {
            CombResonator comb = new CombResonator(RATE, 30);
            float[] y = new float[RATE];
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) comb.process(0.01 * Math.sin(2 * Math.PI * hz * i / RATE), 5, feedback, 1);
            }
            // H = 1 / (1 - g e^{-jwD}) for D = 5 ms: peaks at multiples of 200 Hz, dips half-way.
            double w = 2 * Math.PI * hz * 0.005;
            double expected = wetScale / Math.hypot(1 - feedback * Math.cos(w), feedback * Math.sin(w));
            double measured = Signals.toneAmplitude(y, RATE / 2, RATE, hz, RATE) / 0.01;
            assertEquals(Signals.db(expected), Signals.db(measured), 0.05, "comb gain at " + hz + " Hz");
        }
    }

    @Test
    void saturatorPassesQuietSignalsAndRoundsOffPeaksBelowOneOverDrive() {
        Saturator s = new Saturator();
        s.setDriveDb(12);
        double limit = Math.pow(10, -12 / 20.0);
        assertEquals(0.001, s.process(0.001, 1), 1e-6);
        float[] y = new float[RATE];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) s.process(0.8 * Math.sin(2 * Math.PI * 200 * i / RATE), 1);
            assertTrue(Math.abs(y[i]) <= limit + 1e-7);
        }
        double fundamental = Signals.toneAmplitude(y, 0, RATE, 200, RATE);
        double third = Signals.toneAmplitude(y, 0, RATE, 600, RATE);
        assertTrue(Signals.db(third / fundamental) > -20, "too clean: third harmonic " + Signals.db(third / fundamental) + " dB");
        // Slope of the curve is continuous where it meets the rail.
        assertEquals(1.0, Saturator.softClip(3), 0);
        assertEquals(0.0, (Saturator.softClip(3) - Saturator.softClip(3 - 1e-6)) / 1e-6, 1e-5);
    }

    @Test
    void compressorReducesLevelsAboveThresholdByTheRatio() {
        Compressor c = new Compressor(RATE);
        c.setThresholdDb(-30);
        c.setRatio(4);
        c.setAttackMs(5);
        c.setReleaseMs(2000); // a slow release keeps the detector near the sine's peak
        c.setMakeupDb(0);
        for (double inDb : new double[] {-42, -18, -6}) {
            c.reset();
            double amp = Math.pow(10, inDb / 20);
            float[] y = new float[RATE];
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) c.process(amp * Math.sin(2 * Math.PI * 1000 * i / RATE));
            }
            double outDb = Signals.db(Signals.toneAmplitude(y, RATE / 2, RATE, 1000, RATE));
            double expected = inDb <= -30 ? inDb : -30 + (inDb + 30) / 4;
            assertEquals(expected, outDb, 0.3, "output level for " + inDb + " dB in");
        }
    }
}
