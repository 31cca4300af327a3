package org.voxmorph.dsp;

/**
 * Mel-frequency cepstral coefficients of a whole signal (offline): 25 ms Hann frames every 10 ms,
 * 40 triangular mel bands from 60 Hz to min(7.6 kHz, 0.48 rate), natural log, orthonormal DCT-II.
 * Coefficient 0 is the frame's log level. Used for the speaker embedding of a voice profile and
 * for mel-cepstral distances.
 */
public final class Mfcc {
    public static final int BANDS = 40;
    private static final double LOW_HZ = 60;

    private Mfcc() {}

    /** One row of {@code coefficients} values per frame. */
    public static double[][] frames(float[] x, double rate, int coefficients) {
        int frame = (int) Math.round(0.025 * rate);
        int hop = (int) Math.round(0.010 * rate);
        int size = Integer.highestOneBit(frame - 1) << 1;
        Fft fft = new Fft(size);
        double high = Math.min(7600, 0.48 * rate);
        double[][] weights = melWeights(size, rate, LOW_HZ, high);
        int count = Math.max(0, (x.length - frame) / hop + 1);
        double[][] out = new double[count][coefficients];
        double[] re = new double[size];
        double[] im = new double[size];
        double[] logMel = new double[BANDS];
        for (int f = 0; f < count; f++) {
            java.util.Arrays.fill(re, 0);
            java.util.Arrays.fill(im, 0);
            for (int i = 0; i < frame; i++) {
                re[i] = x[f * hop + i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 0.5) / frame));
            }
            fft.transform(re, im, false);
            for (int b = 0; b < BANDS; b++) {
                double e = 0;
                for (int k = 0; k <= size / 2; k++) {
                    e += weights[b][k] * (re[k] * re[k] + im[k] * im[k]);
                }
                logMel[b] = Math.log(e + 1e-10);
            }
            for (int c = 0; c < coefficients; c++) {
                double sum = 0;
                for (int b = 0; b < BANDS; b++) {
                    sum += logMel[b] * Math.cos(Math.PI * c * (b + 0.5) / BANDS);
                }
                out[f][c] = sum * Math.sqrt((c == 0 ? 1.0 : 2.0) / BANDS);
            }
        }
        return out;
    }

    private static double[][] melWeights(int size, double rate, double low, double high) {
        double[] edges = new double[BANDS + 2];
        for (int i = 0; i < edges.length; i++) {
            double mel = mel(low) + (mel(high) - mel(low)) * i / (BANDS + 1);
            edges[i] = 700 * (Math.exp(mel / 1127) - 1);
        }
        double[][] w = new double[BANDS][size / 2 + 1];
        for (int b = 0; b < BANDS; b++) {
            for (int k = 0; k <= size / 2; k++) {
                double hz = k * rate / size;
                double up = (hz - edges[b]) / (edges[b + 1] - edges[b]);
                double down = (edges[b + 2] - hz) / (edges[b + 2] - edges[b + 1]);
                w[b][k] = Math.max(0, Math.min(up, down));
            }
        }
        return w;
    }

    private static double mel(double hz) {
        return 1127 * Math.log(1 + hz / 700);
    }
}
