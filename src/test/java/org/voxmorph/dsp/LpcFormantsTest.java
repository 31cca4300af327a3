package org.voxmorph.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LpcFormantsTest {

    @Test
    void findsTheResonancesOfASyntheticVowel() {
        double[][] vowels = {{700, 1200}, {300, 2200}, {500, 1000}};
        for (double[] f : vowels) {
            float[] x = Signals.vowel(16000, 0.5, 120, f[0], f[1]);
            LpcFormants lpc = new LpcFormants(16000);
            double[] out = new double[2];
            assertTrue(lpc.estimate(x, 4000, out), "no formants for " + f[0] + "/" + f[1]);
            // LPC on a harmonic spectrum leans towards the nearest harmonic: allow half the 120 Hz spacing.
            assertEquals(f[0], out[0], Math.max(60, f[0] * 0.08), "F1 of " + f[0] + "/" + f[1]);
            assertEquals(f[1], out[1], Math.max(60, f[1] * 0.08), "F2 of " + f[0] + "/" + f[1]);
        }
    }

    @Test
    void silenceHasNoFormants() {
        assertFalse(new LpcFormants(16000).estimate(new float[800], 0, new double[2]));
    }

    @Test
    void speechFormantsFallInTheUsualRanges() throws Exception {
        float[] x = Speech.vctk("p226", "003");
        double[][] rows = new LpcFormants(16000).track(x, 160, PitchTrackers.create("mpm", 16000, 1024));
        List<Double> f1 = new ArrayList<>();
        List<Double> f2 = new ArrayList<>();
        for (double[] r : rows) {
            if (r != null) {
                f1.add(r[0]);
                f2.add(r[1]);
            }
        }
        assertTrue(f1.size() > 100, "voiced frames " + f1.size());
        // Adult male speech: F1 mostly 250..850 Hz, F2 mostly 850..2500 Hz.
        double m1 = Measure.median(f1);
        double m2 = Measure.median(f2);
        assertTrue(m1 > 250 && m1 < 850, "median F1 " + m1);
        assertTrue(m2 > 850 && m2 < 2500, "median F2 " + m2);
    }
}
