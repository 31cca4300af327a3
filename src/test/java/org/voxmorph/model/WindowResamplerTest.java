package org.voxmorph.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.voxmorph.dsp.Resampler;

class WindowResamplerTest {

    @ParameterizedTest
    @CsvSource({"48000, 16000", "44100, 16000", "40000, 48000", "32000, 44100", "16000, 16000"})
    void everyWindowMatchesTheSharedAlignedConversion(int from, int to) {
        float[] speech = TestModels.toRate(TestModels.speech16k(1.0), from);
        int window = from / 100 * 40;
        int outLength = to / 100 * 40;
        WindowResampler r = new WindowResampler(from, to, window);
        float[] out = new float[outLength];
        for (int start : new int[] {from / 10, from / 2}) {
            float[] in = java.util.Arrays.copyOfRange(speech, start, start + window);
            float[] expected = Resampler.resample(in, from, to);
            r.resample(in, out);
            double diff = TestModels.maxAbsDiff(expected, out);
            assertTrue(diff < 1e-5, from + " -> " + to + " at " + start + ": max difference " + diff);
        }
    }

    @ParameterizedTest
    @CsvSource({"48000, 16000", "44100, 16000"})
    void anImpulseLandsAtItsOwnTime(int from, int to) {
        int window = from / 100 * 40;
        float[] in = new float[window];
        in[from / 10] = 1f; // 100 ms in, which is a whole output sample at both rates
        float[] out = new float[to / 100 * 40];
        new WindowResampler(from, to, window).resample(in, out);
        assertTrue(TestModels.argMaxAbs(out) == to / 10, "peak at " + TestModels.argMaxAbs(out) + ", not " + to / 10);
        float[] mirrored = out.clone();
        for (int k = 1; k < 20; k++) {
            mirrored[to / 10 + k] = out[to / 10 - k];
        }
        assertArrayEquals(out, mirrored, 1e-6f, "the response is symmetric about the impulse: no fractional shift");
    }
}
