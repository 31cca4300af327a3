package org.voxmorph.dsp;

/**
 * Mean and spread of a stream of values, cumulative until {@code memory} values have been seen,
 * then exponentially forgetting with that time constant (in values): the figures settle as fast
 * as plain averages at first and keep following a slow change after.
 */
public final class RunningStatistics {
    private final double memory;
    private long count;
    private double mean;
    private double square;

    /** {@code memory} in values; infinity keeps everything. */
    public RunningStatistics(double memory) {
        this.memory = memory;
    }

    public void add(double value) {
        count++;
        double w = Math.max(1.0 / count, 1.0 / memory);
        mean += w * (value - mean);
        square += w * (value * value - square);
    }

    public long count() {
        return count;
    }

    public double mean() {
        return mean;
    }

    public double sd() {
        return Math.sqrt(Math.max(0, square - mean * mean));
    }

    public void reset() {
        count = 0;
        mean = 0;
        square = 0;
    }
}
