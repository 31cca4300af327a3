package org.voxmorph.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SlidingWindowTest {
    static final int RATE = 48000;
    static final int FRAME = RATE / 100;

    private static float[] run(SlidingWindow w, float[] x, int maxBlock, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] y = x.clone();
        int pos = 0;
        float[] buf = new float[maxBlock];
        while (pos < y.length) {
            int n = Math.min(y.length - pos, 1 + r.nextInt(maxBlock));
            System.arraycopy(y, pos, buf, 0, n);
            w.process(buf, n);
            System.arraycopy(buf, 0, y, pos, n);
            pos += n;
        }
        return y;
    }

    @Test
    void reportedLatencyIsMeasuredForEverySetting() {
        int[][] settings = {{16, 30, 6, 40}, {10, 20, 3, 5}, {25, 0, 1, 20}};
        for (int[] s : settings) {
            SlidingWindow w = new SlidingWindow(FRAME, s[0], s[1], s[2], s[3] * RATE / 1000, RATE / 100, (in, out) ->
                    System.arraycopy(in, 0, out, 0, in.length));
            float[] x = new float[RATE];
            int at = RATE / 3 + 17;
            x[at] = 1f;
            float[] y = run(w, x, 1000, s[0]);
            int peak = TestModels.argMaxAbs(y);
            assertEquals(w.latencySamples(), peak - at, "block " + s[0] + " frames, crossfade " + s[3] + " ms");
            assertEquals(1.0, y[peak], 1e-6);
            int search = Math.min(RATE / 100, s[1] * FRAME); // SOLA cannot search before the window
            int right = Math.max(s[2], (int) Math.ceil((search + s[3] * RATE / 1000.0) / FRAME));
            assertEquals((s[0] + right) * FRAME, w.latencySamples(), "latency is block plus look-ahead");
        }
    }

    /**
     * A converter that renders the same tone with a different phase in every window (as a
     * non-streaming model may): without SOLA every join would jump; with it, the largest
     * sample-to-sample step stays near that of the sine itself.
     */
    @Test
    void solaJoinsInconsistentWindowsWithoutDiscontinuities() {
        double hz = 200;
        double amplitude = 0.5;
        java.util.Random phases = new java.util.Random(5);
        SlidingWindow w = new SlidingWindow(FRAME, 16, 30, 6, 40 * RATE / 1000, RATE / 100, (in, out) -> {
            double phase = phases.nextDouble() * 2 * Math.PI;
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / RATE + phase));
            }
        });
        float[] y = run(w, new float[3 * RATE], 512, 9);
        double sineStep = amplitude * 2 * Math.PI * hz / RATE;
        double maxStep = 0;
        double minPeak = Double.MAX_VALUE;
        int start = w.latencySamples() + w.blockSamples();
        for (int i = start; i + 1 < y.length; i++) {
            maxStep = Math.max(maxStep, Math.abs(y[i + 1] - y[i]));
        }
        for (int b = start; b + RATE / 100 < y.length; b += RATE / 100) {
            double peak = 0;
            for (int i = b; i < b + RATE / 100; i++) {
                peak = Math.max(peak, Math.abs(y[i]));
            }
            minPeak = Math.min(minPeak, peak);
        }
        assertTrue(maxStep < 1.3 * sineStep, "largest step " + maxStep + " vs the sine's own " + sineStep);
        assertTrue(minPeak > 0.8 * amplitude, "no dip at the joins: smallest 10 ms peak " + minPeak);
    }

    @Test
    void withoutAlignmentTheSameJoinsWouldJump() {
        // Guards the test above: the same windows spliced at the nominal offset do jump.
        double hz = 200;
        float[] a = new float[100];
        float[] b = new float[100];
        for (int i = 0; i < 100; i++) {
            a[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / RATE));
            b[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / RATE + 2.0));
        }
        assertTrue(Math.abs(b[50] - a[49]) > 5 * 0.5 * 2 * Math.PI * hz / RATE);
    }
}
