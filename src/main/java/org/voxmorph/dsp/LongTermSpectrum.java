package org.voxmorph.dsp;

/**
 * Streaming long-term average spectrum of speech in third-octave bands (100 Hz .. 6.3 kHz), the
 * slow spectral colour that says "whose voice" more than "which sound". Band power and band level
 * in dB are both averaged (see {@link #levelsDb}), only over active frames (within 30 dB of the recent loudest frame and above -55 dBFS), so pauses and
 * room noise do not flatten it; the result is in dB relative to the mean band level, so loudness
 * does not count.
 *
 * <p>The average is cumulative until {@code memorySeconds} of active speech have been heard, then
 * exponential with that time constant: an enrollment passes infinity and keeps everything, a live
 * converter passes tens of seconds and keeps adapting. {@link #process} does not allocate.
 */
public final class LongTermSpectrum {
    /** Third-octave band centres; every rate from 16 kHz up covers them. */
    public static final double[] CENTRES_HZ = bandCentres();
    private static final double FRAME_MS = 32;
    private static final double FLOOR_DB = -55;
    private static final double RANGE_DB = 30;
    private static final double PEAK_DECAY_DB_PER_S = 3;

    private final double sampleRate;
    private final int frame;
    private final int hop;
    private final Fft fft;
    private final double[] window;
    private final float[] ring;
    private final double[] re;
    private final double[] im;
    private final int[] binLow;
    private final int[] binHigh;
    private final double[] average;
    private final double[] averagePower;
    private final double memoryFrames;
    private final double peakDecayPerFrame;
    private long written;
    private long activeFrames;
    private double peakDb;

    public LongTermSpectrum(double sampleRate, double memorySeconds) {
        this.sampleRate = sampleRate;
        frame = Integer.highestOneBit((int) Math.round(FRAME_MS * sampleRate / 1000));
        hop = frame / 2;
        fft = new Fft(frame);
        window = new double[frame];
        for (int i = 0; i < frame; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 0.5) / frame);
        }
        ring = new float[frame];
        re = new double[frame];
        im = new double[frame];
        int bands = CENTRES_HZ.length;
        binLow = new int[bands];
        binHigh = new int[bands];
        double binHz = sampleRate / frame;
        for (int b = 0; b < bands; b++) {
            int lo = (int) Math.ceil(CENTRES_HZ[b] * Math.pow(2, -1.0 / 6) / binHz);
            int hi = (int) Math.floor(CENTRES_HZ[b] * Math.pow(2, 1.0 / 6) / binHz);
            // A band narrower than a bin (the lowest ones at short frames) reads its nearest bin.
            binLow[b] = Math.min(lo, (int) Math.round(CENTRES_HZ[b] / binHz));
            binHigh[b] = Math.max(hi, binLow[b]);
        }
        average = new double[bands];
        averagePower = new double[bands];
        double framesPerSecond = sampleRate / hop;
        memoryFrames = memorySeconds * framesPerSecond;
        peakDecayPerFrame = PEAK_DECAY_DB_PER_S / framesPerSecond;
        reset();
    }

    private static double[] bandCentres() {
        double[] c = new double[19];
        for (int k = 0; k < c.length; k++) {
            c[k] = 100 * Math.pow(2, k / 3.0);
        }
        return c;
    }

    public void reset() {
        java.util.Arrays.fill(ring, 0f);
        java.util.Arrays.fill(average, 0);
        java.util.Arrays.fill(averagePower, 0);
        written = 0;
        activeFrames = 0;
        peakDb = FLOOR_DB;
    }

    public void process(float[] x, int offset, int n) {
        for (int i = offset, end = offset + n; i < end; i++) {
            ring[(int) (written % frame)] = x[i];
            written++;
            if (written >= frame && written % hop == 0) {
                analyseFrame();
            }
        }
    }

    private void analyseFrame() {
        double energy = 0;
        for (int i = 0; i < frame; i++) {
            double v = ring[(int) ((written + i) % frame)];
            energy += v * v;
            re[i] = v * window[i];
            im[i] = 0;
        }
        double levelDb = 10 * Math.log10(energy / frame + 1e-20);
        peakDb = Math.max(levelDb, peakDb - peakDecayPerFrame);
        if (levelDb < FLOOR_DB || levelDb < peakDb - RANGE_DB) {
            return;
        }
        fft.transform(re, im, false);
        activeFrames++;
        double w = Math.max(1.0 / activeFrames, 1.0 / memoryFrames);
        // A floor 60 dB under the frame's mean bin power keeps a band between two harmonics finite.
        double floor = 1e-6 * energy * frame / 2;
        for (int b = 0; b < average.length; b++) {
            double p = 0;
            for (int k = binLow[b]; k <= binHigh[b]; k++) {
                p += re[k] * re[k] + im[k] * im[k];
            }
            p /= binHigh[b] - binLow[b] + 1;
            average[b] += w * (10 * Math.log10(p + floor) - average[b]);
            averagePower[b] += w * (p - averagePower[b]);
        }
    }

    /** Seconds of active speech heard so far. */
    public double activeSeconds() {
        return activeFrames * hop / sampleRate;
    }

    public boolean hasData() {
        return activeFrames > 0;
    }

    /**
     * Band levels in dB relative to their mean, into {@code out} (length {@link #CENTRES_HZ}): the
     * average of the power spectrum's level (loud vowels dominate it, as they dominate the colour
     * a listener hears) and the mean log level (every frame alike, as a frame-wise spectral
     * distance sees it). Matching either alone left the other worse on the VCTK pairs.
     */
    public void levelsDb(double[] out) {
        double mean = 0;
        for (int b = 0; b < average.length; b++) {
            double pw = 10 * Math.log10(averagePower[b] + 1e-20);
            out[b] = 0.5 * (pw + average[b]);
            mean += out[b];
        }
        mean /= average.length;
        for (int b = 0; b < average.length; b++) {
            out[b] -= mean;
        }
    }
}
