package org.voxmorph.dsp;

import java.util.Random;

/** Synthetic test signals. */
final class Signals {
    private Signals() {
    }

    /**
     * A vowel-like signal: a pulse train at {@code f0} (with a slow 3% vibrato so it is not
     * perfectly stationary) through two-pole resonators at {@code formants}, scaled to a peak of 0.3.
     */
    static float[] vowel(double rate, double seconds, double f0, double... formants) {
        int n = (int) (rate * seconds);
        float[] x = new float[n];
        double phase = 0;
        double[] y1 = new double[formants.length];
        double[] y2 = new double[formants.length];
        for (int i = 0; i < n; i++) {
            phase += f0 * (1 + 0.03 * Math.sin(2 * Math.PI * 3 * i / rate)) / rate;
            double v = 0;
            if (phase >= 1) {
                phase -= 1;
                v = 1;
            }
            for (int k = 0; k < formants.length; k++) {
                double r = Math.exp(-Math.PI * 80 / rate); // 80 Hz bandwidth
                double y = v + 2 * r * Math.cos(2 * Math.PI * formants[k] / rate) * y1[k] - r * r * y2[k];
                y2[k] = y1[k];
                y1[k] = y;
                v = y * (1 - r); // roughly unit gain per section
            }
            x[i] = (float) v;
        }
        double peak = 0;
        for (float v : x) {
            peak = Math.max(peak, Math.abs(v));
        }
        for (int i = 0; i < n; i++) {
            x[i] *= (float) (0.3 / peak);
        }
        return x;
    }

    static float[] sine(double rate, double seconds, double hz, double amplitude) {
        float[] x = new float[(int) (rate * seconds)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return x;
    }

    static float[] noise(double rate, double seconds, double rms, long seed) {
        Random random = new Random(seed);
        float[] x = new float[(int) (rate * seconds)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rms * random.nextGaussian());
        }
        return x;
    }

    static double rms(float[] x, int from, int to) {
        double e = 0;
        for (int i = from; i < to; i++) {
            e += x[i] * x[i];
        }
        return Math.sqrt(e / Math.max(1, to - from));
    }
}
