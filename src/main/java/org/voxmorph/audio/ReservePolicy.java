package org.voxmorph.audio;

/**
 * How many spare frames to keep ahead of a device, as real-time audio software sizes its buffers
 * (the engine's output reserve in the device bridge, the pulse backend's cushion in the server):
 * small while all goes well, one step more after each upset (a late block or a device xrun), up
 * to a cap, and one step back after a quiet spell without any. A busy machine
 * thus pays a little latency instead of repeated dropouts, and gets it back once it calms down.
 *
 * <p>Its clock is the frames the device has played, not the wall clock, so that it behaves the
 * same under test as on a device. Upsets within {@code mergeFrames} of the last step are one upset
 * (one late spell, or a burst of xruns, has one cause). Plain arithmetic on fields: safe to call
 * from the device thread; readers on other threads see {@link #reserveFrames} through a volatile.
 */
public final class ReservePolicy {
    private final int floor;
    private final int step;
    private final int cap;
    private final long quietFrames;
    private final long mergeFrames;
    private volatile int reserve;
    private long sinceUpset = Long.MAX_VALUE / 2;
    private long sinceChange = Long.MAX_VALUE / 2;

    /**
     * @param floorFrames the reserve with no trouble, and the least it shrinks back to
     * @param stepFrames  what one upset adds, and one quiet spell takes away
     * @param capFrames   the most it grows to
     * @param quietFrames how long without an upset before it shrinks one step
     * @param mergeFrames upsets this soon after the last step count as the same upset
     */
    public ReservePolicy(int floorFrames, int stepFrames, int capFrames, long quietFrames, long mergeFrames) {
        if (stepFrames <= 0 || capFrames < floorFrames || quietFrames <= 0) {
            throw new IllegalArgumentException("reserve policy: step " + stepFrames + ", floor " + floorFrames
                    + ", cap " + capFrames + ", quiet " + quietFrames);
        }
        this.floor = floorFrames;
        this.step = stepFrames;
        this.cap = capFrames;
        this.quietFrames = quietFrames;
        this.mergeFrames = mergeFrames;
        this.reserve = floorFrames;
    }

    /** The frames to keep in reserve now. */
    public int reserveFrames() {
        return reserve;
    }

    /**
     * Device thread: {@code frames} more were played, and {@code upset} says whether a late block or
     * an xrun happened in them. Returns the reserve to keep from now on.
     */
    public int advance(int frames, boolean upset) {
        return advance(frames, upset, 0);
    }

    /**
     * As {@link #advance(int, boolean)}, where an upset also says how much reserve would have covered
     * it: the reserve grows a step, and at once to {@code coverFrames} (up to the cap) if that is more.
     */
    public int advance(int frames, boolean upset, int coverFrames) {
        return advance(frames, upset, coverFrames, 0);
    }

    /**
     * As {@link #advance(int, boolean, int)}, and the reserve is kept at {@code holdFrames} or more
     * (up to the cap) for as long as the caller asks: raised to it at once, not shrunk below it.
     * Once the hold is lifted it shrinks back a step per quiet spell, as after upsets.
     */
    public int advance(int frames, boolean upset, int coverFrames, int holdFrames) {
        int r = reserve;
        sinceUpset += frames;
        sinceChange += frames;
        int hold = Math.min(cap, holdFrames);
        if (upset) {
            int grown = sinceChange >= mergeFrames ? r + step : r;
            grown = Math.min(cap, Math.max(grown, coverFrames));
            if (grown > r) {
                r = grown;
                sinceChange = 0;
            }
            sinceUpset = 0;
        } else if (r > Math.max(floor, hold) && sinceUpset >= quietFrames && sinceChange >= quietFrames) {
            r = Math.max(Math.max(floor, hold), r - step);
            sinceChange = 0;
        }
        if (r < hold) {
            r = hold;
            sinceChange = 0;
        }
        reserve = r;
        return r;
    }
}
