package org.voxmorph.dsp;

/**
 * Source-filter synthesis of 16 kHz speech from a mel-cepstrum and a pitch per 10 ms hop, as
 * Voxmorph's own neural voice emits them (see "Vocoder" in models/FORMAT.md; the training side's
 * analysis must match the envelope definition below).
 *
 * <p>Excitation: a pulse train of mean power 1 whose phase runs on across voiced hops, with
 * aperiodic noise mixed in above 3 kHz, or unit-variance Gaussian noise when unvoiced. Filter: the
 * envelope {@code ln|H(w)| = sum c_m cos(m beta(w))} on the frequency axis warped by all-pass
 * {@code alpha}, made minimum phase through the real cepstrum and applied to the hop's excitation
 * with a 1024-point FFT; the filter's tail is overlap-added into later hops. The output hop is the
 * hop whose parameters were given: the vocoder adds no delay.
 *
 * <p>Not thread safe; {@link #synthesize} does not allocate. The noise comes from the vocoder's own
 * seeded generator, so {@link #reset} makes the output reproducible.
 */
public final class MelCepstrumVocoder {
    public static final int SAMPLE_RATE = 16000;
    public static final int HOP = 160;
    public static final int FFT_SIZE = 1024;
    private static final int BINS = FFT_SIZE / 2 + 1;
    /** A voiced pitch outside this range is held at its edge (the runner feeds 50..1000 Hz). */
    public static final double MIN_F0 = 50;
    public static final double MAX_F0 = 1000;
    /** Aperiodicity: the noise share of a voiced hop's excitation is 0.1 up to 3 kHz, rising linearly to 0.7 at 6 kHz. */
    private static final double APERIODIC_LOW = 0.1;
    private static final double APERIODIC_HIGH = 0.7;
    private static final double APERIODIC_FROM_HZ = 3000;
    private static final double APERIODIC_TO_HZ = 6000;
    private static final long SEED = 0x9E3779B97F4A7C15L;

    private final int coefficients;
    private final double[][] cosTable;   // cos(m * beta(w_k)), [M+1][513]
    private final double[] pulseGain;    // sqrt(1 - a^2) per bin, [513]
    private final double[] noiseGain;    // a per bin, [513]
    private final Fft fft = new Fft(FFT_SIZE);
    private final double[] filterRe = new double[FFT_SIZE];
    private final double[] filterIm = new double[FFT_SIZE];
    private final double[] pulseRe = new double[FFT_SIZE];
    private final double[] pulseIm = new double[FFT_SIZE];
    private final double[] noiseRe = new double[FFT_SIZE];
    private final double[] noiseIm = new double[FFT_SIZE];
    private final double[] accumulator = new double[FFT_SIZE];

    private long noiseState;
    /** Fraction of a period still to run before the next pulse, carried from one voiced hop to the next. */
    private double untilPulse;
    private boolean voicedBefore;

    /**
     * @param order the cepstrum order M: {@link #synthesize} takes c_0..c_M
     * @param alpha the frequency warping (0.42 for Voxmorph's model at 16 kHz), |alpha| < 1
     */
    public MelCepstrumVocoder(int order, double alpha) {
        if (order < 0 || !(Math.abs(alpha) < 1)) {
            throw new IllegalArgumentException("mel-cepstrum order " + order + " must be >= 0 and alpha " + alpha + " inside (-1, 1)");
        }
        coefficients = order + 1;
        cosTable = new double[coefficients][BINS];
        pulseGain = new double[BINS];
        noiseGain = new double[BINS];
        for (int k = 0; k < BINS; k++) {
            double beta = warp(Math.PI * k / (BINS - 1), alpha);
            for (int m = 0; m < coefficients; m++) {
                cosTable[m][k] = Math.cos(m * beta);
            }
            double hz = (double) k * SAMPLE_RATE / FFT_SIZE;
            double rise = Math.max(0, Math.min(1, (hz - APERIODIC_FROM_HZ) / (APERIODIC_TO_HZ - APERIODIC_FROM_HZ)));
            noiseGain[k] = APERIODIC_LOW + rise * (APERIODIC_HIGH - APERIODIC_LOW);
            pulseGain[k] = Math.sqrt(1 - noiseGain[k] * noiseGain[k]);
        }
        reset();
    }

    /** The frequency {@code w} (radians, 0..pi) on the mel-like axis of the first-order all-pass {@code alpha}. */
    public static double warp(double w, double alpha) {
        return w + 2 * Math.atan(alpha * Math.sin(w) / (1 - alpha * Math.cos(w)));
    }

    public int order() {
        return coefficients - 1;
    }

    /**
     * Makes the next hop.
     *
     * @param mcep c_0..c_M of this hop
     * @param f0   its pitch in Hz; 0 (or anything not above 0) is unvoiced
     * @param out  receives {@link #HOP} samples from {@code offset}
     */
    public void synthesize(float[] mcep, double f0, float[] out, int offset) {
        minimumPhaseFilter(mcep);
        boolean voiced = f0 > 0;
        fillNoise(noiseRe);
        java.util.Arrays.fill(noiseIm, 0);
        fft.transform(noiseRe, noiseIm, false);
        if (voiced) {
            fillPulses(Math.max(MIN_F0, Math.min(MAX_F0, f0)));
            java.util.Arrays.fill(pulseIm, 0);
            fft.transform(pulseRe, pulseIm, false);
        }
        voicedBefore = voiced;
        // Y = E * Hmin, with E the noise alone (unvoiced) or the mix sqrt(1 - a^2) P + a N (voiced).
        for (int k = 0; k < FFT_SIZE; k++) {
            int bin = k < BINS ? k : FFT_SIZE - k;
            double er = noiseRe[k];
            double ei = noiseIm[k];
            if (voiced) {
                er = pulseGain[bin] * pulseRe[k] + noiseGain[bin] * noiseRe[k];
                ei = pulseGain[bin] * pulseIm[k] + noiseGain[bin] * noiseIm[k];
            }
            double hr = filterRe[k];
            double hi = filterIm[k];
            noiseRe[k] = er * hr - ei * hi;
            noiseIm[k] = er * hi + ei * hr;
        }
        fft.transform(noiseRe, noiseIm, true);
        for (int i = 0; i < FFT_SIZE; i++) {
            accumulator[i] += noiseRe[i] / FFT_SIZE;
        }
        for (int i = 0; i < HOP; i++) {
            out[offset + i] = (float) accumulator[i];
        }
        System.arraycopy(accumulator, HOP, accumulator, 0, FFT_SIZE - HOP);
        java.util.Arrays.fill(accumulator, FFT_SIZE - HOP, FFT_SIZE, 0);
    }

    /** Hmin = exp(FFT(folded real cepstrum of ln|H|)) into filterRe/filterIm. */
    private void minimumPhaseFilter(float[] mcep) {
        if (mcep.length < coefficients) {
            throw new IllegalArgumentException("mel-cepstrum of " + mcep.length + " values; this vocoder takes " + coefficients);
        }
        for (int k = 0; k < BINS; k++) {
            double logAmp = 0;
            for (int m = 0; m < coefficients; m++) {
                logAmp += mcep[m] * cosTable[m][k];
            }
            filterRe[k] = logAmp;
            if (k > 0 && k < BINS - 1) {
                filterRe[FFT_SIZE - k] = logAmp;
            }
        }
        java.util.Arrays.fill(filterIm, 0);
        fft.transform(filterRe, filterIm, true);
        // The real cepstrum is even; doubling its positive half (and dropping the negative) gives
        // the causal cepstrum whose exponential has the same magnitude and minimum phase.
        filterRe[0] /= FFT_SIZE;
        for (int n = 1; n < BINS - 1; n++) {
            filterRe[n] = 2 * filterRe[n] / FFT_SIZE;
        }
        filterRe[BINS - 1] /= FFT_SIZE;
        java.util.Arrays.fill(filterRe, BINS, FFT_SIZE, 0);
        java.util.Arrays.fill(filterIm, 0);
        fft.transform(filterRe, filterIm, false);
        for (int k = 0; k < FFT_SIZE; k++) {
            double magnitude = Math.exp(filterRe[k]);
            double phase = filterIm[k];
            filterRe[k] = magnitude * Math.cos(phase);
            filterIm[k] = magnitude * Math.sin(phase);
        }
    }

    /** Pulses of mean power 1 into pulseRe[0..HOP]; a voiced run starts with a pulse on its first sample. */
    private void fillPulses(double f0) {
        java.util.Arrays.fill(pulseRe, 0);
        double period = SAMPLE_RATE / f0;
        double amplitude = Math.sqrt(period);
        double t = voicedBefore ? untilPulse * period : 0;
        for (; t < HOP; t += period) {
            int i = (int) t;
            double frac = t - i;
            // A pulse between samples is shared between its two neighbours (pulseRe[HOP] is still this hop's segment).
            pulseRe[i] += amplitude * (1 - frac);
            pulseRe[i + 1] += amplitude * frac;
        }
        untilPulse = (t - HOP) / period;
    }

    /** HOP Gaussian values of variance 1 (xorshift64* and Box-Muller), zeros after. */
    private void fillNoise(double[] x) {
        for (int i = 0; i < HOP; i += 2) {
            double u1 = (nextLong() >>> 11) * 0x1.0p-53;
            double u2 = (nextLong() >>> 11) * 0x1.0p-53;
            double r = Math.sqrt(-2 * Math.log(1 - u1)); // 1 - u1 is in (0, 1]: never log(0)
            x[i] = r * Math.cos(2 * Math.PI * u2);
            x[i + 1] = r * Math.sin(2 * Math.PI * u2);
        }
        java.util.Arrays.fill(x, HOP, FFT_SIZE, 0);
    }

    private long nextLong() {
        noiseState ^= noiseState >>> 12;
        noiseState ^= noiseState << 25;
        noiseState ^= noiseState >>> 27;
        return noiseState * 0x2545F4914F6CDD1DL;
    }

    /** Silence in the filter tail, pulses restart, and the noise sequence starts over. */
    public void reset() {
        java.util.Arrays.fill(accumulator, 0);
        noiseState = SEED;
        untilPulse = 0;
        voicedBefore = false;
    }
}
