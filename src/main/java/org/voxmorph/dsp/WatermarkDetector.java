package org.voxmorph.dsp;

import java.util.Arrays;

/**
 * Finds the Voxmorph watermark ({@link WatermarkCode}) in a recording, offline.
 *
 * <p>The recording is taken to {@value WatermarkCode#DETECTOR_RATE} Hz and whitened: every
 * short-time spectrum bin in the watermark's band keeps its phase and gets unit magnitude, so loud
 * speech does not drown the correlation and gain does not matter. The whitened signal is folded
 * onto the code's one-second period and correlated with each carrier at every lag at once (FFT).
 *
 * <p>The null distribution comes from the recording itself: the correlations at the wrong lags.
 * Their robust spread (from the median of the squares) turns the peak into a z-score, and the
 * p-value is the chance that any of the {@value WatermarkCode#DETECTOR_RATE} lags reaches it under
 * the null (Bonferroni). The watermark is reported present when that chance is below
 * {@value #FALSE_ALARM}.
 */
public final class WatermarkDetector {
    /** The largest chance, per recording, of calling unmarked audio marked. */
    public static final double FALSE_ALARM = 1e-9;
    /** Given a watermark, the largest chance of reading a voice id that was never embedded. */
    public static final double ID_FALSE_ALARM = 1e-6;

    private static final int RATE = WatermarkCode.DETECTOR_RATE;
    private static final int FRAME = 512;
    private static final int HOP = FRAME / 4;
    private static final double SILENT_FRAME_POWER = 1e-7; // -70 dBFS mean square: nothing was embedded there
    private static final double MEDIAN_OF_CHI_SQUARE_1 = 0.454936;
    private static final int ID_LAG_STEP = WatermarkCode.ID_STEP_MS * RATE / 1000;

    /**
     * What the detector found.
     *
     * @param z        the sync correlation peak in standard deviations of the null
     * @param pValue   the chance that unmarked audio scores this high
     * @param voiceId  the embedded voice id, or -1 when none was embedded (or it cannot be read)
     * @param idZ      the weaker id byte's peak in standard deviations, 0 when there is no watermark
     * @param seconds  how much audio was examined
     */
    public record Detection(boolean present, double z, double pValue, int voiceId, double idZ, double seconds) {
        /** 1 - pValue: how sure the detector is that the watermark is there. */
        public double confidence() {
            return 1 - pValue;
        }
    }

    private WatermarkDetector() {}

    public static Detection detect(float[] samples, int sampleRate) {
        float[] x = Resampler.resample(samples, sampleRate, RATE);
        double seconds = (double) samples.length / sampleRate;
        double[] foldRe = fold(whiten(x));
        double[] foldIm = new double[RATE];
        Fft fft = new Fft(RATE);
        fft.transform(foldRe, foldIm, false);

        double[] sync = correlate(fft, foldRe, foldIm, 0);
        int lag = 0;
        for (int l = 1; l < RATE; l++) {
            if (Math.abs(sync[l]) > Math.abs(sync[lag])) {
                lag = l;
            }
        }
        double spread = nullSpread(sync);
        if (spread == 0) {
            return new Detection(false, 0, 1, -1, 0, seconds);
        }
        double z = Math.abs(sync[lag]) / spread;
        double p = detectionPValue(z);
        if (p >= FALSE_ALARM) {
            return new Detection(false, z, p, -1, 0, seconds);
        }
        // A polarity flip turns every carrier upside down together: read the id bytes in the sync's sense.
        double sign = Math.signum(sync[lag]);
        int voiceId = 0;
        double idZ = Double.MAX_VALUE;
        for (int carrier = 1; carrier <= 2; carrier++) {
            double[] c = correlate(fft, foldRe, foldIm, carrier);
            double cs = nullSpread(c);
            int best = 0;
            double bestZ = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < 256; v++) {
                double zv = sign * c[Math.floorMod(lag + v * ID_LAG_STEP, RATE)] / cs;
                if (zv > bestZ) {
                    bestZ = zv;
                    best = v;
                }
            }
            voiceId = voiceId << 8 | best;
            idZ = Math.min(idZ, bestZ);
        }
        boolean idPresent = idPValue(idZ) < ID_FALSE_ALARM;
        return new Detection(true, z, p, idPresent ? voiceId : -1, idZ, seconds);
    }

    /** The chance that the best of all lags reaches {@code z} in unmarked audio (two-sided, Bonferroni). */
    /** The score {@code z} from which the mark counts as present: where the p-value falls to {@link #FALSE_ALARM}. */
    public static double zThreshold() {
        double lo = 0;
        double hi = 40;
        for (int i = 0; i < 60; i++) {
            double mid = (lo + hi) / 2;
            if (detectionPValue(mid) >= FALSE_ALARM) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return hi;
    }

    static double detectionPValue(double z) {
        return Math.min(1, RATE * erfc(z / Math.sqrt(2)));
    }

    /** The chance that the best of an id byte's 256 lags reaches {@code z} when no id was embedded (one-sided). */
    static double idPValue(double z) {
        return Math.min(1, 256 * 0.5 * erfc(z / Math.sqrt(2)));
    }

    /** Unit magnitude, original phase, for every in-band bin of every frame with something in it. */
    private static float[] whiten(float[] x) {
        Fft fft = new Fft(FRAME);
        double[] window = new double[FRAME];
        for (int i = 0; i < FRAME; i++) {
            window[i] = Math.sin(Math.PI * (i + 0.5) / FRAME); // sqrt-Hann on both sides: Hann overall
        }
        int lowBin = (int) Math.ceil((double) WatermarkCode.LOW_HZ * FRAME / RATE);
        int highBin = (int) Math.floor((double) WatermarkCode.HIGH_HZ * FRAME / RATE);
        float[] out = new float[x.length];
        double[] re = new double[FRAME];
        double[] im = new double[FRAME];
        for (int start = -FRAME + HOP; start < x.length; start += HOP) {
            double power = 0;
            for (int i = 0; i < FRAME; i++) {
                int t = start + i;
                double v = t >= 0 && t < x.length ? x[t] : 0;
                power += v * v;
                re[i] = v * window[i];
                im[i] = 0;
            }
            if (power / FRAME < SILENT_FRAME_POWER) {
                continue;
            }
            fft.transform(re, im, false);
            for (int k = 0; k <= FRAME / 2; k++) {
                double mag = Math.hypot(re[k], im[k]);
                boolean keep = k >= lowBin && k <= highBin && mag > 0;
                double g = keep ? 1 / mag : 0;
                re[k] *= g;
                im[k] *= g;
                if (k > 0 && k < FRAME / 2) {
                    re[FRAME - k] = re[k];
                    im[FRAME - k] = -im[k];
                }
            }
            fft.transform(re, im, true);
            for (int i = 0; i < FRAME; i++) {
                int t = start + i;
                if (t >= 0 && t < x.length) {
                    out[t] += (float) (re[i] * window[i]);
                }
            }
        }
        return out;
    }

    /** Sums the signal onto one period of the code. */
    private static double[] fold(float[] x) {
        double[] period = new double[RATE];
        for (int i = 0; i < x.length; i++) {
            period[i % RATE] += x[i];
        }
        return period;
    }

    /** Circular correlation of the folded signal with {@code carrier}: entry l is its match delayed by l. */
    private static double[] correlate(Fft fft, double[] foldRe, double[] foldIm, int carrier) {
        double[] re = new double[RATE];
        double[] im = new double[RATE];
        for (int hz = WatermarkCode.LOW_HZ; hz < WatermarkCode.HIGH_HZ; hz++) {
            double phase = WatermarkCode.phase(carrier, hz);
            double cr = Math.cos(phase);
            double ci = Math.sin(phase);
            // F * conj(C) at +hz and its mirror at -hz keep the result real.
            re[hz] = foldRe[hz] * cr + foldIm[hz] * ci;
            im[hz] = foldIm[hz] * cr - foldRe[hz] * ci;
            re[RATE - hz] = re[hz];
            im[RATE - hz] = -im[hz];
        }
        fft.transform(re, im, true);
        return re;
    }

    private static double nullSpread(double[] c) {
        double[] squares = new double[c.length];
        for (int i = 0; i < c.length; i++) {
            squares[i] = c[i] * c[i];
        }
        Arrays.sort(squares);
        return Math.sqrt(squares[squares.length / 2] / MEDIAN_OF_CHI_SQUARE_1);
    }

    /** Complementary error function, relative error below 1.2e-7 (Numerical Recipes' erfcc). */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886187 + t * (-1.13520398 + t * (1.48851973
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
