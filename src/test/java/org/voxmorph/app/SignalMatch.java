package org.voxmorph.app;

import be.tarsos.dsp.pitch.Yin;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Comparing a recording with what it should be: alignment, correlation, click delays, pitch. */
final class SignalMatch {
    private SignalMatch() {}

    /** The lag (0..maxLag) at which {@code y} best matches {@code x}: coarse on 8x box-decimated signals, then exact. */
    static int bestLag(float[] x, float[] y, int maxLag) {
        int d = 8;
        float[] xd = decimate(x, d);
        float[] yd = decimate(y, d);
        int coarse = 0;
        double best = Double.NEGATIVE_INFINITY;
        for (int lag = 0; lag <= maxLag / d; lag++) {
            double c = dot(xd, 0, yd, lag, xd.length);
            if (c > best) {
                best = c;
                coarse = lag * d;
            }
        }
        return refine(x, y, coarse, 2 * d, 0, x.length);
    }

    private static int refine(float[] x, float[] y, int around, int radius, int from, int to) {
        int lag = around;
        double best = Double.NEGATIVE_INFINITY;
        for (int l = Math.max(-from, around - radius); l <= around + radius; l++) {
            double c = dot(x, from, y, from + l, to - from);
            if (c > best) {
                best = c;
                lag = l;
            }
        }
        return lag;
    }

    /**
     * Normalised cross-correlation of {@code y} against {@code x} delayed by {@code lag}, in 0.25 s
     * windows each re-aligned within ±50 ms (the drift corrector stretches by up to 0.5%, and
     * Java Sound's path through ALSA and PulseAudio wanders by several ms), weighted by the
     * reference's energy; windows of near silence are left out.
     */
    static double windowedNcc(float[] x, float[] y, int lag, int rate) {
        int w = rate / 4;
        int search = rate / 20;
        double peakEnergy = 0;
        for (int s = 0; s + w <= x.length; s += w) {
            peakEnergy = Math.max(peakEnergy, dot(x, s, x, s, w));
        }
        double sum = 0;
        double weights = 0;
        for (int s = 0; s + w <= x.length && s + lag + w + search < y.length; s += w) {
            double ex = dot(x, s, x, s, w);
            if (ex < 1e-3 * peakEnergy) {
                continue;
            }
            int l = refine(x, y, lag, search, s, s + w);
            double ey = dot(y, s + l, y, s + l, w);
            double ncc = dot(x, s, y, s + l, w) / Math.sqrt(ex * ey + 1e-20);
            sum += ex * ncc;
            weights += ex;
        }
        return weights == 0 ? 0 : sum / weights;
    }

    /**
     * In a recording where each click comes round again at half the level (a feedback loop at
     * -6 dB), the time from each click to its first echo, in samples.
     */
    static List<Integer> echoDelays(float[] y, int rate) {
        double max = 0;
        for (float v : y) {
            max = Math.max(max, Math.abs(v));
        }
        List<Integer> delays = new ArrayList<>();
        int minGap = rate / 500;
        int window = rate / 5;
        for (int i = 0; i < y.length; i++) {
            if (Math.abs(y[i]) < 0.7 * max) {
                continue;
            }
            int click = i;
            for (int j = i; j < Math.min(y.length, i + minGap); j++) {
                if (Math.abs(y[j]) > Math.abs(y[click])) {
                    click = j;
                }
            }
            int echo = -1;
            for (int j = click + minGap; j < Math.min(y.length, click + window); j++) {
                if (echo < 0 || Math.abs(y[j]) > Math.abs(y[echo])) {
                    echo = j;
                }
            }
            if (echo > 0 && Math.abs(y[echo]) > 0.25 * Math.abs(y[click])) {
                delays.add(echo - click);
            }
            i = click + window;
        }
        return delays;
    }

    static double median(List<Integer> v) {
        int[] s = v.stream().mapToInt(Integer::intValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
    }

    /** Median F0 (Hz) of the clearly voiced 2048-sample frames, by YIN. */
    static double medianPitch(float[] x, int rate) {
        int n = 2048;
        Yin yin = new Yin(rate, n);
        List<Double> f0 = new ArrayList<>();
        float[] frame = new float[n];
        for (int s = 0; s + n <= x.length; s += n / 2) {
            System.arraycopy(x, s, frame, 0, n);
            var r = yin.getPitch(frame);
            if (r.isPitched() && r.getProbability() > 0.9 && r.getPitch() > 50 && r.getPitch() < 500) {
                f0.add((double) r.getPitch());
            }
        }
        double[] v = f0.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length == 0 ? 0 : v[v.length / 2];
    }

    private static float[] decimate(float[] x, int d) {
        float[] y = new float[x.length / d];
        for (int i = 0; i < y.length; i++) {
            float s = 0;
            for (int k = 0; k < d; k++) {
                s += x[i * d + k];
            }
            y[i] = s;
        }
        return y;
    }

    private static double dot(float[] a, int ai, float[] b, int bi, int n) {
        double s = 0;
        int end = Math.min(n, Math.min(a.length - ai, b.length - bi));
        for (int i = Math.max(0, -bi); i < end; i++) {
            s += (double) a[ai + i] * b[bi + i];
        }
        return s;
    }

    static double rms(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v * v;
        }
        return Math.sqrt(s / Math.max(1, x.length));
    }

    static float[] clicks(int rate, int count, double spacingSeconds) {
        float[] x = new float[(int) ((count + 1) * spacingSeconds * rate)];
        for (int c = 0; c < count; c++) {
            int at = (int) ((c + 0.5) * spacingSeconds * rate);
            x[at] = 0.9f;
            x[at + 1] = -0.5f;
        }
        return x;
    }

    static float[] tail(float[] x, int from) {
        return Arrays.copyOfRange(x, Math.min(from, x.length), x.length);
    }
}
