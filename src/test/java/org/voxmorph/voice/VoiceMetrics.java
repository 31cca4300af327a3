package org.voxmorph.voice;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.voxmorph.dsp.Fft;
import org.voxmorph.dsp.Measure;
import org.voxmorph.dsp.Mfcc;
import org.voxmorph.dsp.NsdfPitch;

/**
 * Test-side measures of a conversion, independent of the converter's own analysis: median F0 by
 * NSDF, long-term spectra by a plain Welch average, and mel-cepstral distortion after DTW.
 */
final class VoiceMetrics {
    static final int RATE = 16000;
    private static final int FFT = 512;

    private VoiceMetrics() {}

    static double medianF0(float[]... clips) {
        NsdfPitch tracker = new NsdfPitch(RATE);
        int frame = (int) (0.064 * RATE);
        int hop = RATE / 100;
        List<Double> f0 = new ArrayList<>();
        for (float[] x : clips) {
            for (int s = 0; s + frame <= x.length; s += hop) {
                double hz = tracker.pitchHz(x, s, frame);
                if (hz >= 50 && hz <= 500) {
                    f0.add(hz);
                }
            }
        }
        return Measure.median(f0);
    }

    /** Mean power spectrum (dB, mean over 100..7000 Hz removed) of frames within 30 dB of the loud ones. */
    static double[] longTermSpectrumDb(float[]... clips) {
        Fft fft = new Fft(FFT);
        double[] re = new double[FFT];
        double[] im = new double[FFT];
        double[] sum = new double[FFT / 2 + 1];
        for (float[] x : clips) {
            int frames = (x.length - FFT) / (FFT / 2) + 1;
            double[] level = new double[frames];
            for (int f = 0; f < frames; f++) {
                double e = 0;
                for (int i = 0; i < FFT; i++) {
                    e += x[f * FFT / 2 + i] * x[f * FFT / 2 + i];
                }
                level[f] = 10 * Math.log10(e / FFT + 1e-12);
            }
            double[] sorted = level.clone();
            Arrays.sort(sorted);
            double gate = sorted[(int) (0.95 * (frames - 1))] - 30;
            for (int f = 0; f < frames; f++) {
                if (level[f] < gate) {
                    continue;
                }
                for (int i = 0; i < FFT; i++) {
                    re[i] = x[f * FFT / 2 + i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 0.5) / FFT));
                    im[i] = 0;
                }
                fft.transform(re, im, false);
                for (int k = 0; k <= FFT / 2; k++) {
                    sum[k] += re[k] * re[k] + im[k] * im[k];
                }
            }
        }
        int lo = (int) Math.round(100.0 * FFT / RATE);
        int hi = (int) Math.round(7000.0 * FFT / RATE);
        double[] db = new double[hi - lo + 1];
        double mean = 0;
        for (int k = lo; k <= hi; k++) {
            db[k - lo] = 10 * Math.log10(sum[k] + 1e-20);
            mean += db[k - lo];
        }
        mean /= db.length;
        for (int k = 0; k < db.length; k++) {
            db[k] -= mean;
        }
        return db;
    }

    /** Root-mean-square difference in dB between two long-term spectra. */
    static double logSpectralDistance(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += (a[k] - b[k]) * (a[k] - b[k]);
        }
        return Math.sqrt(s / a.length);
    }

    /**
     * Mel-cepstral distortion (dB) over MFCC 1..24 of active frames, aligned by dynamic time
     * warping: (10 / ln 10) sqrt(2 sum_d (c_d - c'_d)^2), averaged along the path.
     */
    static double melCepstralDistortion(float[] a, float[] b) {
        double[][] ca = active(Mfcc.frames(a, RATE, 25));
        double[][] cb = active(Mfcc.frames(b, RATE, 25));
        int n = ca.length;
        int m = cb.length;
        double[][] cost = new double[n + 1][m + 1];
        int[][] steps = new int[n + 1][m + 1];
        for (double[] row : cost) {
            Arrays.fill(row, Double.POSITIVE_INFINITY);
        }
        cost[0][0] = 0;
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                double d = frameDistance(ca[i - 1], cb[j - 1]);
                double best = cost[i - 1][j - 1];
                int s = steps[i - 1][j - 1];
                if (cost[i - 1][j] < best) {
                    best = cost[i - 1][j];
                    s = steps[i - 1][j];
                }
                if (cost[i][j - 1] < best) {
                    best = cost[i][j - 1];
                    s = steps[i][j - 1];
                }
                cost[i][j] = best + d;
                steps[i][j] = s + 1;
            }
        }
        return cost[n][m] / steps[n][m];
    }

    private static double frameDistance(double[] x, double[] y) {
        double s = 0;
        for (int d = 1; d < x.length; d++) {
            s += (x[d] - y[d]) * (x[d] - y[d]);
        }
        return 10 / Math.log(10) * Math.sqrt(2 * s);
    }

    /**
     * Speech frames only (within 30 dB of the loud ones), as MCD is usually reported: pauses hold
     * each recording's room noise, which says nothing about the voice.
     */
    private static double[][] active(double[][] c) {
        double[] c0 = Arrays.stream(c).mapToDouble(r -> r[0]).sorted().toArray();
        double floor = c0[(int) (0.95 * (c0.length - 1))] - 30 / (10 / Math.log(10)) * Math.sqrt(Mfcc.BANDS);
        return Arrays.stream(c).filter(r -> r[0] > floor).map(VoiceMetrics::toAmplitudeCepstrum).toArray(double[][]::new);
    }

    /**
     * Orthonormal-DCT MFCCs of log power, rescaled to the cepstrum of log amplitude (c_n = 1/B sum
     * ln|X_b| cos(...)), the units the MCD formula's 10 sqrt(2) / ln 10 assumes.
     */
    private static double[] toAmplitudeCepstrum(double[] mfcc) {
        double[] c = new double[mfcc.length];
        for (int d = 0; d < c.length; d++) {
            c[d] = mfcc[d] / (2 * Math.sqrt(2.0 * Mfcc.BANDS));
        }
        return c;
    }

    /**
     * A cheap speaker model that shares nothing with the converter (MFCC 1..19 by {@link Mfcc}, 25 ms
     * frames, not the converter's 20 ms analysis): one diagonal Gaussian over the active frames of a
     * speaker's clips. {@link #score} is the mean log-likelihood per frame of a test clip.
     */
    record GaussianSpeaker(double[] mean, double[] var) {
        static GaussianSpeaker of(float[]... clips) {
            java.util.List<double[]> frames = new java.util.ArrayList<>();
            for (float[] c : clips) {
                frames.addAll(Arrays.asList(active(Mfcc.frames(c, RATE, 20))));
            }
            int d = 19;
            double[] mean = new double[d];
            double[] var = new double[d];
            for (double[] f : frames) {
                for (int k = 0; k < d; k++) {
                    mean[k] += f[k + 1] / frames.size();
                }
            }
            for (double[] f : frames) {
                for (int k = 0; k < d; k++) {
                    var[k] += (f[k + 1] - mean[k]) * (f[k + 1] - mean[k]) / frames.size();
                }
            }
            return new GaussianSpeaker(mean, var);
        }

        double score(float[] clip) {
            double[][] frames = active(Mfcc.frames(clip, RATE, 20));
            double sum = 0;
            for (double[] f : frames) {
                for (int k = 0; k < mean.length; k++) {
                    double e = f[k + 1] - mean[k];
                    sum += -0.5 * (e * e / var[k] + Math.log(2 * Math.PI * var[k]));
                }
            }
            return sum / frames.length;
        }
    }

    /**
     * How well the words' shape survives: correlation, over time, of the log energies in eight
     * bands (250 Hz..4 kHz, a mel-like split) of two aligned signals, each band's mean removed,
     * averaged over the bands, on the frames where {@code a} is active. A different voice saying
     * the same thing in step keeps the rises and falls of each band (which is where the words
     * are); another sentence, or garbled speech, does not.
     */
    static double bandEnvelopeCorrelation(float[] a, float[] b) {
        double[][] ea = bandEnergies(a);
        double[][] eb = bandEnergies(b);
        int n = Math.min(ea.length, eb.length);
        double loud = Arrays.stream(ea).limit(n).mapToDouble(r -> Arrays.stream(r).max().orElse(0)).max().orElse(0);
        double total = 0;
        int bands = ea[0].length;
        for (int k = 0; k < bands; k++) {
            double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
            int m = 0;
            for (int t = 0; t < n; t++) {
                if (Arrays.stream(ea[t]).max().orElse(0) < loud - 2 * 4.6) {
                    continue; // more than 40 dB down: a pause
                }
                double x = ea[t][k];
                double y = eb[t][k];
                sa += x; sb += y; saa += x * x; sbb += y * y; sab += x * y;
                m++;
            }
            double cov = sab / m - sa / m * sb / m;
            total += cov / Math.sqrt((saa / m - sa * sa / m / m) * (sbb / m - sb * sb / m / m));
        }
        return total / bands;
    }

    private static double[][] bandEnergies(float[] x) {
        double[] edges = {250, 400, 630, 1000, 1400, 2000, 2800, 3400, 4000};
        int frame = 400;
        int hop = 160;
        int count = Math.max(0, (x.length - frame) / hop + 1);
        org.voxmorph.dsp.Fft fft = new org.voxmorph.dsp.Fft(FFT);
        double[][] out = new double[count][edges.length - 1];
        double[] re = new double[FFT];
        double[] im = new double[FFT];
        for (int f = 0; f < count; f++) {
            Arrays.fill(re, 0);
            Arrays.fill(im, 0);
            for (int i = 0; i < frame; i++) {
                re[i] = x[f * hop + i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 0.5) / frame));
            }
            fft.transform(re, im, false);
            for (int b = 0; b + 1 < edges.length; b++) {
                double e = 1e-9;
                for (int k = (int) (edges[b] * FFT / RATE); k < (int) (edges[b + 1] * FFT / RATE); k++) {
                    e += re[k] * re[k] + im[k] * im[k];
                }
                out[f][b] = Math.log(e);
            }
        }
        return out;
    }
}
