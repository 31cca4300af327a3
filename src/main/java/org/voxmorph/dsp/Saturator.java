package org.voxmorph.dsp;

/**
 * Soft clipper: clip(g x) / g with g = 10^(driveDb / 20), where clip is tanh's Padé approximant
 * x (27 + x^2) / (27 + 9 x^2), which meets 1 with zero slope at x = 3 (a tenth of tanh's cost).
 * Quiet signals pass at unity gain; peaks are rounded off toward 1 / g, so more drive means more of
 * the voice is squashed and distorted.
 */
public final class Saturator {
    private double driveDb = Double.NaN;
    private double drive;

    public void setDriveDb(double db) {
        if (db != driveDb) {
            driveDb = db;
            drive = Math.pow(10, db / 20);
        }
    }

    /** @param mix 0 = dry only, 1 = saturated only */
    public double process(double x, double mix) {
        double wet = softClip(drive * x) / drive;
        return x + mix * (wet - x);
    }

    static double softClip(double x) {
        if (x >= 3) {
            return 1;
        }
        if (x <= -3) {
            return -1;
        }
        double x2 = x * x;
        return x * (27 + x2) / (27 + 9 * x2);
    }
}
