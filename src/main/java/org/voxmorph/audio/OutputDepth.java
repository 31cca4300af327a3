package org.voxmorph.audio;

/**
 * How many periods of sound a device thread keeps queued in the sound server ahead of what plays,
 * as PulseAudio clients grow their target length on an underflow (WebRTC adds 20 ms each time):
 * {@code floor} periods while all goes well, one more after each underflow, up to {@code cap}, and
 * one fewer after {@code quietPeriods} without one. A queue that is deeper than it should be is
 * trimmed only by leaving out a quiet period (a pause in the voice), never by cutting sound.
 *
 * <p>Why it matters: on a busy machine the server's main thread, which carries every client's
 * samples from the socket to the sink, runs late by tens of milliseconds at normal priority (a
 * desktop PulseAudio runs it so too); whatever is already queued in the sink plays on meanwhile, and
 * only a queue shorter than the delay underruns. Plain arithmetic: safe on the device thread.
 */
public final class OutputDepth {
    /** Below this level (about -60 dBFS) a period is a pause that may be left out. */
    static final float QUIET_RMS = 0.001f;

    private final int floor;
    private final int cap;
    private final long quietPeriods;
    private volatile int target;
    private long sinceUnderflow;
    private int excess;

    /**
     * @param floorPeriods periods queued when all goes well
     * @param capPeriods   the most it grows to
     * @param quietPeriods periods without an underflow before it shrinks one step
     */
    public OutputDepth(int floorPeriods, int capPeriods, long quietPeriods) {
        if (floorPeriods < 1 || capPeriods < floorPeriods || quietPeriods <= 0) {
            throw new IllegalArgumentException("output depth: floor " + floorPeriods + ", cap " + capPeriods
                    + ", quiet " + quietPeriods);
        }
        this.floor = floorPeriods;
        this.cap = capPeriods;
        this.quietPeriods = quietPeriods;
        this.target = floorPeriods;
    }

    /** Periods to queue now: what to prime a fresh (or restarted) output with. */
    public int targetPeriods() {
        return target;
    }

    /**
     * The device found its output empty (the server restarted the stream empty, so the whole target
     * is to be primed again): one period deeper, up to the cap. Returns the new target.
     */
    public int underflow() {
        sinceUnderflow = 0;
        excess = 0;
        if (target < cap) {
            target++;
        }
        return target;
    }

    /**
     * A period is about to be written; returns false where it should be left out instead: the queue
     * is a step deeper than needed after a quiet spell, and this period is a pause.
     */
    public boolean keep(float[] period, int offset, int n) {
        if (++sinceUnderflow >= quietPeriods && target > floor) {
            target--;
            excess++;
            sinceUnderflow = 0;
        }
        if (excess > 0 && rms(period, offset, n) < QUIET_RMS) {
            excess--;
            return false;
        }
        return true;
    }

    private static float rms(float[] x, int offset, int n) {
        double sum = 0;
        for (int i = offset; i < offset + n; i++) {
            sum += x[i] * x[i];
        }
        return (float) Math.sqrt(sum / Math.max(1, n));
    }
}
