package org.voxmorph.dsp;

/**
 * Butterworth high- or low-pass of order 2 or 4 (12 or 24 dB per octave), as cascaded biquads
 * with the Butterworth pole Qs. The cutoff may move every sample; the sections are redesigned
 * only when it does.
 */
public final class ButterworthFilter {
    private static final double[] Q2 = {1 / Math.sqrt(2)};
    private static final double[] Q4 = {1 / (2 * Math.cos(Math.PI / 8)), 1 / (2 * Math.cos(3 * Math.PI / 8))};

    private final boolean highPass;
    private final double rate;
    private final Biquad first = new Biquad();
    private final Biquad second = new Biquad();
    private double cutoffHz = Double.NaN;
    private int order;

    public ButterworthFilter(boolean highPass, double rate, double cutoffHz, int order) {
        this.highPass = highPass;
        this.rate = rate;
        set(cutoffHz, order);
    }

    /** @param order 2 or 4 */
    public void set(double hz, int newOrder) {
        if (hz == cutoffHz && newOrder == order) {
            return;
        }
        if (newOrder != 2 && newOrder != 4) {
            throw new IllegalArgumentException("Butterworth order " + newOrder + " is not 2 or 4");
        }
        if (newOrder != order) {
            second.reset();
        }
        cutoffHz = hz;
        order = newOrder;
        double[] qs = order == 2 ? Q2 : Q4;
        design(first, qs[0]);
        if (order == 4) {
            design(second, qs[1]);
        }
    }

    private void design(Biquad b, double q) {
        if (highPass) {
            b.setHighPass(rate, cutoffHz, q);
        } else {
            b.setLowPass(rate, cutoffHz, q);
        }
    }

    public double process(double x) {
        double y = first.process(x);
        return order == 4 ? second.process(y) : y;
    }

    public void reset() {
        first.reset();
        second.reset();
    }
}
