package org.voxmorph.engine;

/**
 * Peak and RMS of the most recent block, published for meters on other threads. Written by one
 * thread only; readers see a recent value, which is all a meter needs.
 */
public final class LevelMeter {
    private static final double FLOOR_DB = -120.0;
    private volatile double peak;
    private volatile double rms;

    public void measure(float[] x, int n) {
        double p = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double v = x[i];
            p = Math.max(p, Math.abs(v));
            sum += v * v;
        }
        peak = p;
        rms = n == 0 ? 0 : Math.sqrt(sum / n);
    }

    public double peakDb() {
        return toDb(peak);
    }

    public double rmsDb() {
        return toDb(rms);
    }

    static double toDb(double linear) {
        return linear <= 1e-6 ? FLOOR_DB : Math.max(FLOOR_DB, 20 * Math.log10(linear));
    }
}
