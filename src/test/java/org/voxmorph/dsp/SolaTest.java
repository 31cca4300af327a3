package org.voxmorph.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SolaTest {

    private static float[] noise(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    @Test
    void findsTheOffsetWhereTheTailContinues() {
        float[] next = noise(1000, 1);
        float[] tail = new float[200];
        System.arraycopy(next, 300 + 37, tail, 0, 200);
        assertEquals(37, Sola.bestOffset(tail, 200, next, 300, 50));
    }

    @Test
    void silenceKeepsTheCentreOffset() {
        assertEquals(20, Sola.bestOffset(new float[100], 100, noise(400, 2), 100, 20));
    }

    @Test
    void identicalSegmentsCrossfadeToThemselves() {
        float[] x = noise(256, 3);
        float[] out = new float[256];
        Sola.crossfade(x, x, 0, out, 0, 256);
        for (int i = 0; i < 256; i++) {
            assertEquals(x[i], out[i], 1e-5, "correlated signals need gains summing to one, at " + i);
        }
    }

    @Test
    void uncorrelatedSegmentsKeepTheirPower() {
        int n = 20000;
        float[] a = noise(n, 4);
        float[] b = noise(n, 5);
        float[] out = new float[n];
        Sola.crossfade(a, b, 0, out, 0, n);
        double mid = 0;
        for (int i = n / 2 - 2000; i < n / 2 + 2000; i++) {
            mid += out[i] * out[i];
        }
        assertEquals(1.0, mid / 4000, 0.08, "power in the middle of the fade");
    }
}
