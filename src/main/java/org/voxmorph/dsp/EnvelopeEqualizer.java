package org.voxmorph.dsp;

/**
 * A smooth equaliser that follows a wanted gain curve given at the {@link LongTermSpectrum}
 * band centres: a cascade of peaking biquads, one per band, whose gains are fitted so the
 * cascade's response at the centres matches the curve (neighbouring bells overlap, so each gain
 * is corrected by the error a few times). Minimum phase and no look-ahead: it adds no latency.
 * Meant for slow changes (a long-term spectral match), so coefficients are simply replaced.
 */
public final class EnvelopeEqualizer {
    private static final double Q = 2.0;
    private static final int FIT_ROUNDS = 8;
    private static final double FIT_STEP = 0.6;

    private final double sampleRate;
    private final double[] centres = LongTermSpectrum.CENTRES_HZ;
    private final Biquad[] bells;
    private final double[] gains;
    private final int bands;

    public EnvelopeEqualizer(double sampleRate) {
        this.sampleRate = sampleRate;
        // Bells at or above 0.45 * rate would fold over Nyquist; they are left out.
        int usable = 0;
        while (usable < centres.length && centres[usable] < 0.45 * sampleRate) {
            usable++;
        }
        bands = usable;
        bells = new Biquad[bands];
        for (int b = 0; b < bands; b++) {
            bells[b] = new Biquad();
        }
        gains = new double[bands];
    }

    /** Fits the bells to {@code wantedDb} (one value per band centre). Allocation-free. */
    public void setGainsDb(double[] wantedDb) {
        for (int b = 0; b < bands; b++) {
            gains[b] = wantedDb[b];
            bells[b].setPeak(sampleRate, centres[b], Q, gains[b]);
        }
        for (int round = 0; round < FIT_ROUNDS; round++) {
            for (int b = 0; b < bands; b++) {
                gains[b] += FIT_STEP * (wantedDb[b] - responseDb(centres[b]));
            }
            for (int b = 0; b < bands; b++) {
                bells[b].setPeak(sampleRate, centres[b], Q, gains[b]);
            }
        }
    }

    /** The cascade's response in dB at {@code hz}. */
    public double responseDb(double hz) {
        double db = 0;
        for (int b = 0; b < bands; b++) {
            db += bells[b].responseDb(sampleRate, hz);
        }
        return db;
    }

    public void process(float[] x, int offset, int n) {
        for (int i = offset, end = offset + n; i < end; i++) {
            double v = x[i];
            for (int b = 0; b < bands; b++) {
                v = bells[b].process(v);
            }
            x[i] = (float) v;
        }
    }

    public void reset() {
        for (Biquad bell : bells) {
            bell.reset();
        }
    }
}
