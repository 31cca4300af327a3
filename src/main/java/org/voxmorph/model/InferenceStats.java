package org.voxmorph.model;

import java.util.Arrays;

/**
 * Times of the most recent model calls, for {@code bench --model} and the panel. The engine worker
 * records into a preallocated ring (no allocation); readers on other threads sort a copy.
 */
public final class InferenceStats {
    private final long[] nanos = new long[4096];
    private volatile int count;
    private int next;
    private volatile double audioMillisPerCall = Double.NaN;

    /** Worker side. */
    void record(long elapsedNanos) {
        nanos[next] = elapsedNanos;
        next = (next + 1) % nanos.length;
        if (count < nanos.length) {
            count = count + 1;
        }
    }

    /** How many calls were timed (at most the last 4096 are kept). */
    public int count() {
        return count;
    }

    public double medianMillis() {
        return percentileMillis(50);
    }

    public double p99Millis() {
        return percentileMillis(99);
    }

    /** The given percentile of the kept call times in milliseconds, NaN when nothing ran yet. */
    public double percentileMillis(double percentile) {
        int n = count;
        if (n == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(nanos, n);
        Arrays.sort(sorted);
        int index = (int) Math.min(n - 1, Math.max(0, Math.ceil(percentile / 100.0 * n) - 1));
        return sorted[index] / 1e6;
    }

    /** How much audio one call converts (a hop for streaming models, a block for windowed ones). */
    void setAudioMillisPerCall(double millis) {
        audioMillisPerCall = millis;
    }

    public double audioMillisPerCall() {
        return audioMillisPerCall;
    }

    /** Median inference time over the audio time it converts: below 1 keeps up with real time. */
    public double realtimeFactor() {
        return medianMillis() / audioMillisPerCall;
    }

    void clear() {
        count = 0;
        next = 0;
    }
}
