package org.voxmorph.model;

import org.voxmorph.dsp.PitchTracker;
import org.voxmorph.dsp.PitchTrackers;

/**
 * RVC's default pitch source: the shared YIN tracker run on each 10 ms frame of a window.
 *
 * <p>YIN dominates the cost of f0 models, and consecutive windows overlap by all but a block: a
 * frame whose analysis lay clear of both windows' edges (YIN's half window plus the resampler's
 * reach) gives the same pitch again, so it is taken from the last window instead of recomputed.
 */
final class YinPitch implements RvcPitch {
    static final int RATE = 16000;
    /** 40 ms: YIN needs two periods, so 50 Hz (RVC's lowest pitch) is the floor. */
    static final int WINDOW = 640;
    /** TarsosDSP's default YIN threshold, which RVC's pitch path has always used. */
    private static final double THRESHOLD = 0.20;

    private final PitchTracker yin = PitchTrackers.yin(RATE, WINDOW, THRESHOLD);
    private final float[] frame = new float[WINDOW];
    private final float[] previous;
    private final int shift;
    private final int firstReusable;
    private final int endReusable;
    private boolean previousValid;

    /**
     * @param frames      frames per window
     * @param blockFrames frames the window moves by each time
     * @param edge16k     samples at each window edge that differ from window to window (resampler reach)
     */
    YinPitch(int frames, int blockFrames, int edge16k) {
        previous = new float[frames];
        shift = blockFrames;
        int reachFrames = (WINDOW / 2 + edge16k + 80 + 159) / 160;
        firstReusable = reachFrames;
        endReusable = Math.max(0, frames - blockFrames - reachFrames);
    }

    @Override
    public void track(float[] audio16k, int len, float[] hz) {
        for (int f = 0; f < hz.length; f++) {
            hz[f] = previousValid && f >= firstReusable && f < endReusable ? previous[f + shift] : pitchAt(audio16k, len, 160 * f + 80);
        }
        System.arraycopy(hz, 0, previous, 0, hz.length);
        previousValid = true;
    }

    @Override
    public void reset() {
        previousValid = false;
    }

    /** Hz of the frame centred at {@code centre} in {@code audio[0..len)}, or 0 when unvoiced. */
    float pitchAt(float[] audio, int len, int centre) {
        int start = Math.max(0, Math.min(len - WINDOW, centre - WINDOW / 2));
        for (int i = 0; i < WINDOW; i++) {
            int k = start + i;
            frame[i] = k >= 0 && k < len ? audio[k] : 0f;
        }
        return (float) RvcPitch.inRange(yin.pitchHz(frame));
    }
}
