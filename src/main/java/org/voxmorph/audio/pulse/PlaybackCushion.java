package org.voxmorph.audio.pulse;

import org.voxmorph.audio.ReservePolicy;

/**
 * How much output the pulse backend keeps queued in the server ahead of the sink: the cushion
 * that rides out a late server (its main thread, which carries every client's samples, is not
 * real-time, and a busy machine delays it now and then). The target follows a
 * {@link ReservePolicy}: one step more after each underrun or late delivery, and at once twice the
 * stall just seen where that is more, one step back after a quiet spell. Twice, because a stall is
 * one draw from a wide spread: a nice -11 thread under {@code stress-ng --cpu 2} here woke 5-13 ms
 * late about every 10 s and 29-40 ms late twice in 145 s, and a cushion grown a step per underrun
 * met a 78 ms stall at 33 ms (a 45 ms gap). And because the first long stall gives no warning, the
 * target is held at {@code busyFrames} or more while the machine's processors are all busy (see
 * {@link org.voxmorph.audio.CpuSaturation}): the latency is paid where the server stalls, and
 * nowhere else. The queue is moved towards the target only where that cannot be heard: a period
 * that is near silence, after one that was too (inside a pause), is dropped when the queue holds
 * half a period or more beyond the target, and gets a period of silence before it when the queue
 * is more than half a period short, once per pause: a pause made a period longer is not heard, one
 * made 60 ms longer (the busy hold reached in one pause) is a hesitation, and the live tests' meter
 * read it as a 60-80 ms gap. Not at the first quiet period after a word: the step fell on the
 * word's fading end, and the live-loss meter read 20 ms there 16 dB and more below an offline
 * render. Speech is never dropped, and an underrun (the server restarts playback as soon as data
 * comes, nothing is re-created) costs only its own length; the data after it simply plays later,
 * until the next pause takes it back.
 * One bound: a queue beyond {@code boundFrames} (the server stopped playing for far longer than
 * any cushion) is cut back whatever it holds, rather than kept as lasting delay.
 *
 * <p>Frames throughout; plain arithmetic, called from the device thread once per period.
 */
final class PlaybackCushion {
    /** What to do with the period about to be written. */
    enum Action { WRITE, DROP, PAD_AND_WRITE }

    /** Below -50 dBFS (RMS) a period counts as silence: a pause between words, not speech. */
    static final float SILENT_RMS = 0.00316f;

    private final int period;
    private final long bound;
    private final int busy;
    private final ReservePolicy target;
    private boolean lastSilent;
    private boolean paddedThisPause;

    /**
     * @param periodFrames one device period: the unit the queue is moved by
     * @param floorFrames  the target with no trouble
     * @param stepFrames   what one upset adds to the target, and one quiet spell takes away
     * @param capFrames    the most the target grows to
     * @param quietFrames  a spell this long without an upset shrinks the target a step
     * @param mergeFrames  upsets this soon after a step are the same upset
     * @param boundFrames  a queue this long is cut back even where it is not silent
     * @param busyFrames   the least target while the machine is busy
     */
    PlaybackCushion(int periodFrames, int floorFrames, int stepFrames, int capFrames, long quietFrames, long mergeFrames,
            long boundFrames, int busyFrames) {
        this.period = periodFrames;
        this.bound = boundFrames;
        this.busy = busyFrames;
        this.target = new ReservePolicy(floorFrames, stepFrames, capFrames, quietFrames, mergeFrames);
    }

    /** The frames to keep queued now. */
    int targetFrames() {
        return target.reserveFrames();
    }

    /**
     * One period is about to be written.
     *
     * @param queuedFrames frames queued in the server ahead of it (not counting the sink's own
     *                     buffer), or negative while unknown
     * @param upset        an underrun or a late delivery happened since the last period
     * @param stallFrames  how long the server just stalled, where known (the input that came at once
     *                     after it), else 0
     * @param silent       the period is near silence
     * @param machineBusy  the machine's processors are all busy
     */
    Action next(long queuedFrames, boolean upset, long stallFrames, boolean silent, boolean machineBusy) {
        int t = target.advance(period, upset, (int) Math.min(Integer.MAX_VALUE, 2 * stallFrames), machineBusy ? busy : 0);
        boolean inPause = silent && lastSilent;
        lastSilent = silent;
        if (!silent) {
            paddedThisPause = false;
        }
        if (queuedFrames >= bound) {
            return Action.DROP;
        }
        if (queuedFrames < 0 || !inPause) {
            return Action.WRITE;
        }
        // Within half a period of the target either way is on target: a period is the smallest move.
        if (queuedFrames >= t + period / 2) {
            return Action.DROP;
        }
        if (queuedFrames < t - period / 2 && !paddedThisPause) {
            paddedThisPause = true;
            return Action.PAD_AND_WRITE;
        }
        return Action.WRITE;
    }

    /** Whether n samples from off are near silence (see {@link #SILENT_RMS}). */
    static boolean silent(float[] x, int off, int n) {
        double e = 0;
        for (int i = off; i < off + n; i++) {
            e += x[i] * x[i];
        }
        return e <= (double) SILENT_RMS * SILENT_RMS * n;
    }
}
