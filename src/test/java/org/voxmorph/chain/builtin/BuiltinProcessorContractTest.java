package org.voxmorph.chain.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.BlockRunner;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorRegistry;
import org.voxmorph.chain.StreamSpec;
import org.voxmorph.dsp.Signals;

/** The house rules, checked for every processor of this package that the registry finds. */
class BuiltinProcessorContractTest {
    private static final int MAX_BLOCK = 4096;

    private static Processor prepared(String id, int rate) {
        Processor p = ProcessorRegistry.builtIn().get(id).create();
        p.prepare(new StreamSpec(rate, MAX_BLOCK));
        return p;
    }

    /** Runs x through a fresh processor in blocks whose sizes {@code sizes} picks from the block index. */
    private static float[] run(String id, int rate, float[] x, IntUnaryOperator sizes) {
        Processor p = prepared(id, rate);
        return BlockRunner.run(p, x, MAX_BLOCK, sizes);
    }

    private static float[] scaled(float[] x, double gain) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) (x[i] * gain);
        }
        return y;
    }

    @ParameterizedTest
    @ValueSource(strings = {"gain", "noise-gate", "high-pass", "low-pass", "eq", "limiter", "compressor", "ring-mod", "comb", "saturate", "watermark"})
    void outputDoesNotDependOnBlockSizes(String id) throws Exception {
        int[] rate = new int[1];
        float[] speech = Signals.readWav("../shared/speech/vctk_p225/p225_003.wav", rate);
        float[][] inputs = {speech, scaled(speech, 10), Signals.sine(440, 48000, 48000, 0.5)};
        int[] rates = {rate[0], rate[0], 48000};
        for (int k = 0; k < inputs.length; k++) {
            float[] reference = run(id, rates[k], inputs[k], b -> MAX_BLOCK);
            for (int size : new int[] {64, 160, 480, 1024}) {
                assertSame(id + " blocks of " + size, reference, run(id, rates[k], inputs[k], b -> size));
            }
            Random random = new Random(k);
            assertSame(id + " random blocks", reference,
                    run(id, rates[k], inputs[k], b -> 1 + random.nextInt(random.nextBoolean() ? 16 : MAX_BLOCK)));
        }
    }

    private static void assertSame(String what, float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > 1e-4) {
                throw new AssertionError(what + ": sample " + i + " is " + actual[i] + ", expected " + expected[i]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gain", "noise-gate", "high-pass", "low-pass", "eq", "limiter", "compressor", "ring-mod", "comb", "saturate", "watermark"})
    void anImpulseComesOutExactlyAtTheDeclaredLatency(String id) {
        for (int rate : new int[] {16000, 48000}) {
            float[] x = new float[2000];
            x[0] = 0.25f;
            float[] y = run(id, rate, x, b -> 256);
            int latency = prepared(id, rate).latencySamples();
            for (int i = 0; i < latency; i++) {
                assertEquals(0f, y[i], id + " at " + rate + " Hz: output before the declared latency " + latency);
            }
            assertNotEquals(0f, y[latency], id + " at " + rate + " Hz: nothing at the declared latency " + latency);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gain", "noise-gate", "high-pass", "low-pass", "eq", "limiter", "compressor", "ring-mod", "comb", "saturate", "watermark"})
    void processDoesNotAllocate(String id) {
        Processor p = prepared(id, 48000);
        AudioBlock block = new AudioBlock(MAX_BLOCK);
        float[] tone = Signals.sine(300, 48000, 480, 2.0);
        long bytes = Signals.allocatedBytes(() -> {
            for (int i = 0; i < 100; i++) {
                System.arraycopy(tone, 0, block.samples(), 0, tone.length);
                block.setFrames(tone.length);
                p.process(block);
            }
        });
        assertEquals(0, bytes, id + " allocated in process()");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gain", "noise-gate", "high-pass", "low-pass", "eq", "limiter", "compressor", "ring-mod", "comb", "saturate", "watermark"})
    void costsLittleTimeAt48kHz(String id) {
        float[] noise = new float[48000];
        Random random = new Random(1);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (random.nextGaussian() * 0.3);
        }
        double realTimeFactor = Double.MAX_VALUE; // best of a few runs: the first ones warm up the JIT
        for (int attempt = 0; attempt < 4; attempt++) {
            long t0 = System.nanoTime();
            run(id, 48000, noise, b -> 480);
            realTimeFactor = Math.min(realTimeFactor, (System.nanoTime() - t0) / 1e9);
        }
        System.out.printf("%s: %.4f x real time at 48 kHz%n", id, realTimeFactor);
        // Generous: a whole preset of several stages must stay under 0.05 on a shared machine.
        assertTrue(realTimeFactor < 0.02, id + " took " + realTimeFactor + " x real time");
    }
}
