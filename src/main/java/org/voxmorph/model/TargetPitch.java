package org.voxmorph.model;

import java.util.List;
import org.voxmorph.dsp.PitchTracker;
import org.voxmorph.dsp.PitchTrackers;

/**
 * The pitch fed to a stream graph's {@code f0_in} each hop (models/FORMAT.md): the source's F0 from
 * YIN, moved from the source's ln-F0 range into the chosen speaker's ({@code speakerF0}), times
 * {@code 2^(semitones/12)}.
 *
 * <p>The source range is learnt while it talks: a running mean and variance of ln F0 over voiced
 * hops, starting from a typical voice worth {@link #PRIOR_HOPS} hops (so the first words are not
 * mapped from a guess of one hop), each voiced hop then weighing 1 until {@link #MEMORY_HOPS} hops
 * are in, after which the figures follow the speaker as an exponential average. No allocation.
 */
final class TargetPitch {
    static final int RATE = 16000;
    static final int HOP = 160;
    /** 40 ms of 16 kHz audio ending with the hop: YIN needs two periods, so 50 Hz is the floor. */
    static final int WINDOW = 640;
    private static final double YIN_THRESHOLD = 0.2;
    static final double MIN_HZ = 50;
    static final double MAX_HZ = 1000;
    static final double PRIOR_MEAN_LN_HZ = Math.log(140);
    static final double PRIOR_SD_LN_HZ = 0.18;
    static final int PRIOR_HOPS = 200;
    static final int MEMORY_HOPS = 3000;
    /** A floor for the source spread: a long steady tone must not make the mapping divide by zero. */
    private static final double MIN_SD_LN_HZ = 0.01;

    private final PitchTracker yin = PitchTrackers.yin(RATE, WINDOW, YIN_THRESHOLD);
    private final float[] window = new float[WINDOW];
    private final List<ModelPackage.SpeakerF0> speakerF0;
    private long weight;
    private double mean;
    private double variance;

    /** @param speakerF0 per-speaker ln-F0 statistics; empty keeps the source's own pitch (times the transposition) */
    TargetPitch(List<ModelPackage.SpeakerF0> speakerF0) {
        this.speakerF0 = speakerF0;
        reset();
    }

    /** The source F0 in Hz of the window ending with {@code hop[0..n)} (16 kHz), 0 when unvoiced or out of range. */
    double sourceHz(float[] hop, int n) {
        System.arraycopy(window, n, window, 0, WINDOW - n);
        System.arraycopy(hop, 0, window, WINDOW - n, n);
        double hz = yin.pitchHz(window);
        return hz >= MIN_HZ && hz <= MAX_HZ ? hz : 0;
    }

    /**
     * Learns from a voiced {@code sourceHz} and returns the pitch to feed, clamped to 50..1000 Hz; 0
     * stays 0 (unvoiced).
     */
    double target(double sourceHz, int speaker, double semitones) {
        if (!(sourceHz > 0)) {
            return 0;
        }
        double x = Math.log(sourceHz);
        learn(x);
        double ln = x;
        if (!speakerF0.isEmpty()) {
            ModelPackage.SpeakerF0 t = speakerF0.get(speaker);
            ln = t.meanLnHz() + (x - mean) * t.stdLnHz() / Math.max(MIN_SD_LN_HZ, Math.sqrt(variance));
        }
        double hz = Math.exp(ln) * Math.pow(2, semitones / 12);
        return Math.max(MIN_HZ, Math.min(MAX_HZ, hz));
    }

    /** Welford's update with weight 1/n over prior plus observations, n capped at MEMORY_HOPS. */
    private void learn(double x) {
        weight = Math.min(weight + 1, MEMORY_HOPS);
        double w = 1.0 / weight;
        double d = x - mean;
        mean += w * d;
        variance = (1 - w) * (variance + w * d * d);
    }

    double sourceMeanLnHz() {
        return mean;
    }

    double sourceSdLnHz() {
        return Math.sqrt(variance);
    }

    void reset() {
        java.util.Arrays.fill(window, 0f);
        weight = PRIOR_HOPS;
        mean = PRIOR_MEAN_LN_HZ;
        variance = PRIOR_SD_LN_HZ * PRIOR_SD_LN_HZ;
    }
}
