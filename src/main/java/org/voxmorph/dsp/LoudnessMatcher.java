package org.voxmorph.dsp;

/**
 * Brings a processor's output to its input's loudness: tracks the speech-active RMS of both (10 ms
 * windows above an activity threshold, averaged over the first seconds, then over a sliding few
 * seconds) and applies their ratio as a gain that glides with a 0.5 s time constant. The gain
 * follows long-term averages, so it does not pump with syllables or pauses; it only moves while
 * both sides are talking.
 *
 * <p>Call {@link #measureInput} on a block before the processor changes it and {@link #apply} on
 * the processed block. Both count windows from the first sample, and the gain at a window's end
 * uses the input average as of that same window, so the result does not depend on block sizes
 * (blocks up to {@value #MAX_WINDOWS_AHEAD} windows long). {@link #apply} does not allocate.
 */
public final class LoudnessMatcher {
    private static final double WINDOW_MS = 10;
    /**
     * A window counts as speech above -70 dBFS and within 30 dB of the running speech level. The
     * relative part does the work, the same on both sides however much quieter one is; the floor
     * only keeps digital silence out.
     */
    private static final double FLOOR_POWER = Math.pow(10, -70 / 10.0);
    private static final double RELATIVE_POWER = Math.pow(10, -30 / 10.0);
    /** Speech windows averaged plainly at first (quick start), then exponentially over this many. */
    private static final int AVERAGE_WINDOWS = 300;
    private static final double GLIDE_S = 0.5;
    /** Limits on the correction: a silent or broken output is not boosted without bound. */
    private static final double MAX_GAIN = Math.pow(10, 24 / 20.0);
    private static final double MIN_GAIN = 1 / MAX_GAIN;
    static final int MAX_WINDOWS_AHEAD = 64;

    private final int window;
    private final double glide;
    private final Level input = new Level();
    private final Level output = new Level();
    /** The input's speech power as of each recent window end, indexed by window number. */
    private final double[] inputAtWindow = new double[MAX_WINDOWS_AHEAD];
    private double target = 1;
    private double gain = 1;

    public LoudnessMatcher(double sampleRate) {
        window = Math.max(1, (int) Math.round(WINDOW_MS * sampleRate / 1000));
        glide = 1 - Math.exp(-1 / (GLIDE_S * sampleRate));
    }

    /** The gain now applied (linear). */
    public double gain() {
        return gain;
    }

    public void reset() {
        input.reset();
        output.reset();
        java.util.Arrays.fill(inputAtWindow, 0);
        target = 1;
        gain = 1;
    }

    /** Feeds {@code n} input samples (not changed). */
    public void measureInput(float[] x, int offset, int n) {
        for (int i = offset, end = offset + n; i < end; i++) {
            if (input.add(x[i], window)) {
                inputAtWindow[(int) (input.windows % MAX_WINDOWS_AHEAD)] = input.speechPower();
            }
        }
    }

    /** Measures {@code n} processed samples and scales them in place toward the input's loudness. */
    public void apply(float[] x, int offset, int n) {
        for (int i = offset, end = offset + n; i < end; i++) {
            if (output.add(x[i], window)) {
                double in = inputAtWindow[(int) (output.windows % MAX_WINDOWS_AHEAD)];
                double out = output.speechPower();
                if (in > 0 && out > 0) {
                    target = Math.max(MIN_GAIN, Math.min(MAX_GAIN, Math.sqrt(in / out)));
                }
            }
            gain += glide * (target - gain);
            x[i] = (float) (x[i] * gain);
        }
    }

    /** The speech-active power of one side. */
    private static final class Level {
        private double sum;
        private int count;
        private long windows;
        private double power;
        private long speechWindows;

        void reset() {
            sum = 0;
            count = 0;
            windows = 0;
            power = 0;
            speechWindows = 0;
        }

        /** Adds a sample; true when it completed a window. */
        boolean add(float v, int window) {
            sum += v * v;
            if (++count < window) {
                return false;
            }
            double p = sum / count;
            sum = 0;
            count = 0;
            windows++;
            if (p > FLOOR_POWER && p > RELATIVE_POWER * power) {
                speechWindows++;
                power += (p - power) / Math.min(speechWindows, AVERAGE_WINDOWS);
            }
            return true;
        }

        double speechPower() {
            return power;
        }
    }
}
