package org.voxmorph.dsp;

/**
 * Adds the Voxmorph watermark ({@link WatermarkCode}) to a stream, sample by sample, with no delay.
 *
 * <p>In each of the code's bands the watermark follows the signal's own level in that band, a fixed
 * ratio below it (-25 dB by default in the processor): the speech masks it, and where there is no
 * speech there is no watermark. The levels come from the short-time spectrum of the last 10-20 ms
 * of input, measured every quarter frame, and the gains glide to them over that quarter. A filter
 * bank would be cheaper but its skirts let loud neighbours (vowels below 1 kHz, fricatives above
 * 6 kHz) lift a band's watermark above what the band itself masks; FFT bins do not leak so. Being
 * causal, the watermark starts a few ms after an onset and stops within a frame after an offset,
 * inside the ear's forward masking. Below -60 dBFS nothing is added at all; between -60 and -50
 * dBFS the watermark fades in.
 *
 * <p>Analysis runs on a fixed count of input samples, so the output does not depend on how the
 * input is cut into blocks. {@link #next} does not allocate.
 */
public final class WatermarkEmbedder {
    private static final double SILENT_POWER = 1e-6;   // -60 dBFS
    private static final double AUDIBLE_POWER = 1e-5;  // -50 dBFS: full strength from here

    private final int rate;
    private final float[][] periods;  // [band][one second at rate]
    private final int frame;
    private final int hop;
    private final Fft fft;
    private final double[] window;
    private final double windowEnergy;
    private final int[] firstBin;     // [band], and firstBin[BANDS] ends the last band
    private final float[] history;    // the last frame of input, circular
    private final double[] re;
    private final double[] im;
    private final double[] gain;      // per band, gliding
    private final double[] target;
    private final double[] step;
    private int historyPos;
    private int sinceAnalysis;
    private int position;

    /** @param voiceId 0..{@value WatermarkCode#MAX_VOICE_ID}, or -1 to embed no id */
    public WatermarkEmbedder(int sampleRate, int voiceId) {
        this.rate = sampleRate;
        int bands = WatermarkCode.BANDS;
        periods = WatermarkCode.bandPeriods(sampleRate, voiceId);
        frame = Integer.highestOneBit(sampleRate / 50);
        hop = frame / 4;
        fft = new Fft(frame);
        window = new double[frame];
        double energy = 0;
        for (int i = 0; i < frame; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 0.5) / frame);
            energy += window[i] * window[i];
        }
        windowEnergy = energy;
        firstBin = new int[bands + 1];
        for (int b = 0; b <= bands; b++) {
            firstBin[b] = (int) Math.ceil(WatermarkCode.bandEdge(b) * frame / sampleRate);
        }
        history = new float[frame];
        re = new double[frame];
        im = new double[frame];
        gain = new double[bands];
        target = new double[bands];
        step = new double[bands];
    }

    /**
     * Watermarks {@code x[from..from+n)} in place.
     *
     * @param strength the watermark's amplitude relative to the signal in each band (0.056 = -25 dB)
     */
    public void process(float[] x, int from, int n, double strength) {
        for (int i = from; i < from + n; i++) {
            x[i] += (float) (strength * next(x[i]));
        }
    }

    /** The watermark sample to add to input sample {@code s}, at unit strength. */
    public double next(float s) {
        history[historyPos] = s;
        historyPos = historyPos + 1 == frame ? 0 : historyPos + 1;
        if (++sinceAnalysis == hop) {
            sinceAnalysis = 0;
            analyse();
        }
        double mark = 0;
        for (int b = 0; b < periods.length; b++) {
            mark += gain[b] * periods[b][position];
            gain[b] += step[b];
        }
        position = position + 1 == rate ? 0 : position + 1;
        return mark;
    }

    /** Sets each band's gain gliding, over the next hop, to the RMS of the last frame in that band. */
    private void analyse() {
        double power = 0;
        for (int i = 0; i < frame; i++) {
            double v = history[(historyPos + i) % frame] * window[i];
            power += v * v;
            re[i] = v;
            im[i] = 0;
        }
        power /= windowEnergy;
        double gate = Math.min(1, Math.max(0, (power - SILENT_POWER) / (AUDIBLE_POWER - SILENT_POWER)));
        if (gate > 0) {
            fft.transform(re, im, false);
        }
        for (int b = 0; b < periods.length; b++) {
            double band = 0;
            for (int k = firstBin[b]; gate > 0 && k < firstBin[b + 1]; k++) {
                band += re[k] * re[k] + im[k] * im[k];
            }
            // Parseval for a real signal: both half spectra, over the frame and the window's energy.
            double rms = Math.sqrt(2 * band / (frame * windowEnergy));
            gain[b] = target[b]; // where the last glide was headed, exactly: silence gets exact zeros
            target[b] = gate * rms;
            step[b] = (target[b] - gain[b]) / hop;
        }
    }

    public void reset() {
        java.util.Arrays.fill(history, 0f);
        java.util.Arrays.fill(gain, 0);
        java.util.Arrays.fill(target, 0);
        java.util.Arrays.fill(step, 0);
        historyPos = 0;
        sinceAnalysis = 0;
        position = 0;
    }
}
