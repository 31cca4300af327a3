package org.voxmorph.dsp;

/**
 * Noise gate with hysteresis and hold. A peak envelope (instant rise, {@value #DETECTOR_RELEASE_MS} ms
 * fall) opens the gate at the open threshold; once it is open, only a level below the close threshold
 * (open threshold minus hysteresis) for the whole hold time closes it. The gain moves toward 1 or the
 * floor with one-pole smoothing (attack opening, release closing), so it never clicks.
 *
 * <p>Every setting may change every sample; the dB conversions and time constants are recomputed
 * only when a value actually changes.
 */
public final class NoiseGate {
    /** How fast the level detector falls: short enough to close promptly, the hold bridges pitch periods. */
    public static final double DETECTOR_RELEASE_MS = 5.0;

    private final double rate;
    private final double detectorDecay;

    private double thresholdDb = Double.NaN;
    private double hysteresisDb = Double.NaN;
    private double openLevel;
    private double closeLevel;
    private double holdMs = Double.NaN;
    private int holdSamples;
    private double attackMs = Double.NaN;
    private double attackCoef;
    private double releaseMs = Double.NaN;
    private double releaseCoef;
    private double floorDb = Double.NaN;
    private double floorGain;

    private double envelope;
    private boolean open;
    private int holdLeft;
    private double gain;

    public NoiseGate(double rate) {
        this.rate = rate;
        this.detectorDecay = Math.exp(-1000.0 / (DETECTOR_RELEASE_MS * rate));
    }

    public void setThresholds(double newThresholdDb, double newHysteresisDb) {
        if (newThresholdDb != thresholdDb || newHysteresisDb != hysteresisDb) {
            thresholdDb = newThresholdDb;
            hysteresisDb = newHysteresisDb;
            openLevel = Math.pow(10, thresholdDb / 20);
            closeLevel = Math.pow(10, (thresholdDb - hysteresisDb) / 20);
        }
    }

    public void setHoldMs(double ms) {
        if (ms != holdMs) {
            holdMs = ms;
            holdSamples = (int) Math.round(ms * rate / 1000);
        }
    }

    public void setAttackMs(double ms) {
        if (ms != attackMs) {
            attackMs = ms;
            attackCoef = onePole(ms, rate);
        }
    }

    public void setReleaseMs(double ms) {
        if (ms != releaseMs) {
            releaseMs = ms;
            releaseCoef = onePole(ms, rate);
        }
    }

    /** Attenuation when closed. Takes effect on the next sample; a closed gate glides to it. */
    public void setFloorDb(double db) {
        if (db != floorDb) {
            floorDb = db;
            floorGain = Math.pow(10, db / 20);
        }
    }

    /** The share of the remaining distance a one-pole smoother covers per sample, for time constant {@code ms}. */
    static double onePole(double ms, double rate) {
        return 1 - Math.exp(-1000.0 / (Math.max(ms, 1e-3) * rate));
    }

    public double process(double x) {
        double level = Math.abs(x);
        envelope = level > envelope ? level : envelope * detectorDecay;
        if (envelope < 1e-30) {
            envelope = 0; // long silence would otherwise decay into slow subnormal arithmetic
        }
        if (envelope >= openLevel) {
            open = true;
            holdLeft = holdSamples;
        } else if (open) {
            if (envelope >= closeLevel) {
                holdLeft = holdSamples;
            } else if (holdLeft > 0) {
                holdLeft--;
            } else {
                open = false;
            }
        }
        double target = open ? 1.0 : floorGain;
        gain += (target - gain) * (target > gain ? attackCoef : releaseCoef);
        return x * gain;
    }

    public boolean isOpen() {
        return open;
    }

    /** Closed, silent history, gain at the floor. */
    public void reset() {
        envelope = 0;
        open = false;
        holdLeft = 0;
        gain = floorGain;
    }
}
