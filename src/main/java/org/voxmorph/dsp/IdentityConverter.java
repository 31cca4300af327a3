package org.voxmorph.dsp;

/**
 * Converts who is speaking, keeping what is said: the source's pitch is moved into the target's
 * range by a {@link PsolaPitchShifter} (log-F0 mapped from the source's running median and spread
 * to the target's, then transposed by the user's semitones), and the shifted speech's spectral
 * envelope is replaced frame by frame by the target's own ({@link FrameMatcher}, matching in the
 * space of a trained {@link ContentNet}). The source's
 * excitation, timing and pauses stay; the vocal tract and pitch range become the target's.
 *
 * <p>Strength 0..1 scales both moves on the log scale (0: the user's own voice, still transposed
 * by the semitones). Block-size independent, no allocation in {@link #process}, delay exactly
 * {@link #latencySamples()} (the shifter's delay plus one 20 ms frame).
 */
public final class IdentityConverter {
    private static final double PRIOR_LOG_F0_SD = 0.15;
    private static final double PRIOR_SPREAD_S = 1.5;
    private static final double MEMORY_SECONDS = 30;
    /**
     * Speech starts high and falls (declination), so the median of what has been heard so far sits
     * above the speaker's own until several sentences are in: the centre is lowered by this much
     * (natural log), fading with voiced seconds over {@link #EARLY_SECONDS}. Fitted on 98
     * LibriSpeech utterances of ../shared/corpus (cold-start bias of the output's median -1.6 %
     * before, -0.1 % after); VCTK, which the evaluation uses, played no part.
     */
    private static final double EARLY_EXCESS = 0.06;
    private static final double EARLY_SECONDS = 2;
    /** The source's centre histogram: 40..1000 Hz in tenths of a semitone. */
    private static final double CENTRE_LOW_HZ = 40;
    private static final double CENTRE_HIGH_HZ = 1000;

    private final PsolaPitchShifter shifter;
    private final FrameMatcher matcher;
    private final RunningStatistics sourcePitch;
    private final RunningMedian sourceCentre;
    private final double hopsPerSecond;
    private MatchingSet target;
    private double strength = 1;
    private double semitones;
    private double pitchRatio = 1;

    /** @throws IllegalArgumentException when {@code target} was made with another content model than {@code content} */
    public IdentityConverter(double sampleRate, MatchingSet target, ContentNet content) {
        this.target = target;
        shifter = new PsolaPitchShifter(sampleRate);
        matcher = new FrameMatcher(sampleRate, target, content);
        hopsPerSecond = sampleRate / shifter.hopSamples();
        sourcePitch = new RunningStatistics(MEMORY_SECONDS * hopsPerSecond);
        int bins = (int) Math.round(120 * Math.log(CENTRE_HIGH_HZ / CENTRE_LOW_HZ) / Math.log(2));
        sourceCentre = new RunningMedian(Math.log(CENTRE_LOW_HZ), Math.log(CENTRE_HIGH_HZ), bins, MEMORY_SECONDS * hopsPerSecond);
    }

    public int latencySamples() {
        return shifter.latencySamples() + matcher.latencySamples();
    }

    /** Control changes take effect on this hop grid; callers smooth parameters per hop. */
    public int hopSamples() {
        return shifter.hopSamples();
    }

    public int samplesToNextHop() {
        return shifter.samplesToNextHop();
    }

    /** Converts into another voice from the next hop on, without a gap (no allocation). */
    public void setTarget(MatchingSet target) {
        matcher.setTarget(target);
        this.target = target;
    }

    public void setStrength(double strength) {
        this.strength = Math.max(0, Math.min(1, strength));
        matcher.setStrength(this.strength);
    }

    /** See {@link FrameMatcher#setOvershoot}; conversion into a voice leaves the default reach. */
    public void setOvershoot(double overshoot) {
        matcher.setOvershoot(overshoot);
    }

    /** Transposition on top of the target's pitch range, in semitones. */
    public void setSemitones(double semitones) {
        this.semitones = semitones;
    }

    /** The pitch ratio applied at the last hop (output F0 over input F0). */
    public double pitchRatio() {
        return pitchRatio;
    }

    public void reset() {
        shifter.reset();
        matcher.reset();
        sourcePitch.reset();
        sourceCentre.reset();
        pitchRatio = 1;
        shifter.setShift(1, 1);
    }

    public void process(float[] x, int offset, int n) {
        int done = 0;
        while (done < n) {
            if (shifter.samplesToNextHop() == shifter.hopSamples()) {
                control();
            }
            int chunk = Math.min(n - done, shifter.samplesToNextHop());
            shifter.process(x, offset + done, chunk);
            matcher.process(x, offset + done, chunk);
            done += chunk;
        }
    }

    private void control() {
        double f0 = shifter.inputPitchHz();
        double transpose = semitones * Math.log(2) / 12;
        double logRatio = transpose;
        if (f0 > 0) {
            sourcePitch.add(Math.log(f0));
            // The centre is a median, as the target's is: the tracker's octave slips (up on low
            // voices' onsets, down into a high voice's creak) dragged a mean off the speaker's own
            // pitch. A first voiced frame is a better first guess than any fixed prior.
            sourceCentre.add(Math.log(f0));
            double voiced = sourcePitch.count() / hopsPerSecond;
            double srcCentre = sourceCentre.median() - EARLY_EXCESS * EARLY_SECONDS / (EARLY_SECONDS + voiced);
            double srcSd = blend(PRIOR_LOG_F0_SD, PRIOR_SPREAD_S, sourcePitch.sd(), voiced);
            double spreadRatio = Math.max(0.5, Math.min(2, target.logF0Spread() / srcSd));
            double mapped = target.logF0Centre() + (Math.log(f0) - srcCentre) * spreadRatio;
            logRatio += strength * (mapped - Math.log(f0));
        }
        pitchRatio = Math.max(0.26, Math.min(3.9, Math.exp(logRatio)));
        shifter.setShift(pitchRatio, 1);
    }

    private static double blend(double prior, double priorSeconds, double measured, double seconds) {
        return (prior * priorSeconds + measured * seconds) / (priorSeconds + seconds);
    }
}
