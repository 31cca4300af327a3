package org.voxmorph.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NoiseGateTest {
    private static final int RATE = 16000;

    /** Threshold -45 dB, closes below -51 dB. */
    private static NoiseGate gate(double holdMs, double releaseMs) {
        NoiseGate g = new NoiseGate(RATE);
        g.setThresholds(-45, 6);
        g.setHoldMs(holdMs);
        g.setAttackMs(1);
        g.setReleaseMs(releaseMs);
        g.setFloorDb(-60);
        g.reset();
        return g;
    }

    private static double amp(double db) {
        return Math.pow(10, db / 20);
    }

    @Test
    void opensOnSpeechAndPassesIt() throws Exception {
        int[] rate = new int[1];
        float[] speech = Signals.readWav("../shared/speech/vctk_p225/p225_003.wav", rate);
        NoiseGate g = gate(100, 80);
        float[] y = new float[speech.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) g.process(speech[i]);
        }
        double lossDb = Signals.db(Signals.rms(y, 0, y.length) / Signals.rms(speech, 0, speech.length));
        System.out.printf("gate on speech: level change %.2f dB%n", lossDb);
        assertTrue(lossDb > -0.5, "speech lost " + lossDb + " dB in the gate");
    }

    @Test
    void staysClosedOnNoiseBelowTheThreshold() {
        NoiseGate g = gate(100, 80);
        Random random = new Random(3);
        float[] noise = new float[RATE * 2];
        float[] y = new float[noise.length];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (random.nextGaussian() * amp(-62)); // peaks near -50 dB, below the -45 dB threshold
            y[i] = (float) g.process(noise[i]);
            assertFalse(g.isOpen(), "opened at sample " + i);
        }
        double attenuation = Signals.db(Signals.rms(y, RATE / 10, y.length) / Signals.rms(noise, RATE / 10, noise.length));
        assertEquals(-60, attenuation, 0.5);
    }

    @Test
    void aLevelBetweenTheThresholdsKeepsTheCurrentState() {
        float[] between = Signals.sine(500, RATE, RATE, amp(-48));
        NoiseGate closed = gate(50, 20);
        for (float v : between) {
            closed.process(v);
            assertFalse(closed.isOpen(), "a closed gate opened below the open threshold");
        }
        NoiseGate open = gate(50, 20);
        for (float v : Signals.sine(500, RATE, RATE / 10, amp(-20))) {
            open.process(v);
        }
        assertTrue(open.isOpen());
        for (float v : between) {
            double y = open.process(v);
            assertTrue(open.isOpen(), "an open gate closed above the close threshold");
            assertEquals(v, y, 1e-6);
        }
        // The same tone 4 dB lower is below the close threshold: the gate does close.
        for (float v : Signals.sine(500, RATE, RATE / 5, amp(-52))) {
            open.process(v);
        }
        assertFalse(open.isOpen());
    }

    @ParameterizedTest
    @ValueSource(ints = {50, 200})
    void closesHoldMsAfterTheLevelFallsBelowTheCloseThreshold(int holdMs) {
        NoiseGate g = gate(holdMs, 0.5);
        double loud = amp(-20);
        double quiet = amp(-70);
        int period = 16; // 1 kHz at 16 kHz
        int lastCrest = 4 + period * 200;
        int n = lastCrest + RATE;
        int closedAt = -1;
        for (int i = 0; i < n; i++) {
            double s = Math.sin(2 * Math.PI * 1000 * i / RATE);
            double x = (i <= lastCrest ? loud : quiet) * s;
            double y = g.process(x);
            // The quiet tone passes at unity while the gate holds; note where it is halved.
            if (i > lastCrest && closedAt < 0 && Math.abs(s) > 0.5 && Math.abs(y / x) < 0.5) {
                closedAt = i;
            }
        }
        double detectorFall = Math.log(loud / amp(-51)) * NoiseGate.DETECTOR_RELEASE_MS / 1000 * RATE;
        double measuredMs = (closedAt - lastCrest - detectorFall) * 1000.0 / RATE;
        System.out.printf("gate hold %d ms measured as %.2f ms%n", holdMs, measuredMs);
        assertEquals(holdMs, measuredMs, 1.0);
    }
}
