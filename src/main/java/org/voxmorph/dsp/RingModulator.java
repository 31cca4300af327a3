package org.voxmorph.dsp;

/** Multiplies the voice by a sine carrier: the classic robot/Dalek sound, blended with the dry signal. */
public final class RingModulator {
    private static final double TWO_PI = 2 * Math.PI;
    private final double rate;
    private double phase;

    public RingModulator(double rate) {
        this.rate = rate;
    }

    /** @param mix 0 = dry only, 1 = modulated only */
    public double process(double x, double frequencyHz, double mix) {
        double carrier = Math.cos(phase); // starts at 1, so the first sample passes
        phase += TWO_PI * frequencyHz / rate;
        if (phase >= TWO_PI) {
            phase -= TWO_PI;
        }
        return x * (1 - mix + mix * carrier);
    }

    public void reset() {
        phase = 0;
    }
}
