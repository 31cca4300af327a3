package org.voxmorph.dsp;

/**
 * Test-side pitch reference, deliberately independent of the shifter's YIN: the normalised square
 * difference function (McLeod's NSDF), first peak within 90% of the highest, parabolic refinement.
 * Unlike TarsosDSP's MPM (80 Hz) it goes down to 40 Hz, which an octave-down male voice needs.
 */
public final class NsdfPitch {
    private final double rate;
    private final int minLag;
    private final int maxLag;
    private final double[] nsdf;

    public NsdfPitch(double rate) {
        this.rate = rate;
        minLag = (int) Math.floor(rate / 1000);
        maxLag = (int) Math.ceil(rate / 40);
        nsdf = new double[maxLag + 2];
    }

    /** Frames should hold at least two and a half periods of 40 Hz (64 ms). Returns 0 when not clearly periodic. */
    public double pitchHz(float[] x, int start, int length) {
        int top = Math.min(maxLag + 1, length / 2);
        for (int lag = 0; lag <= top; lag++) {
            double acf = 0;
            double energy = 0;
            for (int i = start; i < start + length - lag; i++) {
                acf += x[i] * x[i + lag];
                energy += x[i] * x[i] + x[i + lag] * x[i + lag];
            }
            nsdf[lag] = energy > 1e-9 ? 2 * acf / energy : 0;
        }
        double best = 0;
        int lag = 1;
        while (lag < top && nsdf[lag] > 0) {
            lag++; // skip the zero-lag lobe
        }
        for (int l = Math.max(lag, minLag); l < top; l++) {
            best = Math.max(best, nsdf[l]);
        }
        if (best < 0.8) {
            return 0;
        }
        for (int l = Math.max(lag, minLag); l < top; l++) {
            if (nsdf[l] >= 0.9 * best && nsdf[l] >= nsdf[l - 1] && nsdf[l] >= nsdf[l + 1]) {
                double a = nsdf[l - 1];
                double b = nsdf[l];
                double c = nsdf[l + 1];
                double d = a - 2 * b + c;
                double peak = d == 0 ? l : l + 0.5 * (a - c) / d;
                return rate / peak;
            }
        }
        return 0;
    }
}
