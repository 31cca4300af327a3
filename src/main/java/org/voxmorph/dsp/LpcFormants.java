package org.voxmorph.dsp;

/**
 * Formant frequencies F1 and F2 of speech frames from an all-pole (LPC) model of the vocal tract:
 * pre-emphasis, Hann window, autocorrelation, Levinson-Durbin, then the roots of A(z): each pole
 * pair gives a resonance frequency and bandwidth, and the two lowest narrow ones are F1 and F2.
 * Roots rather than peaks of the envelope because two close formants (F1 and F2 of /a/ or /u/)
 * merge into one envelope peak but stay two poles.
 *
 * <p>One instance reuses its buffers: not for concurrent use.
 */
public final class LpcFormants {
    /** Poles below this model the glottal pulse shape, not the vocal tract. */
    private static final double MIN_FORMANT_HZ = 90;
    /** Wider poles shape the spectral tilt rather than a resonance. */
    private static final double MAX_BANDWIDTH_HZ = 500;

    private final double sampleRate;
    private final int frameSize;
    private final int order;
    private final double[] window;
    private final double[] work;
    private final double[] autocorr;
    private final double[] lpc;
    private final double[] scratch;
    private final double[] rootRe;
    private final double[] rootIm;
    private final double minFormantHz;
    private final double[] lowest;

    /** Frames of about 25 ms and the usual order of 2 + one pole pair per kHz. */
    public LpcFormants(double sampleRate) {
        this(sampleRate, (int) Math.round(0.025 * sampleRate), 2 + (int) Math.round(sampleRate / 1000.0));
    }

    public LpcFormants(double sampleRate, int frameSize, int order) {
        this(sampleRate, frameSize, order, MIN_FORMANT_HZ);
    }

    /**
     * With a higher {@code minFormantHz} (about 250 Hz) the pole that a high voice's first
     * harmonics leave in the low band is not taken for F1.
     */
    public LpcFormants(double sampleRate, int frameSize, int order, double minFormantHz) {
        if (order < 4 || frameSize <= order) {
            throw new IllegalArgumentException("LPC order " + order + " needs a frame longer than " + order + " samples, got " + frameSize);
        }
        this.sampleRate = sampleRate;
        this.frameSize = frameSize;
        this.order = order;
        window = new double[frameSize];
        for (int i = 0; i < frameSize; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 0.5) / frameSize);
        }
        work = new double[frameSize];
        autocorr = new double[order + 1];
        lpc = new double[order + 1];
        scratch = new double[order + 1];
        rootRe = new double[order];
        rootIm = new double[order];
        this.minFormantHz = minFormantHz;
        lowest = new double[order / 2];
    }

    public int frameSize() {
        return frameSize;
    }

    /**
     * Estimates F1, F2 (and F3.. if {@code out} is longer) in Hz of the frame starting at
     * {@code start}, written to {@code out}. Returns false (out untouched) for a silent frame or one
     * with fewer than {@code out.length} resonances above the minimum (90 Hz by default); the
     * caller decides whether the frame is voiced.
     */
    public boolean estimate(float[] signal, int start, double[] out) {
        // Pre-emphasis lifts the -6 dB/octave glottal tilt so the poles fit the tract, not the source.
        double prev = start > 0 ? signal[start - 1] : 0;
        for (int i = 0; i < frameSize; i++) {
            double x = signal[start + i];
            work[i] = (x - 0.97 * prev) * window[i];
            prev = x;
        }
        for (int lag = 0; lag <= order; lag++) {
            double sum = 0;
            for (int i = lag; i < frameSize; i++) {
                sum += work[i] * work[i - lag];
            }
            autocorr[lag] = sum;
        }
        if (autocorr[0] < 1e-10) {
            return false;
        }
        autocorr[0] *= 1.0 + 1e-9; // white-noise floor keeps Levinson stable on near-singular frames
        if (!levinson()) {
            return false;
        }
        if (!findRoots()) {
            return false;
        }
        // Formants are the pole pairs in the upper half plane that are sharp enough to be resonances.
        int wanted = Math.min(out.length, lowest.length);
        java.util.Arrays.fill(lowest, Double.MAX_VALUE);
        for (int i = 0; i < order; i++) {
            if (rootIm[i] <= 0) {
                continue;
            }
            double hz = Math.atan2(rootIm[i], rootRe[i]) * sampleRate / (2 * Math.PI);
            double bandwidth = -Math.log(Math.hypot(rootRe[i], rootIm[i])) * sampleRate / Math.PI;
            if (hz < minFormantHz || bandwidth > MAX_BANDWIDTH_HZ) {
                continue;
            }
            // Insertion into the ascending list of the lowest resonances found so far.
            for (int k = 0; k < wanted; k++) {
                if (hz < lowest[k]) {
                    double moved = lowest[k];
                    lowest[k] = hz;
                    hz = moved;
                }
            }
        }
        if (lowest[wanted - 1] == Double.MAX_VALUE) {
            return false;
        }
        System.arraycopy(lowest, 0, out, 0, wanted);
        return true;
    }

    /**
     * Roots of A(z) by Durand-Kerner (all roots at once). It converges for the well-separated,
     * inside-the-unit-circle roots a stable LPC polynomial has; a frame where it does not is skipped.
     */
    private boolean findRoots() {
        // Monic polynomial in z: z^p + a1 z^(p-1) + ... + ap.
        for (int i = 0; i < order; i++) {
            double angle = 2 * Math.PI * (i + 0.25) / order;
            rootRe[i] = 0.9 * Math.cos(angle);
            rootIm[i] = 0.9 * Math.sin(angle);
        }
        for (int iteration = 0; iteration < 500; iteration++) {
            double largestStep = 0;
            for (int i = 0; i < order; i++) {
                double zr = rootRe[i];
                double zi = rootIm[i];
                // Horner: p(z)
                double pr = 1;
                double pi = 0;
                for (int k = 1; k <= order; k++) {
                    double t = pr * zr - pi * zi + lpc[k];
                    pi = pr * zi + pi * zr;
                    pr = t;
                }
                // Product of (z - z_j) over the other roots.
                double qr = 1;
                double qi = 0;
                for (int j = 0; j < order; j++) {
                    if (j != i) {
                        double dr = zr - rootRe[j];
                        double di = zi - rootIm[j];
                        double t = qr * dr - qi * di;
                        qi = qr * di + qi * dr;
                        qr = t;
                    }
                }
                double norm = qr * qr + qi * qi;
                if (norm == 0) {
                    return false;
                }
                double stepRe = (pr * qr + pi * qi) / norm;
                double stepIm = (pi * qr - pr * qi) / norm;
                rootRe[i] = zr - stepRe;
                rootIm[i] = zi - stepIm;
                largestStep = Math.max(largestStep, Math.abs(stepRe) + Math.abs(stepIm));
            }
            if (largestStep < 1e-10) {
                return true;
            }
        }
        return false;
    }

    /** Levinson-Durbin on {@link #autocorr}; fills {@link #lpc} with A(z) = 1 + a1 z^-1 + ... */
    private boolean levinson() {
        java.util.Arrays.fill(lpc, 0);
        lpc[0] = 1;
        double error = autocorr[0];
        for (int i = 1; i <= order; i++) {
            double acc = autocorr[i];
            for (int j = 1; j < i; j++) {
                acc += lpc[j] * autocorr[i - j];
            }
            double k = -acc / error;
            System.arraycopy(lpc, 0, scratch, 0, i);
            for (int j = 1; j < i; j++) {
                lpc[j] = scratch[j] + k * scratch[i - j];
            }
            lpc[i] = k;
            error *= 1 - k * k;
            if (error <= 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * F1 and F2 of every frame (one per {@code hop} samples) that {@code voicing} finds voiced; a
     * row is {@code {F1, F2}} or {@code null} for an unvoiced or unmeasurable frame. The voicing
     * tracker reads a frame centred on the LPC frame.
     */
    public double[][] track(float[] signal, int hop, PitchTracker voicing) {
        int frames = Math.max(0, (signal.length - Math.max(frameSize, voicing.frameSize())) / hop + 1);
        double[][] result = new double[frames][];
        float[] pitchFrame = new float[voicing.frameSize()];
        int span = Math.max(frameSize, voicing.frameSize());
        for (int f = 0; f < frames; f++) {
            int start = f * hop;
            int pitchStart = start + (span - voicing.frameSize()) / 2;
            System.arraycopy(signal, pitchStart, pitchFrame, 0, pitchFrame.length);
            if (voicing.pitchHz(pitchFrame) <= 0) {
                continue;
            }
            double[] fs = new double[2];
            if (estimate(signal, start + (span - frameSize) / 2, fs)) {
                result[f] = fs;
            }
        }
        return result;
    }
}
