package org.voxmorph.dsp;

/**
 * What the frame-matching converter knows of one short frame of speech, the same at every sample
 * rate: its 40 log-mel bands (60 Hz..7.6 kHz), from which a {@link ContentNet} says which sound it
 * is, and the spectral envelope (cepstrally smoothed natural-log amplitude) at {@value #GRID}
 * points every 100 Hz from 100 Hz to 8 kHz that says how this speaker makes it.
 *
 * <p>A frame is 20 ms under a periodic square-root Hann window, zero-padded to a power of two; the
 * same window analyses and resynthesises in {@link FrameMatcher}, so enrollment and conversion see
 * identical features. A band's energy at another sample rate differs only by a constant factor
 * (the frame and FFT lengths), which the content network removes with each frame's mean. The
 * cepstral lifter keeps quefrencies below {@value #LIFTER_MS} ms (a Hann taper, near zero by 4 ms):
 * short of the pitch period of voices up to about 250 Hz, so harmonics stay out of the envelope
 * (the converter has already moved the source into the target's pitch range when it analyses it),
 * yet long enough to carry the formants' detail. Measured with the GMM-UBM speaker meter on 12
 * VCTK conversions: 1.6 ms left 1 identified as the target, 3 ms 4, 4.5 ms 8, 6 ms 8. One instance
 * per thread; {@link #analyse} does not allocate.
 */
public final class FrameAnalysis {
    public static final double FRAME_SECONDS = 0.020;
    public static final int GRID = 80;
    public static final double GRID_STEP_HZ = 100;
    public static final int BANDS = ContentNet.BANDS;
    private static final double LOW_HZ = 60;
    private static final double HIGH_HZ = 7600;
    private static final double LIFTER_MS = 4.5;
    private static final double FLOOR = 1e-9;

    private final double rate;
    private final int frame;
    private final int size;
    private final Fft fft;
    private final double[] window;
    private final int[] bandStart;
    private final double[][] bandWeights;
    private final double[] lifter;
    private final int[] gridBin;
    private final double[] gridFraction;
    private final double[] re;
    private final double[] im;
    private final double[] logMel = new double[BANDS];
    private final double[] spectrumRe;
    private final double[] spectrumIm;
    private final double[] cepRe;
    private final double[] cepIm;
    private double level;

    public FrameAnalysis(double rate) {
        this(rate, LIFTER_MS);
    }

    private FrameAnalysis(double rate, double lifterMs) {
        this.rate = rate;
        // Four hops of 5 ms: the converter overlaps frames by 75 %, so the frame is a multiple of four.
        frame = 4 * (int) Math.round(FRAME_SECONDS * rate / 4);
        size = Integer.highestOneBit(frame - 1) << 1;
        fft = new Fft(size);
        window = new double[frame];
        for (int i = 0; i < frame; i++) {
            window[i] = Math.sqrt(0.5 - 0.5 * Math.cos(2 * Math.PI * i / frame));
        }
        double high = Math.min(HIGH_HZ, 0.48 * rate);
        double[] edges = new double[BANDS + 2];
        for (int i = 0; i < edges.length; i++) {
            double mel = mel(LOW_HZ) + (mel(high) - mel(LOW_HZ)) * i / (BANDS + 1);
            edges[i] = 700 * (Math.exp(mel / 1127) - 1);
        }
        bandStart = new int[BANDS];
        bandWeights = new double[BANDS][];
        for (int b = 0; b < BANDS; b++) {
            int lo = (int) Math.ceil(edges[b] * size / rate);
            int hi = (int) Math.floor(edges[b + 2] * size / rate);
            bandStart[b] = lo;
            bandWeights[b] = new double[Math.max(0, hi - lo + 1)];
            for (int k = lo; k <= hi; k++) {
                double hz = k * rate / size;
                double up = (hz - edges[b]) / (edges[b + 1] - edges[b]);
                double down = (edges[b + 2] - hz) / (edges[b + 2] - edges[b + 1]);
                bandWeights[b][k - lo] = Math.max(0, Math.min(up, down));
            }
        }
        int cut = Math.max(2, (int) Math.round(lifterMs * rate / 1000));
        lifter = new double[size / 2 + 1];
        for (int q = 0; q < cut; q++) {
            lifter[q] = 0.5 + 0.5 * Math.cos(Math.PI * q / cut);
        }
        gridBin = new int[GRID];
        gridFraction = new double[GRID];
        for (int g = 0; g < GRID; g++) {
            double bin = Math.min(gridHz(g), 0.5 * rate) * size / rate;
            gridBin[g] = Math.min(size / 2 - 1, (int) bin);
            gridFraction[g] = Math.min(1, bin - gridBin[g]);
        }
        re = new double[size];
        im = new double[size];
        spectrumRe = new double[size];
        spectrumIm = new double[size];
        cepRe = new double[size];
        cepIm = new double[size];
    }

    public static double gridHz(int g) {
        return GRID_STEP_HZ * (g + 1);
    }

    /** Samples per frame. */
    public int frameSamples() {
        return frame;
    }

    /** FFT length (a power of two, at least the frame). */
    public int fftSize() {
        return size;
    }

    /** The analysis (and synthesis) window, {@link #frameSamples()} long. */
    public double[] window() {
        return window.clone();
    }

    /** Mean natural-log mel energy of the last analysed frame: how loud it was. */
    public double level() {
        return level;
    }

    /**
     * Analyses {@code frame} samples of the ring {@code x} from {@code at}: the envelope into
     * {@code envelope}, the bands into {@link #logMel}; the windowed spectrum stays in
     * {@link #spectrumRe()} / {@link #spectrumIm()} for the caller to filter.
     */
    public void analyse(float[] x, int at, int mask, double[] envelope) {
        for (int i = 0; i < frame; i++) {
            re[i] = x[(at + i) & mask] * window[i];
            im[i] = 0;
        }
        java.util.Arrays.fill(re, frame, size, 0);
        java.util.Arrays.fill(im, frame, size, 0);
        fft.transform(re, im, false);
        describe(envelope);
    }

    /** Same as {@link #analyse(float[], int, int, double[])} for a plain (non-ring) array. */
    public void analyse(float[] x, int at, double[] envelope) {
        for (int i = 0; i < frame; i++) {
            re[i] = x[at + i] * window[i];
            im[i] = 0;
        }
        java.util.Arrays.fill(re, frame, size, 0);
        java.util.Arrays.fill(im, frame, size, 0);
        fft.transform(re, im, false);
        describe(envelope);
    }

    /** The last analysed frame's natural-log mel band energies, into {@code out} from {@code offset}. */
    public void logMel(float[] out, int offset) {
        for (int b = 0; b < BANDS; b++) {
            out[offset + b] = (float) logMel[b];
        }
    }

    /** What {@link #logMel} gives for digital silence: every band at the floor. */
    public static float silentLogMel() {
        return (float) Math.log(FLOOR);
    }

    private void describe(double[] envelope) {
        System.arraycopy(re, 0, spectrumRe, 0, size);
        System.arraycopy(im, 0, spectrumIm, 0, size);
        for (int b = 0; b < BANDS; b++) {
            double e = 0;
            double[] w = bandWeights[b];
            for (int j = 0; j < w.length; j++) {
                int k = bandStart[b] + j;
                e += w[j] * (re[k] * re[k] + im[k] * im[k]);
            }
            logMel[b] = Math.log(e + FLOOR);
        }
        double c0 = 0;
        for (int b = 0; b < BANDS; b++) {
            c0 += logMel[b];
        }
        level = c0 / BANDS;
        // Real cepstrum of the log amplitude, liftered, back to a smooth log amplitude.
        int half = size / 2;
        for (int k = 0; k <= half; k++) {
            cepRe[k] = 0.5 * Math.log(re[k] * re[k] + im[k] * im[k] + FLOOR);
            cepIm[k] = 0;
        }
        for (int k = half + 1; k < size; k++) {
            cepRe[k] = cepRe[size - k];
            cepIm[k] = 0;
        }
        fft.transform(cepRe, cepIm, true);
        for (int q = 0; q <= half; q++) {
            double l = lifter[q] / size;
            cepRe[q] *= l;
            if (q > 0 && q < half) {
                cepRe[size - q] *= l;
            }
            cepIm[q] = 0;
        }
        for (int q = half + 1; q < size; q++) {
            cepIm[q] = 0;
        }
        fft.transform(cepRe, cepIm, false);
        for (int g = 0; g < GRID; g++) {
            int k = gridBin[g];
            double f = gridFraction[g];
            envelope[g] = (1 - f) * cepRe[k] + f * cepRe[k + 1];
        }
    }

    /** Real part of the last frame's windowed spectrum (valid until the next call; the caller may change it). */
    public double[] spectrumRe() {
        return spectrumRe;
    }

    public double[] spectrumIm() {
        return spectrumIm;
    }

    public Fft fft() {
        return fft;
    }

    private static double mel(double hz) {
        return 1127 * Math.log(1 + hz / 700);
    }
}
