package org.voxmorph.dsp;

/**
 * Streaming statistics of who is speaking: log-F0 mean and spread, the log-means of the first
 * three formants, and the {@link LongTermSpectrum long-term spectrum}. Enrollment and the live converter
 * run this same code, so a target's figures and a source's are measured alike and their ratios
 * cancel the estimators' biases.
 *
 * <p>Pitch and formants are measured every 10 ms on a copy low-passed at 3.4 kHz and decimated to
 * about 8 kHz (F1, F2 and F0 all live below that): YIN over 40 ms, and for voiced frames LPC of
 * order 10 over the newest 25 ms (resonances under 250 Hz are a high voice's harmonics, not F1). Averages are cumulative until {@code memorySeconds} of voiced
 * speech, then exponential with that time constant (infinity: cumulative for ever).
 * {@link #process} does not allocate.
 */
public final class SpeakerStatistics {
    private static final double ANALYSIS_RATE = 8000;
    private static final double HOP_MS = 10;
    private static final double PITCH_FRAME_MS = 40;
    private static final double MIN_HZ = 55;
    private static final double MAX_HZ = 600;
    private static final double SILENCE_RMS = 3e-4;

    private final double sampleRate;
    private final int decimation;
    private final Biquad lowpass1 = new Biquad();
    private final Biquad lowpass2 = new Biquad();
    private final float[] ring;
    private final float[] pitchFrame;
    public static final int FORMANTS = 3;
    private final double[] formants = new double[FORMANTS];
    private final PitchTracker yin;
    private final LpcFormants lpc;
    private final int hop;
    private final LongTermSpectrum spectrum;
    private long written;
    private long decimated;
    private final RunningStatistics logF0;
    /** Voiced frames per tenth of a semitone from {@link #MIN_HZ}, for the median and quartiles. */
    private final long[] pitchHistogram = new long[(int) Math.ceil(120 * Math.log(MAX_HZ / MIN_HZ) / Math.log(2)) + 1];
    private final RunningStatistics[] logFormants = new RunningStatistics[FORMANTS];

    public SpeakerStatistics(double sampleRate, double memorySeconds) {
        this.sampleRate = sampleRate;
        decimation = Math.max(1, (int) Math.round(sampleRate / ANALYSIS_RATE));
        double rate = sampleRate / decimation;
        lowpass1.setLowPass(sampleRate, 3400, 0.54);
        lowpass2.setLowPass(sampleRate, 3400, 1.31);
        pitchFrame = new float[(int) Math.round(PITCH_FRAME_MS * rate / 1000)];
        ring = new float[Integer.highestOneBit(pitchFrame.length) << 1];
        yin = PitchTrackers.yin(rate, pitchFrame.length, 0.15);
        lpc = new LpcFormants(rate, (int) Math.round(0.025 * rate), 10, 250);
        hop = (int) Math.round(HOP_MS * rate / 1000);
        double memoryFrames = memorySeconds * 1000 / HOP_MS;
        logF0 = new RunningStatistics(memoryFrames);
        for (int i = 0; i < FORMANTS; i++) {
            logFormants[i] = new RunningStatistics(memoryFrames);
        }
        spectrum = new LongTermSpectrum(sampleRate, memorySeconds);
        reset();
    }

    public void reset() {
        lowpass1.reset();
        lowpass2.reset();
        java.util.Arrays.fill(ring, 0f);
        spectrum.reset();
        written = 0;
        decimated = 0;
        logF0.reset();
        java.util.Arrays.fill(pitchHistogram, 0);
        for (RunningStatistics f : logFormants) {
            f.reset();
        }
    }

    public void process(float[] x, int offset, int n) {
        spectrum.process(x, offset, n);
        for (int i = offset, end = offset + n; i < end; i++) {
            double low = lowpass2.process(lowpass1.process(x[i]));
            if (++written % decimation != 0) {
                continue;
            }
            ring[(int) (decimated++ & (ring.length - 1))] = (float) low;
            if (decimated >= pitchFrame.length && decimated % hop == 0) {
                analyseFrame();
            }
        }
    }

    private void analyseFrame() {
        int n = pitchFrame.length;
        double energy = 0;
        for (int i = 0; i < n; i++) {
            float v = ring[(int) ((decimated - n + i) & (ring.length - 1))];
            pitchFrame[i] = v;
            energy += v * v;
        }
        if (Math.sqrt(energy / n) < SILENCE_RMS) {
            return;
        }
        double hz = yin.pitchHz(pitchFrame);
        if (hz < MIN_HZ || hz > MAX_HZ) {
            return;
        }
        logF0.add(Math.log(hz));
        pitchHistogram[(int) Math.round(120 * Math.log(hz / MIN_HZ) / Math.log(2))]++;
        if (lpc.estimate(pitchFrame, n - lpc.frameSize(), formants) && formants[0] < 1200 && formants[2] < 3600) {
            for (int i = 0; i < FORMANTS; i++) {
                logFormants[i].add(Math.log(formants[i]));
            }
        }
    }

    public double voicedSeconds() {
        return logF0.count() * HOP_MS / 1000;
    }

    public double formantSeconds() {
        return logFormants[0].count() * HOP_MS / 1000;
    }

    public double activeSeconds() {
        return spectrum.activeSeconds();
    }

    public double logF0Mean() {
        return logF0.mean();
    }

    /** Standard deviation of log-F0 (natural log; 0.1 is about 1.7 semitones). */
    public double logF0Sd() {
        return logF0.sd();
    }

    /**
     * The {@code q}-quantile of ln(F0) over every voiced frame heard since the last reset (the
     * histogram does not forget: meant for enrollment), to a tenth of a semitone.
     */
    public double logF0Quantile(double q) {
        long total = logF0.count();
        long below = 0;
        for (int i = 0; i < pitchHistogram.length; i++) {
            below += pitchHistogram[i];
            if (below > q * total) {
                return Math.log(MIN_HZ) + i * Math.log(2) / 120;
            }
        }
        return Math.log(MAX_HZ);
    }

    /** Mean of ln(F1) ({@code i = 0}), ln(F2) or ln(F3) over voiced frames. */
    public double logFormantMean(int i) {
        return logFormants[i].mean();
    }

    public LongTermSpectrum spectrum() {
        return spectrum;
    }
}
