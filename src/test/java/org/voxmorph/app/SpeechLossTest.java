package org.voxmorph.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.voxmorph.audio.WavReader;

/**
 * The live tests' meter on known damage to real speech (VCTK p225, brought to 48 kHz): an intact
 * copy loses nothing whatever its delay; a 50 ms gap, inserted or written over the speech, is found
 * at its length and nothing else is (the alignment is followed past it); with both measures.
 */
class SpeechLossTest {
    static final int RATE = 48000;
    static final int BLOCK = 480;

    /** Linear interpolation to 48 kHz is enough for a meter that looks at shapes and levels. */
    static float[] speech() throws Exception {
        var a = WavReader.read(LivePulseAudioTest.SPEECH);
        assertEquals(16000, a.sampleRate());
        float[] x = a.samples();
        float[] y = new float[3 * (x.length - 1)];
        for (int i = 0; i < y.length; i++) {
            int j = i / 3;
            y[i] = x[j] + (x[j + 1] - x[j]) * (i % 3) / 3f;
        }
        return y;
    }

    static float[] delayed(float[] x, int by) {
        float[] y = new float[x.length + by];
        System.arraycopy(x, 0, y, by, x.length);
        return y;
    }

    /** The middle of the loudest second: speech for sure. */
    static int loudPart(float[] x) {
        int best = 0;
        double bestE = -1;
        for (int s = RATE; s + RATE < x.length; s += RATE / 10) {
            double e = 0;
            for (int i = s; i < s + RATE; i++) {
                e += x[i] * x[i];
            }
            if (e > bestE) {
                bestE = e;
                best = s + RATE / 2;
            }
        }
        return best;
    }

    /** x with {@code gap} samples of silence put in at {@code at}, everything after it later by as much. */
    static float[] withGap(float[] x, int at, int gap) {
        float[] y = new float[x.length + gap];
        System.arraycopy(x, 0, y, 0, at);
        System.arraycopy(x, at, y, at + gap, x.length - at);
        return y;
    }

    static SpeechLoss.Result exact(float[] x, float[] y) {
        return SpeechLoss.measure(x, y, RATE, BLOCK, RATE / 2, RATE);
    }

    static SpeechLoss.Result level(float[] x, float[] y) {
        return SpeechLoss.measureLevel(x, y, RATE, BLOCK, RATE / 2, RATE);
    }

    @Test
    void anIntactCopyLosesNothingAtAnyDelay() throws Exception {
        float[] x = speech();
        for (int delay : new int[] {0, 37, 3702}) {
            SpeechLoss.Result r = exact(x, delayed(x, delay));
            assertEquals(0, r.lostBlocks(), "delay " + delay + ": " + r);
            assertEquals(delay, r.lag());
            assertEquals(0, level(x, delayed(x, delay)).lostBlocks(), "level, delay " + delay);
        }
    }

    @Test
    void anInsertedGapIsFoundAtItsLengthAndTheRestIsHeard() throws Exception {
        float[] x = speech();
        float[] y = withGap(x, loudPart(x), RATE / 20);
        SpeechLoss.Result r = exact(x, delayed(y, 1500));
        assertTrue(r.longestGapMs() >= 40 && r.longestGapMs() <= 70, "exact: " + r);
        assertTrue(r.lostBlocks() <= 8, "only the gap is lost: " + r);
        SpeechLoss.Result l = level(x, delayed(y, 1500));
        assertTrue(l.longestGapMs() >= 30 && l.longestGapMs() <= 120, "level: " + l);
        assertTrue(l.lostBlocks() <= 16, "level: only about the gap is lost: " + l);
    }

    /** The middle of the first pause (100 ms more than 40 dB below the loudest block) after speech. */
    static int pause(float[] x) {
        double peak = 0;
        for (int s = 0; s + BLOCK <= x.length; s += BLOCK) {
            peak = Math.max(peak, energyOf(x, s));
        }
        int quiet = 0;
        boolean spoke = false;
        for (int s = 0; s + BLOCK <= x.length; s += BLOCK) {
            if (energyOf(x, s) > peak * 1e-4) {
                if (spoke && quiet >= 10) {
                    return s - quiet * BLOCK / 2;
                }
                spoke = true;
                quiet = 0;
            } else {
                quiet++;
            }
        }
        throw new AssertionError("no pause in the speech");
    }

    static double energyOf(float[] x, int s) {
        double e = 0;
        for (int i = s; i < s + BLOCK; i++) {
            e += x[i] * x[i];
        }
        return e;
    }

    /** What the pulse backend does to grow its queue: silence put into a pause, which costs no speech. */
    @Test
    void silencePutIntoAPauseLosesNothingAndInsideAWordItIsAGap() throws Exception {
        float[] x = speech();
        for (int at : new int[] {pause(x), loudPart(x)}) {
            float[] y = withGap(x, at, 3 * BLOCK);
            SpeechLoss.Result r = exact(x, delayed(y, 1500));
            SpeechLoss.Result l = level(x, delayed(y, 1500));
            if (at == loudPart(x)) {
                assertTrue(r.longestGapMs() >= 30, "inside a word, exact: " + r);
                assertTrue(l.longestGapMs() >= 20, "inside a word, level: " + l);
            } else {
                assertEquals(0, r.lostBlocks(), "in a pause, exact: " + r);
                assertEquals(0, l.lostBlocks(), "in a pause, level: " + l);
            }
        }
    }

    /** What ALSA's pulse plugin does after a stall: a new stream, half a second more delay from there on. */
    @Test
    void aLongGapIsCountedAtItsLengthAndWhatFollowsItIsFoundAgain() throws Exception {
        float[] x = speech();
        float[] y = withGap(x, loudPart(x) - RATE / 2, RATE / 2);
        SpeechLoss.Result r = exact(x, delayed(y, 1500));
        assertTrue(r.longestGapMs() >= 450 && r.longestGapMs() <= 550, "exact: " + r);
        // The gap's 50 blocks and about 20 more around it, not all that follows (184 blocks, the
        // longest gap 750 ms, before the alignment was searched again after a long loss).
        assertTrue(r.lostBlocks() <= 75, "about only the gap is lost: " + r);
    }

    @Test
    void speechWrittenOverIsLostEvenWhereTheLevelStays() throws Exception {
        float[] x = speech();
        int at = loudPart(x);
        float[] y = Arrays.copyOf(x, x.length);
        // 50 ms of the speech a second earlier, in place of what was said: as loud, but wrong.
        System.arraycopy(x, at - RATE, y, at, RATE / 20);
        SpeechLoss.Result r = exact(x, y);
        assertTrue(r.longestGapMs() >= 40 && r.longestGapMs() <= 60, "exact: " + r);
        // A silent stretch instead: both measures find it.
        Arrays.fill(y, at, at + RATE / 20, 0f);
        assertTrue(exact(x, y).longestGapMs() >= 40, "exact, silence: " + exact(x, y));
        assertTrue(level(x, y).longestGapMs() >= 30, "level, silence: " + level(x, y));
    }
}
