package org.voxmorph.dsp;

/**
 * One second-order IIR section (transposed direct form II) with the RBJ "Audio EQ Cookbook"
 * designs. The bilinear transform is pre-warped at the design frequency, so a digital filter
 * matches its analog prototype exactly at {@code f} where the analog one is at
 * {@code tan(pi f / rate) / tan(pi f0 / rate) * f0}.
 */
public final class Biquad {
    // Below this the state is inaudible; flushing it keeps silence from decaying into slow subnormals.
    private static final double TINY = 1e-30;

    private double b0 = 1;
    private double b1;
    private double b2;
    private double a1;
    private double a2;
    private double z1;
    private double z2;

    public void setLowPass(double rate, double hz, double q) {
        double w = omega(rate, hz);
        double cos = Math.cos(w);
        double alpha = Math.sin(w) / (2 * q);
        set((1 - cos) / 2, 1 - cos, (1 - cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
    }

    public void setHighPass(double rate, double hz, double q) {
        double w = omega(rate, hz);
        double cos = Math.cos(w);
        double alpha = Math.sin(w) / (2 * q);
        set((1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha);
    }

    /** A bell of {@code gainDb} at {@code hz}; {@code q} sets its width. */
    public void setPeak(double rate, double hz, double q, double gainDb) {
        double w = omega(rate, hz);
        double cos = Math.cos(w);
        double alpha = Math.sin(w) / (2 * q);
        double a = Math.pow(10, gainDb / 40);
        set(1 + alpha * a, -2 * cos, 1 - alpha * a, 1 + alpha / a, -2 * cos, 1 - alpha / a);
    }

    /** Boosts or cuts everything below {@code hz} by {@code gainDb} (half the gain at {@code hz}, slope 1). */
    public void setLowShelf(double rate, double hz, double gainDb) {
        double w = omega(rate, hz);
        double cos = Math.cos(w);
        double a = Math.pow(10, gainDb / 40);
        double k = 2 * Math.sqrt(a) * Math.sin(w) / Math.sqrt(2);
        set(a * ((a + 1) - (a - 1) * cos + k), 2 * a * ((a - 1) - (a + 1) * cos), a * ((a + 1) - (a - 1) * cos - k),
                (a + 1) + (a - 1) * cos + k, -2 * ((a - 1) + (a + 1) * cos), (a + 1) + (a - 1) * cos - k);
    }

    /** Boosts or cuts everything above {@code hz} by {@code gainDb} (half the gain at {@code hz}, slope 1). */
    public void setHighShelf(double rate, double hz, double gainDb) {
        double w = omega(rate, hz);
        double cos = Math.cos(w);
        double a = Math.pow(10, gainDb / 40);
        double k = 2 * Math.sqrt(a) * Math.sin(w) / Math.sqrt(2);
        set(a * ((a + 1) + (a - 1) * cos + k), -2 * a * ((a - 1) + (a + 1) * cos), a * ((a + 1) + (a - 1) * cos - k),
                (a + 1) - (a - 1) * cos + k, 2 * ((a - 1) - (a + 1) * cos), (a + 1) - (a - 1) * cos - k);
    }

    /** Keeps the design frequency below Nyquist, where the cookbook formulas hold. */
    private static double omega(double rate, double hz) {
        return 2 * Math.PI * Math.min(hz, 0.49 * rate) / rate;
    }

    private void set(double nb0, double nb1, double nb2, double na0, double na1, double na2) {
        b0 = nb0 / na0;
        b1 = nb1 / na0;
        b2 = nb2 / na0;
        a1 = na1 / na0;
        a2 = na2 / na0;
    }

    /** The magnitude response at {@code hz} in dB, for fitting a cascade to a wanted curve. */
    public double responseDb(double rate, double hz) {
        double w = 2 * Math.PI * hz / rate;
        double c1 = Math.cos(w);
        double s1 = Math.sin(w);
        double c2 = Math.cos(2 * w);
        double s2 = Math.sin(2 * w);
        double nr = b0 + b1 * c1 + b2 * c2;
        double ni = -b1 * s1 - b2 * s2;
        double dr = 1 + a1 * c1 + a2 * c2;
        double di = -a1 * s1 - a2 * s2;
        return 10 * Math.log10((nr * nr + ni * ni) / (dr * dr + di * di));
    }

    public double process(double x) {
        double y = b0 * x + z1;
        z1 = b1 * x - a1 * y + z2;
        z2 = b2 * x - a2 * y;
        if (Math.abs(z1) < TINY) {
            z1 = 0;
        }
        if (Math.abs(z2) < TINY) {
            z2 = 0;
        }
        return y;
    }

    public void reset() {
        z1 = 0;
        z2 = 0;
    }
}
