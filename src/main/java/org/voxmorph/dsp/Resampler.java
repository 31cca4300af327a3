package org.voxmorph.dsp;

import java.util.Arrays;

/**
 * Streaming band-limited sample-rate converter: a Kaiser-windowed sinc sampled at {@value #PHASES}
 * polyphase branches, with linear interpolation between neighbouring branches so that any ratio
 * works, including one that changes at run time (the engine's drift control nudges it by fractions
 * of a percent to keep two device clocks in step).
 *
 * <p>The low-pass is designed from the lower of the two rates: flat to 0.9 of its Nyquist
 * frequency and at least 80 dB down from its Nyquist frequency on, so nothing aliases into the
 * passband and no image leaks out of it.
 *
 * <p>Output sample {@code k} is the band-limited input at time {@code k * step - delayInputSamples()}
 * (in input samples), where {@code step = inRate / (outRate * correction)}; the output does not
 * depend on how the input is cut into chunks. {@link #process} does not allocate.
 */
public final class Resampler {
    /** How far the drift correction may move the ratio either way. */
    public static final double MAX_CORRECTION = 0.02;

    private static final int PHASES = 256;
    // Designed 10 dB beyond the 80 dB promise: Kaiser's length formula is an estimate.
    private static final double STOPBAND_DB = 90.0;
    private static final double PASSBAND_EDGE = 0.9;
    private static final double STOPBAND_EDGE = 1.0;
    private static final int CHUNK = 4096;

    private final int inRate;
    private final int outRate;
    private final int taps;
    private final float[] kernel;   // (PHASES + 1) rows of taps; row p is the filter for fraction p / PHASES
    private final float[] history;  // recent input, oldest first
    private final double nominalStep;

    private int stepWhole;
    private double stepFraction;
    private int fill;
    private int start;        // history index of the first tap for the next output
    private double fraction;  // the next output's position between input samples, 0 <= fraction < 1

    public Resampler(int inRate, int outRate) {
        checkRate("input", inRate);
        checkRate("output", outRate);
        this.inRate = inRate;
        this.outRate = outRate;
        this.nominalStep = (double) inRate / outRate;

        double lowerNyquist = Math.min(inRate, outRate) / 2.0;
        double transition = (STOPBAND_EDGE - PASSBAND_EDGE) * lowerNyquist / inRate; // cycles per input sample
        int length = (int) Math.ceil((STOPBAND_DB - 7.95) / (2.285 * 2 * Math.PI * transition));
        this.taps = length + (length & 1);
        double cutoff = (PASSBAND_EDGE + STOPBAND_EDGE) / 2 * lowerNyquist / inRate; // cycles per input sample
        this.kernel = designKernel(taps, 2 * cutoff, kaiserBeta(STOPBAND_DB));
        this.history = new float[taps + CHUNK];
        setCorrection(1.0);
        reset();
    }

    private static void checkRate(String which, int rate) {
        if (rate < 8000 || rate > 192000) {
            throw new IllegalArgumentException(which + " rate " + rate + " Hz is outside 8000..192000");
        }
    }

    /**
     * Whole-array conversion: {@code ceil(in.length * toRate / fromRate)} samples, output sample
     * {@code k} taken at input time {@code k * fromRate / toRate} (no delay to trim).
     */
    public static float[] resample(float[] in, int fromRate, int toRate) {
        if (fromRate == toRate) {
            return in.clone();
        }
        Resampler r = aligned(fromRate, toRate);
        int length = (int) (((long) in.length * toRate + fromRate - 1) / fromRate);
        float[] out = new float[r.maxOutput(in.length + r.taps)];
        int n = r.process(in, 0, in.length, out, 0);
        // The last outputs need half a filter of input beyond the end: feed silence.
        float[] tail = new float[r.taps];
        r.process(tail, 0, tail.length, out, n);
        return Arrays.copyOf(out, length);
    }

    /**
     * A converter whose first output sits on the first real input sample, not on the zero history
     * (no delay to trim): {@link #resample} a block at a time. Feed {@link #taps} zeros at the end.
     */
    public static Resampler aligned(int fromRate, int toRate) {
        Resampler r = new Resampler(fromRate, toRate);
        r.start = r.taps / 2;
        return r;
    }

    public int inRate() {
        return inRate;
    }

    public int outRate() {
        return outRate;
    }

    /** Group delay in input samples: an input impulse at time 0 comes out at output time {@code delay * outRate / inRate}. */
    public int delayInputSamples() {
        return taps / 2;
    }

    /** The delay in output samples at the nominal ratio (not a whole number in general). */
    public double delayOutputSamples() {
        return delayInputSamples() / nominalStep;
    }

    public int taps() {
        return taps;
    }

    /**
     * Scales the output/input ratio by {@code correction} (1.001 gives 0.1 % more output samples
     * per input sample), from the next output sample on. Phase stays continuous, so a slowly
     * moving correction is inaudible.
     */
    public void setCorrection(double correction) {
        if (!(Math.abs(correction - 1.0) <= MAX_CORRECTION)) {
            throw new IllegalArgumentException("resampler correction " + correction + " is outside "
                    + (1 - MAX_CORRECTION) + ".." + (1 + MAX_CORRECTION));
        }
        double step = nominalStep / correction;
        stepWhole = (int) step;
        stepFraction = step - stepWhole;
    }

    /** The most samples one {@link #process} call with {@code inputFrames} input can write. */
    public int maxOutput(int inputFrames) {
        return (int) (inputFrames * (1 + MAX_CORRECTION) / nominalStep) + 2;
    }

    /** Forgets all input: as if freshly made (the correction is kept). */
    public void reset() {
        Arrays.fill(history, 0f);
        fill = taps - 1; // zero history ahead of the first input sample, so output starts at once
        start = 0;
        fraction = 0;
    }

    /**
     * Consumes {@code in[off..off+len)} and writes every output sample that input completes to
     * {@code out} from {@code outOff}; returns how many. {@code out} must have room for
     * {@link #maxOutput}{@code (len)}.
     */
    public int process(float[] in, int off, int len, float[] out, int outOff) {
        int written = 0;
        while (len > 0) {
            if (fill == history.length) {
                discardConsumed();
            }
            int n = Math.min(len, history.length - fill);
            System.arraycopy(in, off, history, fill, n);
            fill += n;
            off += n;
            len -= n;
            written += drain(out, outOff + written);
        }
        return written;
    }

    private int drain(float[] out, int outOff) {
        int o = outOff;
        while (start + taps <= fill) {
            double phase = fraction * PHASES;
            int p = (int) phase;
            double blend = phase - p;
            int row0 = p * taps;
            int row1 = row0 + taps;
            double sum0 = 0;
            double sum1 = 0;
            for (int j = 0; j < taps; j++) {
                float x = history[start + j];
                sum0 += x * kernel[row0 + j];
                sum1 += x * kernel[row1 + j];
            }
            out[o++] = (float) (sum0 + blend * (sum1 - sum0));
            start += stepWhole;
            fraction += stepFraction;
            if (fraction >= 1.0) {
                fraction -= 1.0;
                start++;
            }
        }
        return o - outOff;
    }

    private void discardConsumed() {
        int drop = Math.min(start, fill);
        System.arraycopy(history, drop, history, 0, fill - drop);
        fill -= drop;
        start -= drop;
    }

    /**
     * Row p, tap j holds h(p / PHASES + taps / 2 - 1 - j): the filter centred between input samples,
     * so tap j of the output at fraction f multiplies input sample start + j.
     */
    private static float[] designKernel(int taps, double bandwidth, double beta) {
        float[] k = new float[(PHASES + 1) * taps];
        double half = taps / 2.0;
        double i0Beta = besselI0(beta);
        for (int p = 0; p <= PHASES; p++) {
            double[] row = new double[taps];
            double sum = 0;
            for (int j = 0; j < taps; j++) {
                double t = (double) p / PHASES + half - 1 - j;
                double u = t / half;
                double window = Math.abs(u) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - u * u)) / i0Beta;
                double x = bandwidth * t;
                double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
                row[j] = bandwidth * sinc * window;
                sum += row[j];
            }
            // Unity DC gain in every branch, so the gain does not wobble with the fractional phase.
            for (int j = 0; j < taps; j++) {
                k[p * taps + j] = (float) (row[j] / sum);
            }
        }
        return k;
    }

    private static double kaiserBeta(double attenuationDb) {
        return 0.1102 * (attenuationDb - 8.7);
    }

    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; term > 1e-12 * sum; k++) {
            term *= q / ((double) k * k);
            sum += term;
        }
        return sum;
    }
}
