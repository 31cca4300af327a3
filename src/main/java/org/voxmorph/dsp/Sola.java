package org.voxmorph.dsp;

/**
 * Synchronized overlap-add for joining consecutive outputs of a non-streaming model.
 *
 * <p>The previous output's continuation (the "tail") and the new output overlap by a crossfade
 * length. {@link #bestOffset} finds where in the new output the tail lines up best (normalised
 * cross-correlation), then {@link #crossfade} blends the two with gains that keep the power
 * constant for the correlation actually measured: fully correlated segments get gains summing to
 * one (no bump), uncorrelated ones get the classic sin/cos equal-power pair (no dip).
 */
public final class Sola {
    private Sola() {
    }

    /**
     * The offset {@code d} in {@code 0..2*search} for which {@code next[from+d ..]} matches
     * {@code tail[0..len)} best. Ties, and silence, keep the centre offset {@code search}, so a
     * signal that already lines up is never moved.
     */
    public static int bestOffset(float[] tail, int len, float[] next, int from, int search) {
        int best = search;
        double bestScore = score(tail, len, next, from + search);
        for (int d = 0; d <= 2 * search; d++) {
            double s = score(tail, len, next, from + d);
            if (s > bestScore + 1e-9) {
                bestScore = s;
                best = d;
            }
        }
        return best;
    }

    private static double score(float[] tail, int len, float[] next, int at) {
        double dot = 0;
        double energy = 1e-9;
        for (int i = 0; i < len; i++) {
            float v = next[at + i];
            dot += tail[i] * v;
            energy += v * v;
        }
        return dot / Math.sqrt(energy);
    }

    /** Normalised (uncentred) correlation of two equal-length segments, -1..1; 0 when either is silent. */
    public static double correlation(float[] a, int aFrom, float[] b, int bFrom, int len) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < len; i++) {
            double x = a[aFrom + i];
            double y = b[bFrom + i];
            ab += x * y;
            aa += x * x;
            bb += y * y;
        }
        return aa <= 1e-12 || bb <= 1e-12 ? 0.0 : ab / Math.sqrt(aa * bb);
    }

    /**
     * Writes {@code out[outFrom + i]} = fade from {@code tail[i]} to {@code next[nextFrom + i]} over
     * {@code len} samples. The gains a (in) and b (out) satisfy a² + b² + 2ab·r = 1 for the
     * measured correlation r (clamped to 0..1), the constant-power condition for correlated signals.
     */
    public static void crossfade(float[] tail, float[] next, int nextFrom, float[] out, int outFrom, int len) {
        double r = Math.max(0.0, Math.min(1.0, correlation(tail, 0, next, nextFrom, len)));
        for (int i = 0; i < len; i++) {
            double t = (i + 0.5) / len;                           // 0..1 across the overlap
            double odd = 0.5 * Math.sin(Math.PI * (t - 0.5));     // -0.5..0.5, odd about the middle
            double even = Math.sqrt((1.0 - 2.0 * odd * odd * (1.0 - r)) / (2.0 * (1.0 + r)));
            double in = even + odd;
            double outGain = even - odd;
            out[outFrom + i] = (float) (in * next[nextFrom + i] + outGain * tail[i]);
        }
    }
}
