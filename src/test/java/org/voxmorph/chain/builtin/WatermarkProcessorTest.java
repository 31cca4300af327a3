package org.voxmorph.chain.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.BlockRunner;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorRegistry;
import org.voxmorph.chain.StreamSpec;
import org.voxmorph.dsp.Resampler;
import org.voxmorph.dsp.Signals;
import org.voxmorph.dsp.WatermarkDetector;

class WatermarkProcessorTest {
    private static final int MAX_BLOCK = 4096;

    private static Processor prepared(int rate, double strengthDb, int voiceId) {
        Processor p = ProcessorRegistry.builtIn().get("watermark").create();
        p.parameters().get("strengthDb").set(strengthDb);
        p.parameters().get("voiceId").set(voiceId);
        p.prepare(new StreamSpec(rate, MAX_BLOCK));
        return p;
    }

    private static float[] run(Processor p, float[] x, IntUnaryOperator sizes) {
        return BlockRunner.run(p, x, MAX_BLOCK, sizes);
    }

    private static float[] speech(int rate) throws Exception {
        int[] fileRate = new int[1];
        float[] x = Signals.readWav("../shared/speech/vctk_p227/p227_005.wav", fileRate);
        return Resampler.resample(x, fileRate[0], rate);
    }

    @Test
    void registeredWithItsDefaults() {
        Processor p = ProcessorRegistry.builtIn().get("watermark").create();
        assertEquals(-25, p.parameters().get("strengthDb").defaultValue());
        assertEquals(-1, p.parameters().get("voiceId").defaultValue());
    }

    @Test
    void outputDoesNotDependOnBlockSizes() throws Exception {
        for (int rate : new int[] {16000, 48000}) {
            float[] x = speech(rate);
            float[] reference = run(prepared(rate, -25, 42), x, b -> MAX_BLOCK);
            Random random = new Random(rate);
            IntUnaryOperator[] splits = {b -> 64, b -> 160, b -> 480, b -> 1024,
                b -> 1 + random.nextInt(random.nextBoolean() ? 16 : MAX_BLOCK)};
            for (IntUnaryOperator split : splits) {
                float[] y = run(prepared(rate, -25, 42), x, split);
                for (int i = 0; i < x.length; i++) {
                    assertEquals(reference[i], y[i], 1e-4, "at " + rate + " Hz, sample " + i);
                }
            }
        }
    }

    @Test
    void addsNoDelay() throws Exception {
        assertEquals(0, prepared(48000, -25, -1).latencySamples());
        float[] impulse = new float[4800];
        impulse[0] = 0.25f;
        assertEquals(0.25f, run(prepared(48000, -25, -1), impulse, b -> 256)[0], "the impulse must come out at once, untouched");

        // On speech the output lines up with the input: the best match is at lag 0, and the rest is 25 dB down.
        float[] x = speech(48000);
        float[] y = run(prepared(48000, -25, -1), x, b -> 480);
        int bestLag = 0;
        double best = Double.NEGATIVE_INFINITY;
        for (int lag = -48; lag <= 48; lag++) {
            double c = 0;
            for (int i = 100; i < x.length - 100; i++) {
                c += (double) x[i] * y[i + lag];
            }
            if (c > best) {
                best = c;
                bestLag = lag;
            }
        }
        assertEquals(0, bestLag);
    }

    @Test
    void strengthAndVoiceIdAreObeyed() throws Exception {
        float[] x = speech(48000);
        double[] markRms = new double[2];
        double[] strengths = {-25, -35};
        for (int k = 0; k < 2; k++) {
            float[] y = run(prepared(48000, strengths[k], -1), x, b -> 480);
            for (int i = 0; i < y.length; i++) {
                y[i] -= x[i];
            }
            markRms[k] = Signals.rms(y, 0, y.length);
        }
        assertEquals(10, Signals.db(markRms[0] / markRms[1]), 0.1, "10 dB less strength, 10 dB less watermark");

        float[] twice = new float[2 * x.length];
        System.arraycopy(x, 0, twice, 0, x.length);
        System.arraycopy(x, 0, twice, x.length, x.length);
        assertEquals(31337, WatermarkDetector.detect(run(prepared(48000, -25, 31337), twice, b -> 480), 48000).voiceId());
    }

    @Test
    void processDoesNotAllocateAndCostsLittle() {
        Processor p = prepared(48000, -25, 7);
        AudioBlock block = new AudioBlock(MAX_BLOCK);
        float[] tone = Signals.sine(1500, 48000, 480, 0.5);
        long bytes = Signals.allocatedBytes(() -> {
            for (int i = 0; i < 100; i++) {
                System.arraycopy(tone, 0, block.samples(), 0, tone.length);
                block.setFrames(tone.length);
                p.process(block);
            }
        });
        assertEquals(0, bytes, "watermark allocated in process()");

        float[] noise = new float[48000];
        Random random = new Random(1);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (random.nextGaussian() * 0.1);
        }
        double realTimeFactor = Double.MAX_VALUE; // best of a few runs: the first ones warm up the JIT
        for (int attempt = 0; attempt < 4; attempt++) {
            Processor fresh = prepared(48000, -25, -1);
            long t0 = System.nanoTime();
            run(fresh, noise, b -> 480);
            realTimeFactor = Math.min(realTimeFactor, (System.nanoTime() - t0) / 1e9);
        }
        System.out.printf("watermark: %.4f x real time at 48 kHz%n", realTimeFactor);
        assertTrue(realTimeFactor < 0.02, "watermark took " + realTimeFactor + " x real time");
    }
}
