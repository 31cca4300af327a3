package org.voxmorph.dsp;

/**
 * Feedback comb filter: a short delay fed back on itself rings at 1000 / delayMs Hz and its
 * harmonics, which makes a voice sound metallic. The delay is read with linear interpolation so it
 * can glide without clicks. The wet signal is scaled by sqrt(1 - feedback^2) so its average power
 * stays that of the input whatever the feedback.
 */
public final class CombResonator {
    private static final float TINY = 1e-30f;
    private final double rate;
    private final float[] line;
    private int write;

    public CombResonator(double rate, double maxDelayMs) {
        this.rate = rate;
        this.line = new float[(int) Math.ceil(maxDelayMs * rate / 1000) + 2];
    }

    /**
     * @param feedback -0.99..0.99; negative values ring at odd harmonics only (hollower)
     * @param mix 0 = dry only, 1 = resonator only
     */
    public double process(double x, double delayMs, double feedback, double mix) {
        double d = Math.min(Math.max(delayMs * rate / 1000, 1), line.length - 2);
        int whole = (int) d;
        double frac = d - whole;
        int i0 = write - whole;
        if (i0 < 0) {
            i0 += line.length;
        }
        int i1 = i0 == 0 ? line.length - 1 : i0 - 1;
        double delayed = line[i0] + frac * (line[i1] - line[i0]);
        double y = x + feedback * delayed;
        float stored = (float) y;
        line[write] = Math.abs(stored) < TINY ? 0f : stored;
        write = write + 1 == line.length ? 0 : write + 1;
        return (1 - mix) * x + mix * y * Math.sqrt(1 - feedback * feedback);
    }

    public void reset() {
        java.util.Arrays.fill(line, 0f);
        write = 0;
    }
}
