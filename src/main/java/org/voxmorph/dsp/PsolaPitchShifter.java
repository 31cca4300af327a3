package org.voxmorph.dsp;

/**
 * Streaming pitch and formant shifter by pitch-synchronous overlap-add (TD-PSOLA).
 *
 * <p>Voiced speech is cut into grains one pitch period either side of analysis marks spaced one
 * period apart (pitch from {@link PitchTrackers YIN} on a copy of the input decimated to about 8 kHz,
 * each mark's period then measured around the mark itself, {@link #refinedPeriod}). Each grain
 * keeps its own spectral envelope, so placing the grains closer together or further apart changes
 * the pitch without moving the formants; reading a grain faster or slower (resampling it) moves
 * the formants by the formant ratio without touching the pitch. Unvoiced sound and silence have
 * no period: they are cut into short fixed grains read in place, which passes them through
 * unchanged apart from the formant resampling, so noise never picks up a buzz.
 *
 * <p>A synthesis grain that falls between two analysis marks is the two periods there mixed in
 * proportion to where it falls (waveform interpolation), not the nearer one alone: at an octave up
 * the nearer one would be every period played twice, and that repetition is a modulation at the
 * original pitch that leaves its odd harmonics only about 15 dB under the new ones. Near 2:1 a
 * linear mix alternates between a pure and a half-mixed grain, itself a pattern at the original
 * pitch, so the shares are drawn toward a B-spline over the marks around ({@link #renderBlend}).
 * Shifting down by ten to seventeen semitones the spline widens to four times as many marks (of
 * about the same period) and the periods are aligned to the main one before they are mixed
 * ({@link #alignBlend}), which averages out the roughness of a creaky voice instead of keeping it.
 * Shifting down, the dip between grains spaced further apart than they reach is the new pitch and is kept (see
 * {@link #setShift}); at vowel onsets the tracker's period is checked at a half and a third
 * ({@link #shortestPeriod}), since an onset read an octave low comes out at the original pitch.
 *
 * <p>Block-size independence: all decisions happen on a fixed internal hop of 1 ms counted from
 * the first sample, so the output does not depend on how the input is cut into blocks. The delay
 * is fixed at {@link #latencySamples()}: the grain reach into the future (8 ms of input plus 8 ms
 * of output, enough for a 65 Hz period), an 11.3 ms look-ahead so that the mark after a grain's
 * position is placed and in the input (periods up to 10.8 ms, 93 Hz, are always mixed; a lower
 * voice falls back to the nearer period where the next mark is not in yet), and the hop: 28.3 ms
 * plus 3 samples for the interpolation.
 *
 * <p>Not thread safe; {@link #process} does not allocate.
 */
public final class PsolaPitchShifter {
    private static final double GRAIN_REACH_MS = 8.0;
    private static final double MARK_LOOKAHEAD_MS = 11.3;
    private static final double HOP_MS = 1.0;
    /**
     * A mark is placed this long after the grain reach has passed it, so the tracker frame that
     * gives its period is centred near it rather than 16 ms behind (a vowel onset's pitch falls
     * fast), and so that marks up to this period apart are in the input when a grain mixes them.
     * At most the look-ahead, which makes sure every grain has a placed mark after it.
     */
    private static final double MARK_DELAY_MS = 10.8;
    private static final double TRACKER_FRAME_MS = 32.0;
    private static final double TRACKER_RATE = 8000;
    private static final double LEVEL_BLOCK_MS = 4.0;
    /** While voiced the tracker runs every this many hops; while unvoiced every hop, so a vowel is caught sooner. */
    private static final int TRACKER_EVERY_HOPS = 5;
    private static final double MIN_PITCH_HZ = 65;
    /** A voiced pitch may move by at most this much (natural log, about 4 semitones) per tracker hop. */
    private static final double MAX_GLIDE = 0.25;
    /** Tracker misses bridged inside a voiced stretch by keeping the last period. */
    private static final int HOLD_HOPS = 2;
    private static final double MAX_PITCH_HZ = 1000;
    /** Below about -70 dBFS the tracker only sees the noise floor. */
    private static final double SILENCE_RMS = 3e-4;
    private static final int MARKS = 1024;
    /**
     * A half or a third of the tracked period is taken when it correlates at least this well and
     * within {@link #OCTAVE_MARGIN} of the period itself; see {@link #shortestPeriod}.
     */
    private static final double OCTAVE_FLOOR = 0.6;
    private static final double OCTAVE_MARGIN = 0.15;
    /** A pitch from the newest part of the tracker frame wins when it correlates this much better. */
    private static final double SWITCH_MARGIN = 0.05;
    /**
     * Output is divided by the summed grain windows wherever they exceed this. Grains overlap to
     * exactly one in steady voiced or unvoiced sound; at voicing changes the sum dips, and dividing
     * there keeps unshifted speech transparent. Below the threshold (the gaps between sparse grains
     * of a large downward shift) dividing would blow up grain tails, so the gain is held. Voiced
     * grains of a downward shift raise the threshold to one where they fall ({@link #setShift}).
     */
    private static final float NORMALISE_ABOVE = 0.5f;
    /** Ratio span from one over which shifts move to their own normalisation and gain (about two semitones). */
    private static final double RATIO_FADE = 0.11;
    /** Marks either side of a grain's position that its blend may reach (enough for two octaves down, widened). */
    private static final int BLEND_SIDE = 10;
    /**
     * Shifting down by more than this ratio, grains skip most marks; from here to
     * {@link #SPARSE_FULL} the blend widens to {@link #SPARSE_WIDTH} over the ratio and its periods
     * are aligned before they are mixed ({@link #alignBlend}). Below {@link #SPARSE_LOW_FULL} it
     * fades out again, gone by {@link #SPARSE_LOW_END} (see {@link #setShift}).
     */
    private static final double SPARSE_FROM = 0.6;
    private static final double SPARSE_FULL = 0.55;
    private static final double SPARSE_LOW_FULL = 0.42;
    private static final double SPARSE_LOW_END = 0.36;
    private static final double SPARSE_WIDTH = 4;
    /** A widened blend leaves out marks whose period is further than this from the grain's mark's. */
    private static final double SPARSE_PERIOD_SPAN = 0.06;
    /** A blended period is aligned within this share of a period, on this many periods around it. */
    private static final double ALIGN_SPAN = 0.5;
    private static final double ALIGN_FRAME = 1.5;
    /** How far grains of an upward shift are drawn toward the B-spline, up to a ratio of 2.2, none from this ratio on. */
    private static final double UP_SPREAD = 0.6;
    private static final double UP_SPREAD_END = 2.9;
    /** How far a mark's period may move from the tracker's when it is measured around the mark. */
    private static final double REFINE_SPAN = 0.04;
    private static final double REFINE_FRAME_MS = 30;
    /** Neighbouring marks' periods this close are averaged. */
    private static final double SMOOTH_WITHIN = 0.03;

    private final double sampleRate;
    private final int reach;
    private final int lookahead;
    private final int hop;
    private final int markDelay;
    private final int latency;
    /** Spacing of the fixed grains for unvoiced sound; each reaches two spacings either side. */
    private final double unvoicedSpacing;

    private final float[] input;
    private final int inputMask;
    private final float[] acc;
    /** One grain's samples and window weights while it is mixed, before it is added. */
    private final double[] grain;
    private final double[] grainWeight;
    private final float[] weight;
    private final float[] floor;
    private final int outputMask;

    private final PitchTracker strictTracker;
    private final PitchTracker looseTracker;
    private final PitchTracker onsetTracker;
    private final float[] onsetFrame;
    private final PitchTracker lowOnsetTracker;
    private final float[] lowOnsetFrame;
    private final int decimation;
    private final double trackerRate;
    private final float[] trackerRing;
    private final float[] trackerFrame;
    private final double[] levels;
    private final int refineFrame;
    /** Correlations at the lags {@link #refinedPeriod} tries (a span of 8 % of the longest period, and two more). */
    private final double[] refineCorrelation;
    private final Biquad lowpass1;
    private final Biquad lowpass2;

    private final double[] markPos = new double[MARKS];
    private final double[] markPeriod = new double[MARKS];
    private final boolean[] markVoiced = new boolean[MARKS];

    private long written;
    private long trackerWritten;
    private long markCount;
    private long searchMark;
    private double lastSynthesis;
    private double nextStep;
    private boolean lastVoiced;
    private double period;
    private boolean voiced;
    private double hz;
    private double looseHz;
    private int holdsLeft;
    private double pitchRatio = 1;
    private double formantRatio = 1;
    private double unvoicedGain = 1;
    /** Normalisation floor and gain of voiced grains for the current pitch ratio, see {@link #setShift}. */
    private float voicedFloor = NORMALISE_ABOVE;
    private double voicedGain = 1;
    /** The right half of the last voiced grain, which the first unvoiced grain after it complements. */
    private double voicedEnd;
    private double voicedEndSpacing;
    private double voicedEndLimit;
    private double voicedEndRatio = 1;
    /** The marks a grain mixes, their shares, windows and weighted energies. */
    private final long[] blendMark = new long[2 * BLEND_SIDE + 2];
    private final double[] blendShare = new double[blendMark.length];
    private final double[] blendLeft = new double[blendMark.length];
    private final double[] blendRight = new double[blendMark.length];
    private final double[] blendEnergy = new double[blendMark.length];
    /** The B-spline's width in marks: one going up, 1 / ratio going down (skipped marks are averaged, not dropped). */
    private double blendWidth = 1;
    private int blendCount;
    /** How far grain shares are drawn from linear toward the B-spline, see {@link #renderBlend}. */
    private double blendSpread;
    /** How far a downward shift's blend is widened and aligned (0 to 1), see {@link #alignBlend}. */
    private double sparse;
    /** Each blended period's offset from its mark, aligning it to the grain's main period. */
    private final double[] blendOffset = new double[blendMark.length];
    /** Correlations at the lags {@link #alignment} tries. */
    private final double[] alignCorrelation;

    public PsolaPitchShifter(double sampleRate) {
        this.sampleRate = sampleRate;
        reach = (int) Math.round(GRAIN_REACH_MS * sampleRate / 1000);
        // +3 samples: the cubic interpolation reads two samples past the grain edge.
        lookahead = (int) Math.round(MARK_LOOKAHEAD_MS * sampleRate / 1000) + 3;
        hop = Math.max(1, (int) Math.round(HOP_MS * sampleRate / 1000));
        latency = lookahead + 2 * reach + hop;
        markDelay = (int) Math.round(MARK_DELAY_MS * sampleRate / 1000);
        unvoicedSpacing = reach / 4.0;

        // A widened blend reads periods up to BLEND_SIDE marks back from a grain (plus its reach and
        // the alignment's half period), for voices down to the lowest pitch.
        int inputHistory = (int) Math.ceil((BLEND_SIDE + 2) * sampleRate / MIN_PITCH_HZ) + 2 * latency;
        int inputSize = Integer.highestOneBit(Math.max(4 * latency + 4 * reach, inputHistory)) << 1;
        input = new float[inputSize];
        inputMask = inputSize - 1;
        int outputSize = Integer.highestOneBit(2 * latency + 2 * reach) << 1;
        acc = new float[outputSize];
        // A grain spans at most twice the reach, stretched by 2 for the lowest formant ratio.
        grain = new double[4 * reach + 4];
        grainWeight = new double[grain.length];
        weight = new float[outputSize];
        floor = new float[outputSize];
        outputMask = outputSize - 1;

        // Pitch needs only the band below 3 kHz: tracking a copy decimated to about 8 kHz costs a
        // quarter of tracking at 16 kHz (YIN is quadratic in the frame length).
        decimation = Math.max(1, (int) Math.round(sampleRate / TRACKER_RATE));
        trackerRate = sampleRate / decimation;
        int frame = (int) Math.round(TRACKER_FRAME_MS * trackerRate / 1000);
        strictTracker = PitchTrackers.yin(trackerRate, frame, 0.15);
        looseTracker = PitchTrackers.yin(trackerRate, frame, 0.3);
        onsetFrame = new float[frame / 2];
        onsetTracker = PitchTrackers.yin(trackerRate, onsetFrame.length, 0.15);
        lowOnsetFrame = new float[frame * 3 / 4];
        lowOnsetTracker = PitchTrackers.yin(trackerRate, lowOnsetFrame.length, 0.15);
        trackerFrame = new float[frame];
        levels = new double[(int) Math.round(TRACKER_FRAME_MS / LEVEL_BLOCK_MS)];
        // The ring also holds the marks a widened blend aligns (BLEND_SIDE periods back, and the latency).
        int history = (int) Math.ceil((BLEND_SIDE + 2) * trackerRate / MIN_PITCH_HZ + 2 * latency / (double) decimation);
        trackerRing = new float[Integer.highestOneBit(Math.max(frame, history)) << 1];
        alignCorrelation = new double[2 * (int) Math.ceil(ALIGN_SPAN * trackerRate / MIN_PITCH_HZ) + 8];
        refineFrame = (int) Math.round(REFINE_FRAME_MS * trackerRate / 1000);
        refineCorrelation = new double[(int) Math.ceil(2 * REFINE_SPAN * trackerRate / MIN_PITCH_HZ) + 8];
        double cutoff = Math.min(3000, 0.4 * trackerRate);
        lowpass1 = new Biquad();
        lowpass1.setLowPass(sampleRate, cutoff, 0.54);
        lowpass2 = new Biquad();
        lowpass2.setLowPass(sampleRate, cutoff, 1.31);
        reset();
    }

    /** Exact delay in samples between input and output. */
    public int latencySamples() {
        return latency;
    }

    /** The internal hop; shift settings are read once per hop. */
    public int hopSamples() {
        return hop;
    }

    /** Samples left before the next hop boundary (1..hop). */
    public int samplesToNextHop() {
        return hop - (int) (written % hop);
    }

    /** The pitch the tracker hears at the newest input (Hz), or 0 while unvoiced; a voice mapper reads it per hop. */
    public double inputPitchHz() {
        return voiced ? sampleRate / period : 0;
    }

    /**
     * Pitch ratio (2 = an octave up) and formant ratio (1.2 = formants 20% higher), used from the
     * next hop on.
     */
    public void setShift(double pitchRatio, double formantRatio) {
        if (!(pitchRatio >= 0.25 && pitchRatio <= 4 && formantRatio >= 0.5 && formantRatio <= 2)) {
            throw new IllegalArgumentException("pitch ratio " + pitchRatio + " outside 0.25..4 or formant ratio "
                    + formantRatio + " outside 0.5..2");
        }
        this.pitchRatio = pitchRatio;
        // Shifting down, grains one period either side spaced more than a period apart leave a dip
        // between them once per new period: that dip is the new pitch. Dividing by the window sum
        // (below one there) would fill it in and hand back the original pitch (at -12 Praat heard
        // the original in a third of the frames), so voiced grains are divided by at least one.
        // Either way, grains that overlap out of phase add in power, not amplitude: Hann windows
        // at the new spacing keep 0.75 x ratio of the power going down and 0.75 / ratio going up
        // (divided by their sum, about the ratio); a gain gives it back. Both fade in over the
        // first two semitones, so a ratio near one (grains in phase) stays transparent.
        double down = Math.max(0, Math.min(1, (1 - pitchRatio) / RATIO_FADE));
        double up = Math.max(0, Math.min(1, (pitchRatio - 1) / RATIO_FADE));
        voicedFloor = (float) (NORMALISE_ABOVE + (1 - NORMALISE_ABOVE) * down);
        // Measured (VCTK, Praat): drawn all the way, +13 and +19 lost frames at 48 kHz; 0.6 going
        // up keeps +13, and by three times the pitch (+19) the mix is linear again.
        double near2 = Math.max(0, Math.min(1, (UP_SPREAD_END - pitchRatio) / (UP_SPREAD_END - 2.2)));
        blendSpread = Math.max(UP_SPREAD * near2 * up, down);
        // Measured (VCTK, Praat, -13 st): p227's creaky voice kept its roughness in a blend over 1 / ratio
        // marks (-23.6 dB odd/even at 16 kHz); over 4 / ratio marks aligned to the main period it reads
        // -25.5 dB. A fifth down (-7) read worse aligned (the main period's jitter reaches the output),
        // and -24 lost p225 frames (92.8 -> 90.3 %) with no odd/even figure to gain (every original
        // harmonic is a new one from -19 down), so both keep the plain blend.
        sparse = Math.max(0, Math.min(1, Math.min((SPARSE_FROM - pitchRatio) / (SPARSE_FROM - SPARSE_FULL),
                (pitchRatio - SPARSE_LOW_END) / (SPARSE_LOW_FULL - SPARSE_LOW_END))));
        blendWidth = Math.max(1, (1 + (SPARSE_WIDTH - 1) * sparse) / pitchRatio);
        voicedGain = 1 + down * (1 / Math.sqrt(0.75 * pitchRatio) - 1) + up * (Math.sqrt(pitchRatio / 0.75) - 1);
        if (formantRatio != this.formantRatio) {
            this.formantRatio = formantRatio;
            unvoicedGain = 1 / Math.sqrt(unvoicedPower(formantRatio));
        }
    }

    /**
     * Mean power gain of the unvoiced overlap-add on white noise. With a formant ratio other than
     * one, overlapping grains read the input at offsets of {@code spacing * |f - 1|} samples from
     * each other and stop adding coherently: the sum loses up to 4 dB, which would make hiss and
     * fricatives duller than the voiced sounds around them. The grain gain undoes that.
     */
    private double unvoicedPower(double f) {
        double u = unvoicedSpacing;
        double total = 0;
        int steps = 64;
        for (int step = 0; step < steps; step++) {
            double t = u * step / steps;
            for (int i = -2; i <= 2; i++) {
                for (int j = -2; j <= 2; j++) {
                    // White noise read with interpolation stays correlated for under one sample.
                    double rho = Math.max(0, 1 - Math.abs(i - j) * u * Math.abs(f - 1));
                    total += unvoicedWindow(t - i * u) * unvoicedWindow(t - j * u) * rho;
                }
            }
        }
        return total / steps;
    }

    private double unvoicedWindow(double d) {
        double half = 2 * unvoicedSpacing;
        return Math.abs(d) >= half ? 0 : 0.25 + 0.25 * Math.cos(Math.PI * d / half);
    }

    public void reset() {
        java.util.Arrays.fill(input, 0f);
        java.util.Arrays.fill(acc, 0f);
        java.util.Arrays.fill(weight, 0f);
        java.util.Arrays.fill(floor, NORMALISE_ABOVE);
        java.util.Arrays.fill(trackerRing, 0f);
        lowpass1.reset();
        lowpass2.reset();
        written = 0;
        trackerWritten = 0;
        voiced = false;
        holdsLeft = 0;
        looseHz = 0;
        period = unvoicedSpacing;
        markCount = 1;
        markPos[0] = 0;
        markPeriod[0] = unvoicedSpacing;
        markVoiced[0] = false;
        searchMark = 0;
        lastSynthesis = -unvoicedSpacing;
        nextStep = unvoicedSpacing;
        lastVoiced = false;
    }

    /** Shifts {@code n} samples of {@code x} from {@code offset} in place. */
    public void process(float[] x, int offset, int n) {
        for (int i = offset, end = offset + n; i < end; i++) {
            input[(int) (written & inputMask)] = x[i];
            double low = lowpass2.process(lowpass1.process(x[i]));
            if (written % decimation == decimation - 1) {
                trackerRing[(int) (trackerWritten++ & (trackerRing.length - 1))] = (float) low;
            }
            written++;
            if (written % hop == 0) {
                if (!voiced || (written / hop) % TRACKER_EVERY_HOPS == 0) {
                    trackPitch();
                }
                placeMarks();
                renderGrains();
            }
            int out = (int) ((written - 1 - latency) & outputMask);
            x[i] = acc[out] / Math.max(weight[out], floor[out]);
            acc[out] = 0f;
            weight[out] = 0f;
            floor[out] = NORMALISE_ABOVE;
        }
    }

    /**
     * Updates the voicing and period. Voicing starts on a strict YIN over the whole frame, over its
     * newest half (which a vowel after a plosive fills 16 ms sooner) or, for voices below 125 Hz
     * that half cannot hold, its newest three quarters (8 ms sooner), or on two looser YIN
     * estimates in a row that agree, so noise is not mistaken for a voice. Once voiced, the same
     * strict estimates or the looser YIN (while the pitch moves smoothly) keep it going, and a short
     * miss holds the last period. The newest half matters there too: for the first 20 ms of a vowel
     * the whole frame still holds the consonant before it, and a voiced stretch that broke off
     * there played a few milliseconds of the loudest part of the onset at the original pitch (Praat
     * then tracked a whole vowel an octave low). Every frame missed inside a vowel would pass at the
     * original pitch: the voice would be heard flicking back, most of all at syllable onsets.
     */
    private void trackPitch() {
        int n = trackerFrame.length;
        double energy = 0;
        for (int i = 0; i < n; i++) {
            float v = trackerRing[(int) ((trackerWritten - n + i) & (trackerRing.length - 1))];
            trackerFrame[i] = v;
            energy += v * v;
        }
        double previousLoose = looseHz;
        looseHz = 0;
        if (Math.sqrt(energy / n) < SILENCE_RMS) {
            voiced = false;
            period = unvoicedSpacing;
            return;
        }
        flattenLevel();
        if (inRange(hz = strictTracker.pitchHz(trackerFrame))
                || inRange(hz = onsetPitch()) || inRange(hz = lowOnsetPitch())) {
            voiced = true;
            holdsLeft = HOLD_HOPS;
        } else if (inRange(hz = looseHz = looseTracker.pitchHz(trackerFrame))
                && (voiced ? Math.abs(Math.log(hz * period / sampleRate)) < MAX_GLIDE
                        : previousLoose > 0 && Math.abs(Math.log(hz / previousLoose)) < MAX_GLIDE)) {
            voiced = true;
            holdsLeft = HOLD_HOPS;
        } else if (voiced && holdsLeft > 0) {
            holdsLeft--;
            return;
        } else {
            voiced = false;
        }
        if (voiced) {
            // The newest half frame lags 8 ms less: where it finds a pitch near the whole frame's,
            // it is the better estimate while the pitch glides (vowel onsets fall fast).
            double recent = onsetPitch();
            if (inRange(recent) && Math.abs(Math.log(recent / hz)) < 0.3) {
                hz = recent;
            } else {
                // A pitch far from the whole frame's that the newest part of it holds better: a vowel
                // after creak or a voiced consonant, which the older part of the frame still carries.
                double here = correlation(trackerRate / hz);
                double low = lowOnsetPitch();
                if (inRange(recent) && correlation(trackerRate / recent) > here + SWITCH_MARGIN) {
                    hz = recent;
                } else if (inRange(low) && correlation(trackerRate / low) > here + SWITCH_MARGIN) {
                    hz = low;
                }
            }
        }
        if (voiced) {
            hz = shortestPeriod(hz);
        }
        period = voiced ? sampleRate / hz : unvoicedSpacing;
    }

    /**
     * YIN at a vowel onset often returns two or three periods instead of one: the first pulses of
     * a vowel alternate in shape, so twice the period correlates a little better than the period
     * itself (by up to 0.15 in the onsets measured). Shifted from that, the output lands at the
     * original pitch, which Praat then hears for the first 20-50 ms of the vowel. A half (or a third,
     * checked at two thirds as well) is taken when it correlates at least {@link #OCTAVE_FLOOR} and
     * within {@link #OCTAVE_MARGIN} of the period, as Praat's octave cost prefers the higher
     * pitch. The correlation is over the newest three quarters of the unflattened frame, so the
     * loud vowel outweighs the quiet consonant before it.
     */
    private double shortestPeriod(double hz) {
        double lag = trackerRate / hz;
        double best = correlation(lag);
        for (int k = 3; k >= 2; k--) {
            if (hz * k > MAX_PITCH_HZ) {
                continue;
            }
            // Every multiple of a true period correlates too: a third must hold at two thirds as well.
            double worst = 1;
            for (int j = 1; j < k; j++) {
                worst = Math.min(worst, correlation(lag * j / k));
            }
            if (worst >= Math.max(OCTAVE_FLOOR, best - OCTAVE_MARGIN)) {
                return hz * k;
            }
        }
        return hz;
    }

    /**
     * The best normalised correlation at whole lags within about a sample of {@code lag}: a half
     * period rounded to a whole lag loses up to 0.1 of correlation at 8 kHz.
     */
    private double correlation(double lag) {
        int l = (int) Math.floor(lag);
        double best = correlationAt(l - 1);
        for (int i = l; i <= l + 2; i++) {
            best = Math.max(best, correlationAt(i));
        }
        return best;
    }

    private double correlationAt(int l) {
        int n = trackerFrame.length;
        int from = n - lowOnsetFrame.length;
        double xy = 0;
        double xx = 0;
        double yy = 0;
        int mask = trackerRing.length - 1;
        for (int i = from; i + l < n; i++) {
            double a = trackerRing[(int) ((trackerWritten - n + i) & mask)];
            double b = trackerRing[(int) ((trackerWritten - n + i + l) & mask)];
            xy += a * b;
            xx += a * a;
            yy += b * b;
        }
        return xx > 0 && yy > 0 ? xy / Math.sqrt(xx * yy) : 0;
    }

    /**
     * Divides the tracker frame by its short-time level (floored at a tenth of the loudest), so a
     * vowel swelling inside the frame looks as periodic to YIN as the steady vowel after it; YIN
     * otherwise reads a crescendo as aperiodic.
     */
    private void flattenLevel() {
        int n = trackerFrame.length;
        int blocks = levels.length;
        double loudest = 0;
        for (int b = 0; b < blocks; b++) {
            double e = 0;
            int from = b * n / blocks;
            int to = (b + 1) * n / blocks;
            for (int i = from; i < to; i++) {
                e += trackerFrame[i] * trackerFrame[i];
            }
            levels[b] = Math.sqrt(e / (to - from));
            loudest = Math.max(loudest, levels[b]);
        }
        for (int b = 0; b < blocks; b++) {
            levels[b] = Math.max(levels[b], 0.1 * loudest);
        }
        for (int i = 0; i < n; i++) {
            // Linear between block centres keeps the gain smooth, so it adds no periodicity of its own.
            double position = Math.max(0, Math.min(blocks - 1, (i + 0.5) * blocks / n - 0.5));
            int b = Math.min(blocks - 2, (int) position);
            double t = position - b;
            trackerFrame[i] /= (float) (levels[b] * (1 - t) + levels[b + 1] * t);
        }
    }

    /**
     * The pitch of the newest half of the tracker frame (voices above about 125 Hz only): a vowel
     * after a plosive burst fills it 16 ms before it fills the whole frame.
     */
    private double onsetPitch() {
        System.arraycopy(trackerFrame, trackerFrame.length - onsetFrame.length, onsetFrame, 0, onsetFrame.length);
        return onsetTracker.pitchHz(onsetFrame);
    }

    /** The pitch of the newest three quarters of the tracker frame (voices above about 83 Hz). */
    private double lowOnsetPitch() {
        System.arraycopy(trackerFrame, trackerFrame.length - lowOnsetFrame.length, lowOnsetFrame, 0, lowOnsetFrame.length);
        return lowOnsetTracker.pitchHz(lowOnsetFrame);
    }

    private static boolean inRange(double hz) {
        return hz >= MIN_PITCH_HZ && hz <= MAX_PITCH_HZ;
    }

    /** Extends the chain of analysis marks: one period apart while voiced, a short fixed step otherwise. */
    private void placeMarks() {
        while (mark(markCount - 1) <= written - reach - markDelay) {
            int k = (int) (markCount & (MARKS - 1));
            markPos[k] = mark(markCount - 1) + markPeriod[(int) ((markCount - 1) & (MARKS - 1))];
            markPeriod[k] = voiced ? refinedPeriod(markPos[k], period) : period;
            markVoiced[k] = voiced;
            int previous = (int) ((markCount - 1) & (MARKS - 1));
            if (voiced && markVoiced[previous] && Math.abs(markPeriod[k] / markPeriod[previous] - 1) < SMOOTH_WITHIN) {
                // Half the previous mark's period: what is left of the jitter between neighbouring
                // estimates would move the new pitch's upper harmonics (see refinedPeriod).
                markPeriod[k] = 0.5 * (markPeriod[previous] + markPeriod[k]);
            }
            markCount++;
        }
    }

    /**
     * The period at a new voiced mark, {@code position} in input samples: the normalised
     * correlation of the decimated input centred on the mark (a window of up to 30 ms, as much as
     * the input after the mark allows), searched within {@link #REFINE_SPAN} of the tracker's
     * {@code period} and interpolated between lags by a parabola. YIN's period comes from a frame
     * that ends up to 5 ms after the mark and was off Praat's pitch by 6-14 cents (median per
     * VCTK speaker) and 35-76 cents for one mark in ten; this reads 2-4 cents. A shift moves
     * harmonic k of the new pitch by k times that error, and an octave down puts 40 of them under
     * 3 kHz: the odd/even figure is mostly those harmonics smeared over the original's places.
     */
    private double refinedPeriod(double position, double period) {
        double centre = trackerWritten - (written - position) / decimation;
        double lag = period / decimation;
        int lo = (int) Math.floor(lag * (1 - REFINE_SPAN)) - 1;
        int hi = (int) Math.ceil(lag * (1 + REFINE_SPAN)) + 1;
        int n = (int) Math.min(refineFrame, 2 * (trackerWritten - centre) - hi - 2);
        if (n < lag || lo < 2 || hi - lo + 3 > refineCorrelation.length) {
            return period;
        }
        for (int l = lo - 1; l <= hi + 1; l++) {
            long start = Math.round(centre - (n + l) / 2.0);
            refineCorrelation[l - lo + 1] = trackerCorrelation(start, start + l, n);
        }
        int best = lo;
        for (int l = lo + 1; l <= hi; l++) {
            if (refineCorrelation[l - lo + 1] > refineCorrelation[best - lo + 1]) {
                best = l;
            }
        }
        if (best == lo || best == hi) {
            // The peak is outside the span: the tracker's period is kept.
            return period;
        }
        double before = refineCorrelation[best - lo];
        double at = refineCorrelation[best - lo + 1];
        double after = refineCorrelation[best - lo + 2];
        double curvature = before - 2 * at + after;
        double offset = curvature < 0 ? 0.5 * (before - after) / curvature : 0;
        return (best + offset) * decimation;
    }

    /** Normalised correlation of {@code n} samples of the decimated tracker copy from {@code a} and from {@code b}. */
    private double trackerCorrelation(long a, long b, int n) {
        int mask = trackerRing.length - 1;
        double xy = 0;
        double xx = 0;
        double yy = 0;
        for (int i = 0; i < n; i++) {
            double x = trackerRing[(int) ((a + i) & mask)];
            double y = trackerRing[(int) ((b + i) & mask)];
            xy += x * y;
            xx += x * x;
            yy += y * y;
        }
        return xx > 0 && yy > 0 ? xy / Math.sqrt(xx * yy) : 0;
    }

    private double mark(long index) {
        return markPos[(int) (index & (MARKS - 1))];
    }

    private void renderGrains() {
        double latest = written - lookahead - reach;
        // A mark's whole grain is in the input once the mark is a reach behind the newest sample.
        double readable = written - reach - 3;
        while (true) {
            double candidate = lastSynthesis + nextStep;
            long k = markAtOrBefore(candidate);
            boolean nextReady = k + 1 < markCount && mark(k + 1) <= readable;
            double phase = nextReady ? (candidate - mark(k)) / (mark(k + 1) - mark(k)) : 0;
            long nearest = phase > 0.5 && nextReady ? k + 1 : k;
            double synthesis;
            if (lastVoiced && markVoiced[(int) (nearest & (MARKS - 1))]) {
                synthesis = candidate;
            } else {
                // Unvoiced grains sit on their own analysis marks so they are read in place, and
                // so does the first voiced grain: unshifted speech then comes out unchanged.
                k = nearest = firstMarkAfter(lastSynthesis);
                synthesis = mark(k);
                phase = 0;
            }
            if (synthesis > latest) {
                return;
            }
            int slot = (int) (nearest & (MARKS - 1));
            if (markVoiced[slot]) {
                int next = (int) ((k + 1) & (MARKS - 1));
                if (phase > 0 && nextReady && markVoiced[(int) (k & (MARKS - 1))] && markVoiced[next]) {
                    // Between two marks: the grain is the two periods mixed by where it falls. Taking
                    // the nearest period alone would repeat each one (at an octave up, every grain
                    // twice), and the repeats carry the original pitch as a buzz an octave below.
                    renderBlend(synthesis, k, phase, readable);
                    nextStep = ((1 - phase) * markPeriod[(int) (k & (MARKS - 1))] + phase * markPeriod[next]) / pitchRatio;
                } else {
                    renderVoiced(synthesis, nearest);
                    nextStep = markPeriod[slot] / pitchRatio;
                }
            } else {
                renderUnvoiced(synthesis, lastVoiced);
                nextStep = unvoicedSpacing;
            }
            lastVoiced = markVoiced[slot];
            lastSynthesis = synthesis;
        }
    }

    /** The last analysis mark at or before {@code time} (the newest mark if all are before it). */
    private long markAtOrBefore(double time) {
        while (searchMark + 1 < markCount && mark(searchMark + 1) <= time) {
            searchMark++;
        }
        return searchMark;
    }

    private long firstMarkAfter(double time) {
        long k = searchMark;
        while (k > 0 && mark(k - 1) > time) {
            k--;
        }
        // Marks always reach past the newest grain, so the last one bounds the search.
        while (k < markCount - 1 && mark(k) <= time) {
            k++;
        }
        return k;
    }

    /**
     * One pitch-period grain from analysis mark {@code k}, centred at {@code synthesis} and
     * resampled by the formant ratio. The window reaches to the neighbouring marks so grains at the
     * analysis spacing sum to one; periods longer than the reach get a flat top instead.
     */
    private void renderVoiced(double synthesis, long k) {
        blendCount = 1;
        blendMark[0] = k;
        blendShare[0] = 1;
        renderMixed(synthesis);
    }

    /**
     * A grain {@code phase} of the way from mark {@code k} to mark {@code k + 1}. Mixed linearly,
     * a grain on a mark is one period and a grain halfway is two half-mixed, and at ratios near
     * two the grains alternate between the two: a pattern at the original pitch. The shares are
     * drawn toward a quadratic B-spline over the four marks around, which gives every phase
     * about the same blur (the same spread over marks), so the grains no longer alternate.
     * Shifting down, grains skip marks; the spline is widened by 1 / ratio so the skipped periods
     * are averaged in rather than dropped. A neighbour that is unvoiced or not yet in the input
     * is left out and the rest rescaled.
     */
    private void renderBlend(double synthesis, long k, double phase, double readable) {
        blendCount = 0;
        double total = 0;
        for (int j = -BLEND_SIDE; j <= BLEND_SIDE + 1; j++) {
            long m = k + j;
            if (m < 1 || m >= markCount || !markVoiced[(int) (m & (MARKS - 1))] || mark(m) > readable) {
                continue;
            }
            double d = Math.abs(j - phase);
            if (sparse > 0 && d > 1
                    && Math.abs(markPeriod[(int) (m & (MARKS - 1))] / markPeriod[(int) (k & (MARKS - 1))] - 1) > SPARSE_PERIOD_SPAN) {
                // Periods of another length (a glide, a vowel onset) blur the grain: p225 lost frames.
                continue;
            }
            double ds = d / blendWidth;
            double spline = ds < 0.5 ? 0.75 - ds * ds : ds < 1.5 ? 0.5 * (1.5 - ds) * (1.5 - ds) : 0;
            double linear = Math.max(0, 1 - d);
            double share = (1 - blendSpread) * linear + blendSpread * spline;
            if (share > 0) {
                blendMark[blendCount] = m;
                blendShare[blendCount++] = share;
                total += share;
            }
        }
        for (int i = 0; i < blendCount; i++) {
            blendShare[i] /= total;
        }
        renderMixed(synthesis);
    }

    /**
     * A grain at {@code synthesis} that is the periods at {@link #blendMark} mixed in the
     * proportions {@link #blendShare}. Neighbouring periods are not identical, so their plain mix
     * is quieter than any of them (by up to 3 dB for two halves); the mix is scaled back to the
     * energy the periods have on their own, weighted the same way.
     */
    private void renderMixed(double synthesis) {
        double f = formantRatio;
        // Lowering formants stretches the grain; shorten what is read so the output stays in reach.
        double limit = reach * Math.min(1.0, f);
        double leftReach = 0;
        double rightReach = 0;
        for (int b = 0; b < blendCount; b++) {
            long m = blendMark[b];
            blendLeft[b] = mark(m) - mark(m - 1);
            // The next mark will be (or already is) exactly this mark's period on.
            blendRight[b] = markPeriod[(int) (m & (MARKS - 1))];
            leftReach = Math.max(leftReach, blendLeft[b]);
            rightReach = Math.max(rightReach, blendRight[b]);
            blendEnergy[b] = 0;
            blendOffset[b] = 0;
        }
        if (sparse > 0 && blendCount > 1) {
            alignBlend();
        }
        leftReach = Math.min(leftReach, limit);
        rightReach = Math.min(rightReach, limit);
        voicedEnd = synthesis;
        voicedEndSpacing = blendRight[blendCount - 1];
        voicedEndLimit = limit;
        voicedEndRatio = f;
        int first = (int) Math.floor(synthesis - leftReach / f) + 1;
        int last = (int) Math.ceil(synthesis + rightReach / f) - 1;
        int n = last - first + 1;
        double mixed = 0;
        for (int i = 0; i < n; i++) {
            double x = (first + i - synthesis) * f;
            double sum = 0;
            double weightSum = 0;
            for (int b = 0; b < blendCount; b++) {
                double w = blendShare[b] * window(x, blendLeft[b], blendRight[b], limit);
                if (w > 0) {
                    double v = w * read(mark(blendMark[b]) + blendOffset[b] + x);
                    sum += v;
                    weightSum += w;
                    blendEnergy[b] += v * v;
                }
            }
            grainWeight[i] = weightSum;
            grain[i] = sum;
            mixed += sum * sum;
        }
        double gain = voicedGain;
        if (blendCount > 1) {
            // blendEnergy holds the weighted parts; their unweighted energies are blendEnergy/share².
            double wanted = 0;
            for (int b = 0; b < blendCount; b++) {
                wanted += blendEnergy[b] / blendShare[b];
            }
            gain *= mixed > 0 ? Math.min(2, Math.max(1, Math.sqrt(wanted / mixed))) : 1;
        }
        for (int i = 0; i < n; i++) {
            if (grainWeight[i] > 0) {
                int o = (first + i) & outputMask;
                acc[o] += (float) (gain * grain[i]);
                weight[o] += (float) grainWeight[i];
                floor[o] = Math.max(floor[o], voicedFloor);
            }
        }
    }

    /**
     * Aligns the periods of a widened blend to its main (largest) share before they are mixed:
     * marks sit one measured period apart, not on the glottal pulses, and in a creaky voice the
     * pulses wander a large part of a period off them, so the periods mixed unaligned smear into
     * each other and the grain keeps the roughness. Each is moved to where it best correlates with
     * the main one ({@link #alignment}), by {@link #sparse} of that.
     */
    private void alignBlend() {
        int main = 0;
        for (int b = 1; b < blendCount; b++) {
            if (blendShare[b] > blendShare[main]) {
                main = b;
            }
        }
        double reference = mark(blendMark[main]);
        double period = markPeriod[(int) (blendMark[main] & (MARKS - 1))];
        for (int b = 0; b < blendCount; b++) {
            if (b != main) {
                blendOffset[b] = sparse * alignment(reference, mark(blendMark[b]), period);
            }
        }
    }

    /**
     * The offset (input samples) from {@code nominal} to where the input best matches the input at
     * {@code reference}: normalised correlation over {@link #ALIGN_FRAME} periods of the decimated
     * tracker copy (its filter delay is the same at both), lags within {@link #ALIGN_SPAN} of a
     * period, interpolated by a parabola. The lags stop where the grain or the frame would reach past
     * the newest input.
     */
    private double alignment(double reference, double nominal, double period) {
        double a = trackerWritten - (written - reference) / decimation;
        double b = trackerWritten - (written - nominal) / decimation;
        int n = (int) Math.round(ALIGN_FRAME * period / decimation);
        long a0 = Math.round(a) - n / 2;
        long b0 = Math.round(b) - n / 2;
        int span = (int) Math.round(ALIGN_SPAN * period / decimation);
        int lo = -span;
        int hi = (int) Math.min(span, Math.min(Math.floor((written - 3 - reach - nominal) / decimation),
                trackerWritten - n - b0));
        hi = Math.min(hi, lo + alignCorrelation.length - 3);
        if (hi < lo + 2 || n < 2 || a0 + n > trackerWritten) {
            return 0;
        }
        int best = lo;
        for (int d = lo; d <= hi; d++) {
            alignCorrelation[d - lo] = trackerCorrelation(a0, b0 + d, n);
            if (alignCorrelation[d - lo] > alignCorrelation[best - lo]) {
                best = d;
            }
        }
        double offset = best;
        if (best > lo && best < hi) {
            double before = alignCorrelation[best - lo - 1];
            double at = alignCorrelation[best - lo];
            double after = alignCorrelation[best - lo + 1];
            double curvature = before - 2 * at + after;
            offset += curvature < 0 ? 0.5 * (before - after) / curvature : 0;
        }
        // Both frames start at rounded positions; what the rounding moved them is given back.
        return (offset + (a - Math.round(a)) - (b - Math.round(b))) * decimation;
    }

    private static double window(double x, double left, double right, double limit) {
        return x < 0 ? side(-x, left, limit) : side(x, right, limit);
    }

    /** The right half of the last voiced grain at output sample {@code j}. */
    private double voicedEndWindow(int j) {
        double x = (j - voicedEnd) * voicedEndRatio;
        return x <= 0 ? 1 : side(x, voicedEndSpacing, voicedEndLimit);
    }

    /** Half a window: 1 at the centre, a raised-cosine fade that ends where the neighbour's begins. */
    private static double side(double x, double spacing, double limit) {
        double flat = Math.max(0, spacing - limit);
        double fade;
        if (spacing > 1.8 * limit) {
            // Very long periods: the fade narrows so it still ends at the reach, where the
            // neighbour's begins, and the two still sum to one.
            fade = Math.max(0, 2 * limit - spacing);
        } else {
            fade = Math.max(spacing - 2 * flat, 0.2 * limit);
            flat = Math.min(flat, limit - fade);
        }
        if (x <= flat) {
            return 1;
        }
        if (x >= flat + fade) {
            return 0;
        }
        return 0.5 + 0.5 * Math.cos(Math.PI * (x - flat) / fade);
    }

    /**
     * A short Hann grain read in place. Grains reach two spacings either side at half weight, so
     * four overlap and sum to one; with the formant resampling making neighbouring grains
     * uncorrelated, their powers still sum to a constant, which keeps noise free of modulation.
     */
    private void renderUnvoiced(double centre, boolean afterVoiced) {
        double f = formantRatio;
        double half = 2 * unvoicedSpacing;
        // After a voiced grain, whose period may be longer than this grain reaches, the left half
        // stretches back to fill whatever the voiced grain's fade leaves uncovered.
        int first = afterVoiced ? (int) Math.floor(voicedEnd) + 1 : (int) Math.floor(centre - half) + 1;
        int last = (int) Math.ceil(centre + half) - 1;
        for (int j = first; j <= last; j++) {
            double d = j - centre;
            double w = unvoicedWindow(d);
            if (afterVoiced && d < 0) {
                w = Math.max(w, 1 - voicedEndWindow(j));
            }
            int o = j & outputMask;
            acc[o] += (float) (w * unvoicedGain * read(centre + d * f));
            weight[o] += (float) w;
        }
    }

    /** The input at a fractional time, by 4-point Catmull-Rom interpolation. */
    private double read(double time) {
        long i = (long) Math.floor(time);
        double t = time - i;
        if (t == 0) {
            return input[(int) (i & inputMask)];
        }
        double xm1 = input[(int) ((i - 1) & inputMask)];
        double x0 = input[(int) (i & inputMask)];
        double x1 = input[(int) ((i + 1) & inputMask)];
        double x2 = input[(int) ((i + 2) & inputMask)];
        return x0 + 0.5 * t * (x1 - xm1 + t * (2 * xm1 - 5 * x0 + 4 * x1 - x2 + t * (3 * (x0 - x1) + x2 - xm1)));
    }
}
