package org.voxmorph.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The output queue's depth policy on simulated periods, so nothing depends on the machine's load:
 * underflows deepen it a period at a time up to the cap, a quiet spell makes it a period shallower,
 * and a deeper-than-needed queue is trimmed only by leaving out a pause, never by cutting sound.
 */
class OutputDepthTest {
    static final int PERIOD = 480;
    static final long QUIET = 3000;  // 30 s of 10 ms periods

    static final float[] VOICE = new float[PERIOD];
    static final float[] PAUSE = new float[PERIOD];

    static {
        for (int i = 0; i < PERIOD; i++) {
            VOICE[i] = (float) (0.25 * Math.sin(2 * Math.PI * 200 * i / 48000.0));
            PAUSE[i] = (float) (1e-5 * Math.sin(2 * Math.PI * 200 * i / 48000.0));  // -100 dBFS: room noise at most
        }
    }

    /** Periods left out while {@code n} periods of that sound are written. */
    static int leftOut(OutputDepth d, float[] sound, long n) {
        int out = 0;
        for (long i = 0; i < n; i++) {
            if (!d.keep(sound, 0, PERIOD)) {
                out++;
            }
        }
        return out;
    }

    @Test
    void eachUnderflowAddsAPeriodUpToTheCap() {
        OutputDepth d = new OutputDepth(2, 6, QUIET);
        assertEquals(2, d.targetPeriods());
        for (int k = 1; k <= 8; k++) {
            leftOut(d, VOICE, 100);
            assertEquals(Math.min(6, 2 + k), d.underflow(), "after underflow " + k);
        }
        assertEquals(6, d.targetPeriods(), "capped");
    }

    @Test
    void aQuietSpellGivesAPeriodBackByLeavingOutOnePause() {
        OutputDepth d = new OutputDepth(2, 6, QUIET);
        d.underflow();
        d.underflow();
        assertEquals(4, d.targetPeriods());
        assertEquals(0, leftOut(d, VOICE, QUIET - 1), "not before the quiet spell is over");
        assertEquals(4, d.targetPeriods());
        // The spell ends while the voice goes on: the depth target drops, but no voice is cut.
        assertEquals(0, leftOut(d, VOICE, 500), "a period of voice is never left out");
        assertEquals(3, d.targetPeriods());
        // The next pause is left out, exactly one period of it.
        assertEquals(1, leftOut(d, PAUSE, 50));
        // Another spell, another step, down to the floor and no further.
        assertEquals(1, leftOut(d, PAUSE, QUIET));
        assertEquals(2, d.targetPeriods());
        assertEquals(0, leftOut(d, PAUSE, 3 * QUIET), "never below the floor");
        assertEquals(2, d.targetPeriods());
    }

    @Test
    void anUnderflowCancelsATrimNotYetDone() {
        OutputDepth d = new OutputDepth(2, 6, QUIET);
        d.underflow();
        leftOut(d, VOICE, QUIET + 10);
        assertEquals(2, d.targetPeriods(), "shrunk, the pause to leave out still owed");
        // The server restarted the stream empty and it is primed to the new target: nothing is owed.
        assertEquals(3, d.underflow());
        assertEquals(0, leftOut(d, PAUSE, 100));
    }

    @Test
    void aContinuousVoiceIsNeverCut() {
        OutputDepth d = new OutputDepth(1, 6, 10);
        for (int i = 0; i < 5; i++) {
            d.underflow();
        }
        assertEquals(0, leftOut(d, VOICE, 10_000));
        assertEquals(1, d.targetPeriods());
        assertTrue(d.keep(VOICE, 0, PERIOD));
        assertFalse(d.keep(PAUSE, 0, PERIOD), "the owed trims wait for the first pause");
    }

    @Test
    void refusesASenselessPolicy() {
        assertThrows(IllegalArgumentException.class, () -> new OutputDepth(0, 4, QUIET));
        assertThrows(IllegalArgumentException.class, () -> new OutputDepth(3, 2, QUIET));
        assertThrows(IllegalArgumentException.class, () -> new OutputDepth(2, 4, 0));
    }
}
