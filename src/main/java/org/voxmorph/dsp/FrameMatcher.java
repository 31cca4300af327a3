package org.voxmorph.dsp;

/**
 * Streaming spectral-envelope replacement by frame matching (kNN-VC's idea on a CPU budget):
 * every 5 ms the newest 20 ms frame is analysed ({@link FrameAnalysis}); every 10 ms the content
 * network ({@link ContentNet}, trained to say which sound whoever speaks) turns the newest 17 such
 * frames into a content vector, which, normalised by the running mean and spread of this
 * speaker's own vectors, is matched against
 * the target's frames ({@link MatchingSet}, normalised by the target's own statistics), and the
 * average envelope of the {@value #K} nearest target frames replaces the frame's own: the
 * spectrum is multiplied by exp(target - own) on the log scale, so the source's excitation (its
 * harmonics, noise and timing) sounds through the target's vocal tract.
 *
 * <p>The per-frame gain is level-neutral (its mean over 0.1..8 kHz is zero: loudness stays the
 * speaker's), limited to +-{@value #MAX_GAIN_DB} dB, and fades out on frames far below the speech
 * level so pauses and room noise are not coloured. Above 8 kHz (what a 16 kHz enrollment cannot
 * know) the gain at 8 kHz is held.
 *
 * <p>Weighted overlap-add with the square-root Hann window, hop a quarter frame: delay exactly one
 * frame ({@link #latencySamples()}), block-size independent (frames fall on a fixed hop counted
 * from the first sample), no allocation in {@link #process}.
 */
public final class FrameMatcher {
    /**
     * Target frames averaged per source frame. With MFCC matching 8 read slightly better than 4
     * (PocketSphinx) at the same identity; in the content encoder's space 16 read no better than 8
     * (WER 67 % vs 66 %, both 24/24 identified as the target; tools/evaluate-identity.py).
     */
    static final int K = 8;
    /**
     * How far a full-strength conversion moves the envelope toward the matched frames' average. Not
     * all the way: the matched frames are sometimes another sound (the content encoder names the
     * phone of about a third of VCTK's speech frames), and what is left of the speaker's own
     * envelope still says which. Measured with tools/evaluate-identity.py (24 VCTK conversions,
     * source WER 52 %): 1.0 gave 24/24 identified as the target at 66 % PocketSphinx WER, 0.8 gave
     * 23/24 (16/16 across sex, 7/8 within) at 59 %.
     */
    static final double REACH = 0.8;
    /**
     * The search runs every other frame (10 ms, the rate the target's frames were taken at); in
     * between, the same neighbours serve and only the frame's own envelope is new. It halves the
     * cost of the search, the one part of conversion that grows with the target's speech.
     */
    private static final int MATCH_EVERY_FRAMES = 2;
    private static final double MAX_GAIN_DB = 24;
    /** Source statistics count as this many frames of the prior (the target's own) until heard. */
    private static final double PRIOR_FRAMES = 200;
    /** Memory of the source statistics once warmed up: 20 s of active 5 ms frames. */
    private static final double MEMORY_FRAMES = 4000;
    /** Frames this far (natural-log power, 40 dB) below the recent loud level get no conversion. */
    private static final double QUIET_RANGE = 40 * Math.log(10) / 10;
    /** ... ramping in over the next 10 dB. */
    private static final double QUIET_RAMP = 10 * Math.log(10) / 10;
    /** The loud level falls this much per frame when nothing as loud comes (10 dB in about 5 s). */
    private static final double LOUD_DECAY = QUIET_RAMP / 1000;

    private final FrameAnalysis analysis;
    private MatchingSet target;
    private final int frame;
    private final int hop;
    private final int size;
    private final double[] window;
    private final float[] input;
    private final int inputMask;
    private final float[] output;
    private final int outputMask;
    private final int[] binGrid;
    private final double[] binFraction;

    private final ContentNet.Encoder encoder;
    private final int dimensions;
    /** Log-mel bands of the newest {@link ContentNet#context()} frames 10 ms apart, oldest first. */
    private final float[] history;
    private final float[] features;
    private final double[] envelope = new double[FrameAnalysis.GRID];
    private final float[] query;
    private final double[] mean;
    private final double[] var;
    private final double[] logGain = new double[FrameAnalysis.GRID];
    private final int[] nearest = new int[K];
    private final double[] nearestDistance = new double[K];

    private long written;
    private long analysed;
    private long searchedAt;
    private MatchingSet matched;
    private double sourceFrames;
    private double loud;
    private double strength = 1;
    private double reach = REACH;

    public FrameMatcher(double rate, MatchingSet target, ContentNet net) {
        analysis = new FrameAnalysis(rate);
        encoder = net.encoder();
        dimensions = net.dimensions();
        history = new float[net.context() * FrameAnalysis.BANDS];
        features = new float[dimensions];
        query = new float[dimensions];
        mean = new double[dimensions];
        var = new double[dimensions];
        checkTarget(target);
        this.target = target;
        frame = analysis.frameSamples();
        hop = frame / 4;
        size = analysis.fftSize();
        window = analysis.window();
        input = new float[Integer.highestOneBit(2 * frame - 1) << 1];
        inputMask = input.length - 1;
        output = new float[Integer.highestOneBit(4 * frame - 1) << 1];
        outputMask = output.length - 1;
        binGrid = new int[size / 2 + 1];
        binFraction = new double[size / 2 + 1];
        for (int k = 0; k <= size / 2; k++) {
            double g = k * rate / size / FrameAnalysis.GRID_STEP_HZ - 1;
            g = Math.max(0, Math.min(FrameAnalysis.GRID - 1, g));
            binGrid[k] = Math.min(FrameAnalysis.GRID - 2, (int) g);
            binFraction[k] = g - binGrid[k];
        }
        reset();
    }

    /** Exact delay in samples. */
    public int latencySamples() {
        return frame;
    }

    /** Matches against another voice from the next frame on (what was learnt of the source stays). */
    public void setTarget(MatchingSet target) {
        checkTarget(target);
        this.target = target;
    }

    private void checkTarget(MatchingSet set) {
        ContentNet net = encoder.net();
        if (!set.contentKind().equals(net.kind()) || set.dimensions() != dimensions) {
            throw new IllegalArgumentException("matching set made with content model " + set.contentKind() + ", not "
                    + net.kind() + " (enroll the voice again)");
        }
    }

    /** 0 leaves the envelope alone, 1 moves it {@link #REACH} of the way to the target's; read at the next frame. */
    public void setStrength(double strength) {
        this.strength = Math.max(0, Math.min(1, strength));
    }

    /**
     * Goes past the target's envelope, away from the speaker's own (1: exactly onto it, 2: as far
     * beyond it again), in place of the default {@link #REACH}. Masking uses it: what is left of a
     * voice in its excitation is outweighed by an envelope pushed away from its own; it costs
     * clarity (see README).
     */
    public void setOvershoot(double overshoot) {
        this.reach = Math.max(1, Math.min(2, overshoot));
    }

    public void reset() {
        java.util.Arrays.fill(input, 0f);
        java.util.Arrays.fill(output, 0f);
        java.util.Arrays.fill(history, FrameAnalysis.silentLogMel());
        written = 0;
        analysed = 0;
        searchedAt = -1;
        matched = null;
        sourceFrames = 0;
        loud = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < dimensions; c++) {
            mean[c] = target.featureMean(c);
            var[c] = target.featureSd(c) * target.featureSd(c);
        }
    }

    public void process(float[] x, int offset, int n) {
        for (int i = offset; i < offset + n; i++) {
            input[(int) (written & inputMask)] = x[i];
            int out = (int) ((written - frame) & outputMask);
            x[i] = output[out];
            output[out] = 0;
            written++;
            if (written % hop == 0 && written >= frame) {
                convertFrame(written - frame);
            }
        }
    }

    private void convertFrame(long start) {
        analysis.analyse(input, (int) (start & inputMask), inputMask, envelope);
        double level = analysis.level();
        loud = Math.max(level, loud - LOUD_DECAY);
        double activity = Math.max(0, Math.min(1, (level - (loud - QUIET_RANGE)) / QUIET_RAMP));
        double amount = strength * reach * activity;
        // The content network sees frames 10 ms apart (as it was trained, and as MatchingSet
        // analyses a target): every other frame; in between, its last vector and neighbours serve.
        long index = analysed++;
        boolean contentFrame = index % MATCH_EVERY_FRAMES == 0;
        if (contentFrame) {
            int bands = FrameAnalysis.BANDS;
            System.arraycopy(history, bands, history, 0, history.length - bands);
            analysis.logMel(history, history.length - bands);
            encoder.encode(history, 0, features);
            if (activity >= 0.5) {
                learnSource();
            }
        }
        if (amount > 0) {
            if (contentFrame || target != matched || searchedAt != index - 1) {
                findNearest();
                searchedAt = index;
            }
            matchTarget(amount);
        } else {
            java.util.Arrays.fill(logGain, 0);
        }
        double[] re = analysis.spectrumRe();
        double[] im = analysis.spectrumIm();
        for (int k = 0; k <= size / 2; k++) {
            int g = binGrid[k];
            double f = binFraction[k];
            double gain = Math.exp((1 - f) * logGain[g] + f * logGain[g + 1]);
            re[k] *= gain;
            im[k] *= gain;
            if (k > 0 && k < size / 2) {
                re[size - k] *= gain;
                im[size - k] *= gain;
            }
        }
        analysis.fft().transform(re, im, true);
        double scale = 0.5 / size; // the squared window sums to 2 at a quarter-frame hop
        for (int i = 0; i < frame; i++) {
            output[(int) ((start + i) & outputMask)] += (float) (re[i] * window[i] * scale);
        }
    }

    /**
     * The {@value #K} target frames nearest the current frame's normalised content vector
     * (squared Euclidean distance, as |t|^2 - 2 q.t, the query's own norm being common to all).
     */
    private void findNearest() {
        int fd = dimensions;
        for (int c = 0; c < fd; c++) {
            query[c] = (float) ((features[c] - mean[c]) / Math.sqrt(var[c] + 1e-9));
        }
        java.util.Arrays.fill(nearestDistance, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(nearest, 0);
        float[] tf = target.features();
        float[] norms = target.norms();
        int n = target.frames();
        double worst = Double.POSITIVE_INFINITY;
        for (int j = 0, at = 0; j < n; j++, at += fd) {
            float dot = 0;
            for (int c = 0; c < fd; c++) {
                dot += query[c] * tf[at + c];
            }
            double d = norms[j] - 2 * dot;
            if (d < worst) {
                int slot = K - 1;
                while (slot > 0 && nearestDistance[slot - 1] > d) {
                    nearestDistance[slot] = nearestDistance[slot - 1];
                    nearest[slot] = nearest[slot - 1];
                    slot--;
                }
                nearestDistance[slot] = d;
                nearest[slot] = j;
                worst = nearestDistance[K - 1];
            }
        }
        matched = target;
    }

    /** Running mean and variance of this speaker's content vectors, leaning on the prior until heard. */
    private void learnSource() {
        sourceFrames++;
        double w = 1 / Math.min(sourceFrames + PRIOR_FRAMES, MEMORY_FRAMES);
        for (int c = 0; c < dimensions; c++) {
            double d = features[c] - mean[c];
            mean[c] += w * d;
            var[c] = (1 - w) * (var[c] + w * d * d);
        }
    }

    private void matchTarget(double amount) {
        float[] te = target.envelopes();
        int grid = FrameAnalysis.GRID;
        double meanGain = 0;
        for (int g = 0; g < grid; g++) {
            double t = 0;
            for (int m = 0; m < K; m++) {
                t += te[nearest[m] * grid + g];
            }
            logGain[g] = t / K - envelope[g];
            meanGain += logGain[g] / grid;
        }
        double limit = MAX_GAIN_DB * Math.log(10) / 20;
        for (int g = 0; g < grid; g++) {
            logGain[g] = Math.max(-limit, Math.min(limit, amount * (logGain[g] - meanGain)));
        }
    }
}
