package org.voxmorph.dsp;

/**
 * Feed-forward peak compressor: above the threshold the level rises only 1/ratio dB per dB. The
 * detector follows |x| with separate attack and release times; the gain is computed in the linear
 * domain, so it costs one pow per sample and only while the level is above the threshold.
 */
public final class Compressor {
    private final double rate;
    private double thresholdDb = Double.NaN;
    private double threshold;
    private double ratio = Double.NaN;
    private double exponent;
    private double attackMs = Double.NaN;
    private double attackCoef;
    private double releaseMs = Double.NaN;
    private double releaseCoef;
    private double makeupDb = Double.NaN;
    private double makeup;
    private double envelope;

    public Compressor(double rate) {
        this.rate = rate;
    }

    public void setThresholdDb(double db) {
        if (db != thresholdDb) {
            thresholdDb = db;
            threshold = Math.pow(10, db / 20);
        }
    }

    public void setRatio(double r) {
        if (r != ratio) {
            ratio = r;
            exponent = 1 / r - 1;
        }
    }

    public void setAttackMs(double ms) {
        if (ms != attackMs) {
            attackMs = ms;
            attackCoef = NoiseGate.onePole(ms, rate);
        }
    }

    public void setReleaseMs(double ms) {
        if (ms != releaseMs) {
            releaseMs = ms;
            releaseCoef = NoiseGate.onePole(ms, rate);
        }
    }

    public void setMakeupDb(double db) {
        if (db != makeupDb) {
            makeupDb = db;
            makeup = Math.pow(10, db / 20);
        }
    }

    public double process(double x) {
        double level = Math.abs(x);
        envelope += (level - envelope) * (level > envelope ? attackCoef : releaseCoef);
        if (envelope < 1e-30) {
            envelope = 0;
        }
        double gain = envelope > threshold ? Math.pow(envelope / threshold, exponent) : 1.0;
        return x * gain * makeup;
    }

    public void reset() {
        envelope = 0;
    }
}
