package org.voxmorph.dsp;

/**
 * Streaming conversion of any speaker toward a {@link VoiceTarget}, with no training: the
 * source's own statistics are learned online ({@link SpeakerStatistics}, from the first seconds,
 * then adapting over {@link #MEMORY_SECONDS}) and each part of the voice is mapped from them.
 * <ul>
 * <li>Pitch: per 1 ms hop, the shifter's tracked F0 is mapped on the log scale from the source's
 * running mean and spread (of that same tracker, so the mapped mean lands on the target's) to the
 * target's, and the {@link PsolaPitchShifter} gets the ratio.</li>
 * <li>Vocal tract: the formant ratio is the geometric mean of target/source F1, F2 and F3 means,
 * clamped to 0.75..1.33, scaled by {@link #setVocalTract} and smoothed, given to the same shifter
 * (its grains are resampled).</li>
 * <li>Colour: the long-term spectrum of the shifted signal is measured and an
 * {@link EnvelopeEqualizer} moves it toward the target's (at most +-12 dB per band).</li>
 * </ul>
 * Strength 0..1 scales all three on the log scale. Until the source has spoken for a moment its
 * statistics lean on an average adult prior, so the first syllables are already mapped.
 *
 * <p>Block-size independent (every decision happens on the shifter's fixed hop), no allocation in
 * {@link #process}, latency exactly the shifter's: the equaliser is minimum phase.
 */
public final class VoiceMorpher {
    /** Time constant of the source statistics once warmed up: long enough to be stable, short enough to follow a new speaker. */
    public static final double MEMORY_SECONDS = 30;
    private static final double PRIOR_LOG_F0 = Math.log(150);
    private static final double PRIOR_LOG_F0_SD = 0.15;
    private static final double[] PRIOR_LOG_FORMANTS = {Math.log(520), Math.log(1550), Math.log(2600)};
    /** How many seconds of voiced speech each prior counts as. */
    private static final double PRIOR_PITCH_S = 0.1;
    private static final double PRIOR_SPREAD_S = 1.5;
    private static final double PRIOR_FORMANT_S = 1.0;
    /**
     * The equaliser counts as having heard this much speech that already matches: a short stretch
     * is mostly its own sounds, not its speaker, and equalising it flat would erase the sounds.
     */
    private static final double PRIOR_MATCH_S = 4;
    private static final double MIN_FORMANT_RATIO = 0.75;
    private static final double MAX_FORMANT_RATIO = 1.33;
    private static final double MAX_EQ_DB = 12;
    /** Formant ratio and equaliser are updated every this many hops (20 ms). */
    private static final int SLOW_EVERY_HOPS = 20;
    private static final double SLOW_SMOOTHING = 0.1;

    private final PsolaPitchShifter shifter;
    private final SpeakerStatistics source;
    private final RunningStatistics sourcePitch;
    private final double hopsPerSecond;
    private final LongTermSpectrum shifted;
    private final EnvelopeEqualizer equalizer;
    private final double[] measuredDb = new double[LongTermSpectrum.CENTRES_HZ.length];
    private final double[] wantedDb = new double[LongTermSpectrum.CENTRES_HZ.length];
    private final double[] smoothedDb = new double[LongTermSpectrum.CENTRES_HZ.length];
    private VoiceTarget target;
    private double strength = 1;
    private double vocalTract;
    private double pitchRatio = 1;
    private double formantRatio = 1;
    private long hops;

    public VoiceMorpher(double sampleRate, VoiceTarget target) {
        shifter = new PsolaPitchShifter(sampleRate);
        source = new SpeakerStatistics(sampleRate, MEMORY_SECONDS);
        hopsPerSecond = sampleRate / shifter.hopSamples();
        sourcePitch = new RunningStatistics(MEMORY_SECONDS * hopsPerSecond);
        shifted = new LongTermSpectrum(sampleRate, MEMORY_SECONDS);
        equalizer = new EnvelopeEqualizer(sampleRate);
        this.target = target;
        reset();
    }

    public int latencySamples() {
        return shifter.latencySamples();
    }

    public int hopSamples() {
        return shifter.hopSamples();
    }

    public int samplesToNextHop() {
        return shifter.samplesToNextHop();
    }

    /** 0 passes the voice unchanged (apart from the shifter's resynthesis), 1 goes all the way. Read at the next hop. */
    public void setStrength(double strength) {
        this.strength = Math.max(0, Math.min(1, strength));
    }

    /**
     * How much of the measured vocal-tract difference is applied, 0..1 (default 0). The PSOLA
     * shifter moves formants by resampling its grains, and on the VCTK pairs even a 5% move cost
     * intelligibility (PocketSphinx word errors on p227 toward p228: 48% without, 66% with) and
     * raised the mel-cepstral distance to the target's own recording; pitch and colour carry the
     * likeness without it. Masking, where a different tract is the point, may turn it up.
     */
    public void setVocalTract(double amount) {
        vocalTract = Math.max(0, Math.min(1, amount));
    }

    public double pitchRatio() {
        return pitchRatio;
    }

    public double formantRatio() {
        return formantRatio;
    }

    public void reset() {
        shifter.reset();
        source.reset();
        sourcePitch.reset();
        shifted.reset();
        equalizer.reset();
        java.util.Arrays.fill(smoothedDb, 0);
        pitchRatio = 1;
        formantRatio = 1;
        hops = 0;
        updateEqualizer(1);
        shifter.setShift(1, 1);
    }

    public void process(float[] x, int offset, int n) {
        int done = 0;
        while (done < n) {
            if (shifter.samplesToNextHop() == shifter.hopSamples()) {
                control();
            }
            int chunk = Math.min(n - done, shifter.samplesToNextHop());
            int at = offset + done;
            source.process(x, at, chunk);
            shifter.process(x, at, chunk);
            if (target.envelopeDb() != null) {
                shifted.process(x, at, chunk);
            }
            equalizer.process(x, at, chunk);
            done += chunk;
        }
    }

    private void control() {
        double f0 = shifter.inputPitchHz();
        if (f0 > 0) {
            sourcePitch.add(Math.log(f0));
            double voiced = sourcePitch.count() / hopsPerSecond;
            double srcMean = blend(PRIOR_LOG_F0, PRIOR_PITCH_S, sourcePitch.mean(), voiced);
            double srcSd = blend(PRIOR_LOG_F0_SD, PRIOR_SPREAD_S, sourcePitch.sd(), voiced);
            double spreadRatio = Math.max(0.5, Math.min(2, target.logF0Spread() / srcSd));
            double mapped = target.logF0Centre() + (Math.log(f0) - srcMean) * spreadRatio;
            pitchRatio = Math.max(0.3, Math.min(3.5, Math.exp(strength * (mapped - Math.log(f0)))));
        }
        if (hops++ % SLOW_EVERY_HOPS == 0) {
            double measured = source.formantSeconds();
            double logRatio = 0;
            for (int i = 0; i < SpeakerStatistics.FORMANTS; i++) {
                double own = blend(PRIOR_LOG_FORMANTS[i], PRIOR_FORMANT_S, source.logFormantMean(i), measured);
                logRatio += (target.logFormants()[i] - own) / SpeakerStatistics.FORMANTS;
            }
            logRatio = Math.max(Math.log(MIN_FORMANT_RATIO), Math.min(Math.log(MAX_FORMANT_RATIO), logRatio));
            double wanted = Math.exp(strength * vocalTract * logRatio);
            // The shifter recomputes its noise gain on every change: small steps are not worth it.
            double next = formantRatio + SLOW_SMOOTHING * (wanted - formantRatio);
            if (Math.abs(next - formantRatio) >= 1e-3) {
                formantRatio = next;
            }
            updateEqualizer(SLOW_SMOOTHING);
        }
        shifter.setShift(pitchRatio, formantRatio);
    }

    /** Source figure weighted against the prior by how much has been heard. */
    private static double blend(double prior, double priorSeconds, double measured, double seconds) {
        return (prior * priorSeconds + measured * seconds) / (priorSeconds + seconds);
    }

    private void updateEqualizer(double smoothing) {
        boolean match = target.envelopeDb() != null && shifted.hasData();
        double heard = match ? shifted.activeSeconds() : 0;
        if (match) {
            shifted.levelsDb(measuredDb);
        }
        double[] goal = target.envelopeDb();
        int bands = wantedDb.length;
        for (int b = 0; b < bands; b++) {
            double octaves = Math.log(LongTermSpectrum.CENTRES_HZ[b] / 1000) / Math.log(2);
            double db = target.tiltDbPerOctave() * octaves
                    + (match ? (goal[b] - measuredDb[b]) * heard / (heard + PRIOR_MATCH_S) : 0);
            wantedDb[b] = Math.max(-MAX_EQ_DB, Math.min(MAX_EQ_DB, db));
        }
        // Neighbouring third-octave bands are averaged: a voice's harmonics must not be fitted as its colour.
        for (int b = 0; b < bands; b++) {
            double mid = wantedDb[b];
            double lo = b > 0 ? wantedDb[b - 1] : mid;
            double hi = b < bands - 1 ? wantedDb[b + 1] : mid;
            double wanted = strength * (0.25 * lo + 0.5 * mid + 0.25 * hi);
            smoothedDb[b] += smoothing * (wanted - smoothedDb[b]);
        }
        equalizer.setGainsDb(smoothedDb);
    }
}
