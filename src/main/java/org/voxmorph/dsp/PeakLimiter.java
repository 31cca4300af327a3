package org.voxmorph.dsp;

/**
 * Lookahead peak limiter that no output sample can get past. For every input sample it computes
 * the gain that sample needs; the gain applied to the delayed signal is a moving average, over the
 * lookahead window, of the window's minimum needed gain (released slowly). Every term of that
 * average covers the sample being output, so the average is never above the gain it needs, and the
 * gain still moves smoothly: it ramps down over the lookahead before a peak instead of jumping.
 * A final clamp only catches rounding.
 *
 * <p>Latency: exactly {@code lookaheadSamples}.
 */
public final class PeakLimiter {
    private final int window;         // lookahead + 1 samples
    private final float[] delay;      // the last `window` inputs
    private final double[] needed;    // gain each of those inputs needs
    private final double[] smoothed;  // released minimum gains, averaged over the window
    private final double rate;
    private int pos;
    private double sum;
    private double held = 1;

    private double ceilingDb = Double.NaN;
    private double ceiling;
    private float ceilingF;
    private double releaseMs = Double.NaN;
    private double releaseCoef;

    public PeakLimiter(double rate, int lookaheadSamples) {
        this.rate = rate;
        this.window = lookaheadSamples + 1;
        this.delay = new float[window];
        this.needed = new double[window];
        this.smoothed = new double[window];
        reset();
    }

    public int latencySamples() {
        return window - 1;
    }

    /** The highest output magnitude, at most 0 dBFS. */
    public void setCeilingDb(double db) {
        if (db != ceilingDb) {
            ceilingDb = db;
            ceiling = Math.min(1.0, Math.pow(10, db / 20));
            ceilingF = (float) ceiling;
        }
    }

    public void setReleaseMs(double ms) {
        if (ms != releaseMs) {
            releaseMs = ms;
            releaseCoef = NoiseGate.onePole(ms, rate);
        }
    }

    public float process(float x) {
        double level = Math.abs(x);
        if (!(level <= Float.MAX_VALUE)) {
            // NaN or infinity from upstream must never reach the speakers.
            x = 0;
            level = 0;
        }
        delay[pos] = x;
        needed[pos] = level > ceiling ? ceiling / level : 1.0;
        double min = needed[0];
        for (int i = 1; i < window; i++) {
            min = Math.min(min, needed[i]);
        }
        held = min < held ? min : held + (min - held) * releaseCoef;
        sum += held - smoothed[pos];
        smoothed[pos] = held;
        pos = pos + 1 == window ? 0 : pos + 1;
        if (pos == 0) {
            // Re-add from scratch once per window so rounding never accumulates over hours.
            sum = 0;
            for (double s : smoothed) {
                sum += s;
            }
        }
        float y = (float) (delay[pos] * (sum / window)); // delay[pos] is now the oldest input
        return Math.max(-ceilingF, Math.min(ceilingF, y));
    }

    public void reset() {
        java.util.Arrays.fill(delay, 0f);
        java.util.Arrays.fill(needed, 1.0);
        java.util.Arrays.fill(smoothed, 1.0);
        sum = window;
        held = 1;
        pos = 0;
    }
}
