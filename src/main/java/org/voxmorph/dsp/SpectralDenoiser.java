package org.voxmorph.dsp;

import java.util.Arrays;

/**
 * Streaming noise suppression: a log-spectral-amplitude MMSE estimator (Ephraim and Malah, 1985)
 * with the decision-directed a-priori SNR, a noise spectrum tracked by minima-controlled recursive
 * averaging (MCRA, Cohen and Berdugo, 2001), and a gain floor.
 *
 * <p>Why this and not a trained net: it needs no training data or model file, it adapts to any
 * stationary or slowly changing noise (fans, hum, hiss, room tone) within a second or two, its
 * cost is two FFTs per 8 ms, and its failure mode is known and bounded by the floor: it never
 * attenuates by more than {@code reductionDb}, and the floor together with the decision-directed
 * smoothing keeps the residual noise from turning into musical tones. Impulsive noise (keyboard
 * and mouse clicks) passes any tracker that follows a stationary floor, so a {@link ClickSuppressor}
 * takes it down in the time domain, using the look-ahead the frame delay already gives.
 *
 * <p>Frames of 16 ms (to a multiple of 16 samples; sqrt-Hann analysis and synthesis windows, half overlap, zero-padded to a
 * power of two at least twice as long, so the gains' circular smearing stays out of the frame)
 * on a fixed internal hop counted from the first sample, so the output does not depend on the
 * block size; the delay is exactly one frame ({@link #latencySamples()}).
 * {@link #process} does not allocate. Not thread safe.
 */
public final class SpectralDenoiser {
    private static final double FRAME_MS = 16.0;
    /** Decision-directed weight of the previous frame's clean estimate. */
    private static final double DD_ALPHA = 0.95;
    /** Lowest a-priori SNR (-25 dB): keeps low-level residual noise smooth instead of warbling. */
    private static final double XI_MIN = Math.pow(10, -25 / 10.0);
    /** MCRA: power smoothing, presence smoothing, noise averaging, presence threshold. */
    private static final double ALPHA_S = 0.8;
    private static final double ALPHA_P = 0.2;
    private static final double ALPHA_D = 0.95;
    private static final double DELTA = 3.0;
    /** MCRA minimum search: the minimum of the last one to two windows of this length. */
    private static final double MIN_WINDOW_S = 0.8;
    /** Power of the whole-window minimum relative to the mean noise power (its bias). */
    private static final double MIN_BIAS = 1.5;
    /**
     * Noise this far under the speech's mean level is left alone, and from {@value #QUIET_FROM_DB} dB
     * under it the reduction fades out towards that. A quiet room's floor is inaudible under the
     * voice, and taking it out costs the voice its weakest parts (word ends, soft consonants).
     */
    private static final double QUIET_FROM_DB = 27;
    private static final double QUIET_DB = 33;
    /** A frame this far over the noise counts towards the speech level. */
    private static final double SPEECH_OVER_NOISE = 10;
    private static final double SPEECH_LEVEL_S = 2;
    /** How far the noise estimate may stand over the bias-corrected minimum of the smoothed power. */
    private static final double NOISE_OVER_MINIMUM = 2;
    /** The first frames are taken as noise, so the tracker starts from the room, not from zero. */
    private static final int WARMUP_FRAMES = 10;

    private final int frame;
    private final int hop;
    private final int fftSize;
    private final int bins;
    private final int minWindowFrames;
    private final Fft fft;
    private final ClickSuppressor clicks;
    private final double[] window;
    private final double[] re;
    private final double[] im;
    private final float[] input;
    private final float[] output;
    private final double[] smoothed;
    private final double[] minimum;
    private final double[] runningMinimum;
    private final double[] presence;
    private final double[] noise;
    private final double[] previousClean;
    private final double[] gain;
    private int filled;
    private long frames;
    private double floor = 0.1;
    /** The speech's mean power: frames well above the noise, averaged over about {@value #SPEECH_LEVEL_S} s. */
    private double speechLevel;
    private long speechFrames;
    private final double speechLevelWeight;

    public SpectralDenoiser(double sampleRate) {
        // A multiple of 16 samples, so the hop splits into the click suppressor's blocks.
        frame = Math.max(16, (int) Math.round(FRAME_MS * sampleRate / 1000 / 16) * 16);
        hop = frame / 2;
        fftSize = Integer.highestOneBit(frame - 1) << 2;
        bins = fftSize / 2 + 1;
        minWindowFrames = (int) Math.round(MIN_WINDOW_S * sampleRate / hop);
        speechLevelWeight = hop / sampleRate / SPEECH_LEVEL_S;
        fft = new Fft(fftSize);
        clicks = new ClickSuppressor(sampleRate, hop);
        window = new double[frame];
        for (int i = 0; i < frame; i++) {
            // Periodic sqrt-Hann: applied before and after, the squares of windows half a frame apart sum to one.
            window[i] = Math.sqrt(0.5 - 0.5 * Math.cos(2 * Math.PI * i / frame));
        }
        re = new double[fftSize];
        im = new double[fftSize];
        input = new float[frame];
        output = new float[frame];
        smoothed = new double[bins];
        minimum = new double[bins];
        runningMinimum = new double[bins];
        presence = new double[bins];
        noise = new double[bins];
        previousClean = new double[bins];
        gain = new double[bins];
        reset();
    }

    /** Exact delay in samples: one frame. */
    public int latencySamples() {
        return frame;
    }

    public int hopSamples() {
        return hop;
    }

    /** Samples left before the next hop boundary (1..hop). */
    public int samplesToNextHop() {
        return hop - filled % hop;
    }

    /** Most attenuation applied anywhere (dB, positive), used from the next frame on. */
    public void setReductionDb(double db) {
        floor = Math.pow(10, -db / 20);
    }

    public void reset() {
        Arrays.fill(input, 0f);
        Arrays.fill(output, 0f);
        Arrays.fill(noise, 0);
        Arrays.fill(smoothed, 0);
        Arrays.fill(presence, 0);
        Arrays.fill(previousClean, 0);
        Arrays.fill(minimum, Double.MAX_VALUE);
        speechLevel = 0;
        speechFrames = 0;
        Arrays.fill(runningMinimum, Double.MAX_VALUE);
        filled = hop;
        frames = 0;
        clicks.reset();
    }

    /** Denoises {@code n} samples of {@code x} from {@code offset} in place. */
    public void process(float[] x, int offset, int n) {
        for (int i = offset, end = offset + n; i < end; i++) {
            // input[hop..frame) holds the newest half frame; output[0..hop) the finished samples.
            float in = x[i];
            x[i] = output[filled - hop];
            input[filled] = in;
            if (++filled == frame) {
                processFrame();
                filled = hop;
            }
        }
    }

    private void processFrame() {
        clicks.analyse(input, hop);
        for (int i = 0; i < frame; i++) {
            re[i] = input[i] * window[i];
            im[i] = 0;
        }
        Arrays.fill(re, frame, fftSize, 0);
        Arrays.fill(im, frame, fftSize, 0);
        fft.transform(re, im, false);
        trackNoise();
        double spectralFloor = Math.pow(floor, 1 - quietness());
        for (int k = 0; k < bins; k++) {
            double power = re[k] * re[k] + im[k] * im[k];
            double lambda = Math.max(noise[k], 1e-30);
            double gamma = power / lambda;
            double xi = Math.max(XI_MIN, DD_ALPHA * previousClean[k] / lambda + (1 - DD_ALPHA) * Math.max(gamma - 1, 0));
            double g = Math.max(spectralFloor, Math.min(1, logMmseGain(xi, gamma)));
            gain[k] = g;
            previousClean[k] = g * g * power;
        }
        for (int k = 0; k < bins; k++) {
            re[k] *= gain[k];
            im[k] *= gain[k];
            if (k > 0 && k < bins - 1) {
                re[fftSize - k] *= gain[k];
                im[fftSize - k] *= gain[k];
            }
        }
        fft.transform(re, im, true);
        double scale = 1.0 / fftSize;
        // Shift out the finished half: output[0..hop) is complete after this frame's first half is added.
        System.arraycopy(output, hop, output, 0, hop);
        Arrays.fill(output, hop, frame, 0f);
        for (int i = 0; i < frame; i++) {
            output[i] += (float) (re[i] * scale * window[i]);
        }
        clicks.apply(output, 0, floor);
        System.arraycopy(input, hop, input, 0, hop);
        frames++;
    }

    /** 0 where the noise is loud enough to take out in full, 1 where it is too quiet under the speech to touch. */
    private double quietness() {
        double framePower = 0;
        double noisePower = 0;
        for (int k = 0; k < bins; k++) {
            framePower += re[k] * re[k] + im[k] * im[k];
            noisePower += noise[k];
        }
        if (frames >= WARMUP_FRAMES && framePower > SPEECH_OVER_NOISE * noisePower) {
            // The plain mean of the speech frames so far until there are enough for the running mean.
            speechFrames++;
            speechLevel += Math.max(speechLevelWeight, 1.0 / speechFrames) * (framePower - speechLevel);
        }
        if (speechFrames == 0) {
            return 0; // no speech heard yet: full reduction
        }
        double under = 10 * Math.log10(speechLevel / (noisePower + 1e-30));
        return Math.max(0, Math.min(1, (under - QUIET_FROM_DB) / (QUIET_DB - QUIET_FROM_DB)));
    }

    /** MCRA: a bin's noise follows its power while the smoothed power stays near its recent minimum. */
    private void trackNoise() {
        boolean warmup = frames < WARMUP_FRAMES;
        boolean learn = !clicks.mayHoldClick();
        boolean newWindow = frames % minWindowFrames == 0;
        for (int k = 0; k < bins; k++) {
            double power = re[k] * re[k] + im[k] * im[k];
            int lo = Math.max(0, k - 1);
            int hi = Math.min(bins - 1, k + 1);
            double local = 0;
            for (int j = lo; j <= hi; j++) {
                local += (j == k ? 0.5 : 0.25) * (re[j] * re[j] + im[j] * im[j]);
            }
            local /= (hi - lo == 2 ? 1 : 0.75);
            // Frame 0 is half silence (the buffer starts empty): the tracker starts from frame 1.
            smoothed[k] = frames <= 1 ? local : ALPHA_S * smoothed[k] + (1 - ALPHA_S) * local;
            if (warmup) {
                noise[k] = frames <= 1 ? power : noise[k] + (power - noise[k]) / frames;
                if (frames > 0) {
                    minimum[k] = Math.min(minimum[k], smoothed[k]);
                    runningMinimum[k] = Math.min(runningMinimum[k], smoothed[k]);
                }
                // Their mean, but a voice may already be there: not far over the quietest of them.
                noise[k] = Math.min(noise[k], NOISE_OVER_MINIMUM * MIN_BIAS * minimum[k]);
                if (frames == WARMUP_FRAMES - 1) {
                    // The minimum of a few frames lies further under the mean than that of a whole
                    // window; until the first window ends, the estimate stands in for it, so steady
                    // noise is not taken for speech (which would freeze the estimate) for a second.
                    minimum[k] = Math.max(minimum[k], noise[k] / MIN_BIAS);
                    runningMinimum[k] = smoothed[k];
                }
                continue;
            }
            minimum[k] = Math.min(minimum[k], smoothed[k]);
            runningMinimum[k] = Math.min(runningMinimum[k], smoothed[k]);
            if (newWindow) {
                minimum[k] = Math.min(runningMinimum[k], smoothed[k]);
                runningMinimum[k] = smoothed[k];
            }
            double speech = smoothed[k] > DELTA * MIN_BIAS * minimum[k] ? 1 : 0;
            presence[k] = ALPHA_P * presence[k] + (1 - ALPHA_P) * speech;
            double a = ALPHA_D + (1 - ALPHA_D) * presence[k];
            // A click or a word's first frame, before the presence estimate has caught up, would
            // lift the noise far above the room for the next second; a step of at most 4x keeps
            // it from doing so, while a noise that really rises is found by the minimum search.
            if (learn) {
                noise[k] = a * noise[k] + (1 - a) * Math.min(power, 4 * noise[k]);
            }
            // Never far above the recent minimum: speech taken for noise (a word under way when the
            // tracker starts, a long vowel) leaves the estimate at once instead of over seconds.
            noise[k] = Math.min(noise[k], NOISE_OVER_MINIMUM * MIN_BIAS * minimum[k]);
        }
    }

    /**
     * The log-spectral-amplitude gain {@code xi/(1+xi) * exp(E1(v)/2)}, {@code v = xi*gamma/(1+xi)},
     * with the exponential integral E1 from its series below 1 and a rational fit above.
     */
    static double logMmseGain(double xi, double gamma) {
        double v = Math.max(xi * gamma / (1 + xi), 1e-8);
        return xi / (1 + xi) * Math.exp(0.5 * e1(v));
    }

    /** Exponential integral E1(v), v > 0, to about 1e-7 relative (Abramowitz and Stegun 5.1.53, 5.1.56). */
    static double e1(double v) {
        if (v <= 1) {
            return -Math.log(v) - 0.57721566 + v * (0.99999193 + v * (-0.24991055 + v * (0.05519968
                    + v * (-0.00976004 + v * 0.00107857))));
        }
        if (v > 60) {
            return 0;
        }
        double num = v * v + 2.334733 * v + 0.250621;
        double den = v * v + 3.330657 * v + 1.681534;
        return num / (den * v * Math.exp(v));
    }
}
