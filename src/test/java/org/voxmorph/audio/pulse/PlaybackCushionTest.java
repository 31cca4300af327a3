package org.voxmorph.audio.pulse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.voxmorph.audio.pulse.PlaybackCushion.Action;

/**
 * The pulse backend's cushion on simulated time, in frames: a server queue that plays one period
 * per period and gets what the cushion decides to write. Underruns grow the target a step at a
 * time; the queue follows the target only through periods of silence, so speech is never dropped
 * and never has silence put into it.
 */
class PlaybackCushionTest {
    static final int RATE = 48000;
    static final int P = 480;
    static final int FLOOR = P / 2;
    static final int CAP = 9600;
    static final long QUIET = 30L * RATE;
    static final long BOUND = RATE / 2;
    static final int BUSY = 6 * P;

    static PlaybackCushion cushion() {
        return new PlaybackCushion(P, FLOOR, P, CAP, QUIET, RATE / 10, BOUND, BUSY);
    }

    /** A queue in the server fed by the cushion's decisions; counts what was dropped and padded. */
    static final class Queue {
        final PlaybackCushion c;
        boolean machineBusy;
        long queued;
        long droppedSilence;
        long droppedSpeech;
        long paddedInSpeech;
        long padded;

        Queue(PlaybackCushion c, long queued) {
            this.c = c;
            this.queued = queued;
        }

        /** One period: the sink plays a period (or runs dry), then the cushion decides on the next. */
        void period(boolean underrun, boolean silent) {
            period(underrun, 0, silent);
        }

        /** As {@link #period(boolean, boolean)}, after a server stall of {@code stall} frames (0: none known). */
        void period(boolean underrun, long stall, boolean silent) {
            queued = Math.max(0, queued - P);
            Action a = c.next(queued, underrun, stall, silent, machineBusy);
            switch (a) {
                case DROP -> {
                    if (silent) {
                        droppedSilence += P;
                    } else {
                        droppedSpeech += P;
                    }
                }
                case PAD_AND_WRITE -> {
                    queued += 2L * P;
                    padded += P;
                    if (!silent) {
                        paddedInSpeech += P;
                    }
                }
                case WRITE -> queued += P;
            }
        }

        /** Speech of {@code speechPeriods} periods, then a pause of {@code pausePeriods}, repeated for a duration. */
        void talk(double seconds, int speechPeriods, int pausePeriods) {
            long periods = (long) (seconds * RATE / P);
            for (long k = 0; k < periods; k++) {
                period(false, k % (speechPeriods + pausePeriods) >= speechPeriods);
            }
        }
    }

    @Test
    void eachUnderrunGrowsTheTargetOneStep() {
        PlaybackCushion c = cushion();
        Queue q = new Queue(c, P);
        assertEquals(FLOOR, c.targetFrames());
        for (int k = 1; k <= 5; k++) {
            q.talk(1, 100, 0);
            q.period(true, false);
            assertEquals(FLOOR + k * P, c.targetFrames(), "after underrun " + k);
        }
        for (int k = 0; k < 30; k++) {
            q.talk(0.5, 100, 0);
            q.period(true, false);
        }
        assertEquals(CAP, c.targetFrames(), "capped");
    }

    @Test
    void underrunsInOneBurstAreOneStep() {
        PlaybackCushion c = cushion();
        Queue q = new Queue(c, P);
        for (int k = 0; k < 5; k++) {
            q.period(true, false);  // five periods in a row, 50 ms: one late spell
        }
        assertEquals(FLOOR + P, c.targetFrames());
    }

    @Test
    void aStallOfKnownLengthGrowsTheTargetAtOnceToTwiceIt() {
        PlaybackCushion c = cushion();
        Queue q = new Queue(c, P);
        q.talk(1, 100, 0);
        q.period(true, 4L * P, false);  // the server stalled 40 ms (40 ms of input came at once)
        assertEquals(8 * P, c.targetFrames(), "twice the stall");
        q.talk(0.05, 100, 0);
        q.period(true, 2L * P, false);  // a shorter one soon after: a step (merged), not less
        assertEquals(8 * P, c.targetFrames());
        q.talk(1, 100, 0);
        q.period(true, 2L * P, false);  // a shorter one later: one step more
        assertEquals(9 * P, c.targetFrames());
        q.period(false, 15L * P, false);  // a burst with no upset said changes nothing
        assertEquals(9 * P, c.targetFrames());
        q.talk(1, 100, 0);
        q.period(true, 100L * P, false);  // a second's stall: up to the cap, no further
        assertEquals(CAP, c.targetFrames());
        // And it comes back down a step per quiet spell, as after any upset.
        q.talk(31, 30, 10);
        assertEquals(CAP - P, c.targetFrames());
        assertEquals(0, q.droppedSpeech + q.paddedInSpeech);
    }

    @Test
    void theQueueGrowsToTheTargetOnlyInPauses() {
        PlaybackCushion c = cushion();
        Queue q = new Queue(c, P);
        for (int k = 0; k < 4; k++) {
            q.talk(0.3, 100, 0);
            q.period(true, false);
        }
        assertEquals(FLOOR + 4 * P, c.targetFrames());
        // Continuous speech: nothing is put into it, whatever the target says.
        q.talk(3, 100, 0);
        assertEquals(0, q.padded);
        // Speech with pauses: the queue reaches the target within the band, all of it in the pauses.
        q.talk(3, 40, 20);
        assertEquals(0, q.paddedInSpeech);
        assertTrue(q.padded > 0);
        // What the sink finds before each write: within half a period of the target either way.
        assertTrue(q.queued - P >= c.targetFrames() - P / 2 && q.queued - P < c.targetFrames() + P / 2,
                "queued " + q.queued + " against target " + c.targetFrames());
    }

    @Test
    void aStallsBacklogShrinksOnlyThroughSilence() {
        PlaybackCushion c = cushion();
        // A server stall left 150 ms queued (the input burst after it was all written).
        Queue q = new Queue(c, 15L * P);
        q.talk(5, 100, 0);
        assertEquals(0, q.droppedSpeech + q.droppedSilence, "continuous speech keeps its delay");
        q.talk(5, 30, 10);
        assertEquals(0, q.droppedSpeech, "no speech dropped");
        assertTrue(q.droppedSilence >= 12L * P, "dropped in the pauses: " + q.droppedSilence);
        assertTrue(q.queued - P < FLOOR + P / 2, "back at the target: " + q.queued);
    }

    @Test
    void theTargetShrinksAStepPerQuietSpell() {
        PlaybackCushion c = cushion();
        Queue q = new Queue(c, P);
        q.period(true, false);
        q.talk(1, 100, 0);
        q.period(true, false);
        assertEquals(FLOOR + 2 * P, c.targetFrames());
        q.talk(29, 30, 10);
        assertEquals(FLOOR + 2 * P, c.targetFrames(), "not yet");
        q.talk(2, 30, 10);
        assertEquals(FLOOR + P, c.targetFrames(), "one step after 30 s");
        q.talk(31, 30, 10);
        assertEquals(FLOOR, c.targetFrames(), "back to the floor");
        q.talk(60, 30, 10);
        assertEquals(FLOOR, c.targetFrames(), "never below it");
        assertEquals(0, q.droppedSpeech);
    }

    @Test
    void aBusyMachineHoldsTheTargetUpWithoutAnUpsetAndLetsItShrinkBackAfter() {
        PlaybackCushion c = cushion();
        Queue q = new Queue(c, P);
        q.talk(5, 30, 10);
        assertEquals(FLOOR, c.targetFrames());
        q.machineBusy = true;
        q.period(false, false);
        assertEquals(BUSY, c.targetFrames(), "held at once, before any stall");
        q.talk(120, 30, 10);
        assertEquals(BUSY, c.targetFrames(), "and for as long as the machine is busy");
        assertTrue(q.queued - P >= BUSY - P / 2, "the queue followed it in the pauses: " + q.queued);
        q.period(true, 10L * P, false);  // a 100 ms stall even so: twice it, as on a calm machine
        assertEquals(20 * P, c.targetFrames());
        q.talk(31, 30, 10);
        assertEquals(19 * P, c.targetFrames(), "shrinks a step per quiet spell");
        q.talk(31L * 14, 30, 10);
        assertEquals(BUSY, c.targetFrames(), "but not below the hold");
        q.machineBusy = false;
        q.talk(1, 30, 10);
        assertTrue(c.targetFrames() >= BUSY - P, "once calm, back down a step per quiet spell: " + c.targetFrames());
        q.talk(31L * 6, 30, 10);
        assertEquals(FLOOR, c.targetFrames());
        assertEquals(0, q.droppedSpeech + q.paddedInSpeech);
    }

    /** A word's soft end (a period under -50 dBFS right after speech) is left where it is. */
    @Test
    void theQueueMovesOnlyFromTheSecondQuietPeriodOfAPause() {
        PlaybackCushion c = cushion();
        c.next(P, true, 0, false, false);  // an underrun: the target is now a period and a half
        for (long queued : new long[] {0, 10L * P}) {  // short of the target, then beyond it
            assertEquals(Action.WRITE, c.next(queued, false, 0, false, false));
            assertEquals(Action.WRITE, c.next(queued, false, 0, true, false), "the first quiet period after speech");
            assertEquals(queued == 0 ? Action.PAD_AND_WRITE : Action.DROP, c.next(queued, false, 0, true, false),
                    "the second");
        }
    }

    /** A pause is made at most a period longer; dropping from it has no such limit (nothing is lost). */
    @Test
    void aPauseGetsOnePeriodOfSilenceAtMost() {
        PlaybackCushion c = cushion();
        Queue q = new Queue(c, P);
        q.machineBusy = true;
        q.talk(0.3, 30, 0);
        q.talk(0.5, 0, 50);  // one long pause, the target 6 periods above the queue
        assertEquals(P, q.padded, "one period in that pause");
        q.talk(6, 30, 20);  // then a period in each pause, up to the target
        assertTrue(q.queued - P >= BUSY - P / 2, "reached the busy target: " + q.queued);
        assertEquals(0, q.paddedInSpeech);
    }

    @Test
    void aQueueBeyondTheBoundIsCutEvenInSpeech() {
        PlaybackCushion c = cushion();
        Queue q = new Queue(c, BOUND + 5L * P);
        q.talk(1, 100, 0);
        assertTrue(q.queued <= BOUND, "queued " + q.queued);
        assertTrue(q.droppedSpeech > 0);
    }

    @Test
    void silenceIsMeasuredAtMinus50Dbfs() {
        float[] x = new float[P];
        java.util.Arrays.fill(x, 0.002f);
        assertTrue(PlaybackCushion.silent(x, 0, P));
        java.util.Arrays.fill(x, 0.01f);
        assertFalse(PlaybackCushion.silent(x, 0, P));
    }
}
