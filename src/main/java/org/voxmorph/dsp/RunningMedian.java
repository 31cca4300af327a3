package org.voxmorph.dsp;

/**
 * Median of a stream of values in a fixed range, cumulative until {@code memory} values have been
 * seen, then exponentially forgetting with that time constant (in values), as {@link RunningStatistics}
 * does for the mean. Kept as a histogram of {@code bins} equal bins, read with linear interpolation
 * inside the median's bin; values outside the range count at its ends. No allocation after construction.
 */
public final class RunningMedian {
    private static final double NEGLIGIBLE = 1e-30;

    private final double low;
    private final double binWidth;
    private final double memory;
    private final double[] histogram;
    private long count;

    public RunningMedian(double low, double high, int bins, double memory) {
        if (!(high > low) || bins < 1) {
            throw new IllegalArgumentException("range " + low + ".." + high + " with " + bins + " bins");
        }
        this.low = low;
        binWidth = (high - low) / bins;
        this.memory = memory;
        histogram = new double[bins];
    }

    public void add(double value) {
        count++;
        double w = Math.max(1.0 / count, 1.0 / memory);
        double keep = 1 - w;
        for (int i = 0; i < histogram.length; i++) {
            // A bin nobody's pitch visits decays toward subnormal numbers after hours of speech,
            // where every multiply costs a hundred times more; such a weight is nothing to a median.
            double h = histogram[i] * keep;
            histogram[i] = h < NEGLIGIBLE ? 0 : h;
        }
        int bin = (int) Math.floor((value - low) / binWidth);
        histogram[Math.max(0, Math.min(histogram.length - 1, bin))] += w;
    }

    public long count() {
        return count;
    }

    /** The median (NaN before the first value); the weights sum to one, so half is 0.5. */
    public double median() {
        if (count == 0) {
            return Double.NaN;
        }
        double below = 0;
        for (int i = 0; i < histogram.length; i++) {
            double h = histogram[i];
            if (below + h >= 0.5 && h > 0) {
                return low + binWidth * (i + (0.5 - below) / h);
            }
            below += h;
        }
        return low + binWidth * histogram.length;
    }

    public void reset() {
        count = 0;
        java.util.Arrays.fill(histogram, 0);
    }
}
