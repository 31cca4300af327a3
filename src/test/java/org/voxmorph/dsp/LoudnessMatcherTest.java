package org.voxmorph.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A voice 20 dB too quiet is brought to the input's level; the gain settles and then holds
 * through words and pauses (no pumping); block sizes do not matter; nothing is allocated.
 */
class LoudnessMatcherTest {
    private static final int RATE = 16000;

    /** Runs input → (input × 0.1) → matcher in blocks of {@code block}; returns the output and the gain per sample. */
    private static float[][] run(float[] in, int block) {
        LoudnessMatcher m = new LoudnessMatcher(RATE);
        float[] out = new float[in.length];
        float[] gain = new float[in.length];
        for (int i = 0; i < in.length; i += block) {
            int n = Math.min(block, in.length - i);
            m.measureInput(in, i, n);
            for (int j = i; j < i + n; j++) {
                out[j] = 0.1f * in[j];
            }
            m.apply(out, i, n);
            gain[i + n - 1] = (float) m.gain();
        }
        return new float[][] {out, gain};
    }

    @Test
    void aQuietVoiceComesUpToTheInputsLevelAndStaysThere() throws Exception {
        float[] a = Speech.vctk("p226", "008");
        float[] b = Speech.vctk("p226", "003");
        float[] in = new float[a.length + b.length];
        System.arraycopy(a, 0, in, 0, a.length);
        System.arraycopy(b, 0, in, a.length, b.length);
        float[][] r = run(in, 160);
        double ratioDb = 20 * Math.log10(Signals.rms(r[0], a.length, in.length) / Signals.rms(in, a.length, in.length));
        System.out.printf("loudness matcher: second sentence %+.2f dB against the input%n", ratioDb);
        assertEquals(0, ratioDb, 0.5);
        double low = Double.MAX_VALUE;
        double high = 0;
        for (int i = a.length; i < in.length; i += 160) {
            double g = r[1][i + 159 < in.length ? i + 159 : in.length - 1];
            if (g > 0) {
                low = Math.min(low, g);
                high = Math.max(high, g);
            }
        }
        System.out.printf("gain over the second sentence: %.2f..%.2f dB%n", 20 * Math.log10(low), 20 * Math.log10(high));
        assertTrue(20 * Math.log10(high / low) < 1.5, "the gain pumps: " + low + ".." + high);
    }

    @Test
    void blockSizeDoesNotMatterAndNothingIsAllocated() throws Exception {
        float[] in = Speech.vctk("p225", "003");
        assertArrayEquals(run(in, 64)[0], run(in, 1000)[0], 1e-7f);
        LoudnessMatcher m = new LoudnessMatcher(48000);
        float[] block = new float[480];
        long bytes = Signals.allocatedBytes(() -> {
            for (int i = 0; i < 1000; i++) {
                System.arraycopy(in, (i % 50) * 480, block, 0, 480);
                m.measureInput(block, 0, 480);
                m.apply(block, 0, 480);
            }
        });
        assertTrue(bytes < 1000, bytes + " bytes allocated over 1000 blocks");
    }
}
