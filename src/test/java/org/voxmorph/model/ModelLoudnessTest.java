package org.voxmorph.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.voxmorph.chain.BlockRunner;
import org.voxmorph.chain.StreamSpec;
import org.voxmorph.dsp.Speech;

/**
 * The shipped neural voices come out at the input's loudness: speech-active RMS (20 ms frames
 * within 30 dB of the loudest, a test-side meter) of the output against the input, on two unseen
 * VCTK speakers (p225 female, p226 male) and two target voices (awb, slt); without the loudness
 * matcher the voices' output levels differed by about 15 dB between speakers, and slt clipped.
 */
class ModelLoudnessTest {
    private static final int RATE = 16000;
    private static String previousModels;

    @BeforeAll
    static void useShippedModels() {
        previousModels = System.getProperty("voxmorph.models");
        System.setProperty("voxmorph.models", Path.of("models").toString());
    }

    @AfterAll
    static void restore() {
        if (previousModels == null) {
            System.clearProperty("voxmorph.models");
        } else {
            System.setProperty("voxmorph.models", previousModels);
        }
    }

    static double activeRmsDb(float[] x) {
        int f = RATE / 50;
        int frames = x.length / f;
        double[] p = new double[frames];
        double loudest = 0;
        for (int k = 0; k < frames; k++) {
            for (int i = k * f; i < (k + 1) * f; i++) {
                p[k] += x[i] * x[i];
            }
            p[k] /= f;
            loudest = Math.max(loudest, p[k]);
        }
        double sum = 0;
        int n = 0;
        for (double v : p) {
            if (v > loudest * 1e-3) {
                sum += v;
                n++;
            }
        }
        return 10 * Math.log10(sum / n);
    }

    @Test
    void modelVoicesComeOutAtTheInputsLoudness() throws Exception {
        for (String source : new String[] {"p225", "p226"}) {
            // Two sentences: the second is measured, as a listener hears the voice once it has settled.
            float[] first = Speech.vctk(source, "008");
            float[] second = Speech.vctk(source, "003");
            float[] in = new float[first.length + second.length];
            System.arraycopy(first, 0, in, 0, first.length);
            System.arraycopy(second, 0, in, first.length, second.length);
            for (int speaker : new int[] {0, 2}) {
                ModelProcessor p = new ModelProcessor();
                p.parameters().get("model").setText("voxmorph-voices");
                p.parameters().get("speaker").set(speaker);
                p.prepare(new StreamSpec(RATE, 4096));
                float[] out = BlockRunner.run(p, in, 4096, b -> 160);
                p.close();
                int delay = p.latencySamples();
                float[] measuredOut = java.util.Arrays.copyOfRange(out, Math.min(out.length, first.length + delay), out.length);
                double inDb = activeRmsDb(second);
                double outDb = activeRmsDb(measuredOut);
                System.out.printf("loudness %s as speaker %d: input %.1f dBFS, output %.1f dBFS (%+.1f dB)%n",
                        source, speaker, inDb, outDb, outDb - inDb);
                assertEquals(inDb, outDb, 2.0, source + " as speaker " + speaker);
            }
        }
    }
}
