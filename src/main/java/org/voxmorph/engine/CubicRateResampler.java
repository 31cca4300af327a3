package org.voxmorph.engine;

/**
 * Four-point Catmull-Rom interpolation at a ratio near 1. Drift correction moves the ratio by a
 * fraction of a percent, where a cubic's small treble loss is inaudible and a windowed-sinc filter
 * would only add delay; at ratio 1 with no accumulated offset it passes samples through exactly.
 */
public final class CubicRateResampler implements RateResampler {
    private static final int HISTORY = 3;
    private final float[] extended;
    /** Read position in {@link #extended}, in input frames; always in [1, 2) between calls. */
    private double position = 1;

    public CubicRateResampler(int maxBlockFrames) {
        extended = new float[maxBlockFrames + HISTORY];
    }

    @Override
    public int process(float[] in, int n, double ratio, float[] out) {
        float[] e = extended;
        System.arraycopy(in, 0, e, HISTORY, n);
        double step = 1.0 / ratio;
        double t = position;
        int written = 0;
        while (t < n + 1) {
            int k = (int) t;
            double f = t - k;
            float p0 = e[k - 1];
            float p1 = e[k];
            float p2 = e[k + 1];
            float p3 = e[k + 2];
            out[written++] = (float) (p1 + 0.5 * f * (p2 - p0
                    + f * (2 * p0 - 5 * p1 + 4 * p2 - p3 + f * (3 * (p1 - p2) + p3 - p0))));
            t += step;
        }
        position = t - n;
        System.arraycopy(e, n, e, 0, HISTORY);
        return written;
    }

    @Override
    public int latencyFrames() {
        return 2;
    }
}
