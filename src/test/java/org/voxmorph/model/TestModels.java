package org.voxmorph.model;

import java.io.IOException;
import java.nio.file.Path;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.voxmorph.chain.BlockRunner;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.StreamSpec;

/** Shared helpers: the committed fixture packages, real speech, and running a processor in uneven blocks. */
final class TestModels {
    static final Path FIXTURES = Path.of("src/test/resources/models");
    static final Path BARE = Path.of("src/test/resources/onnx");

    private TestModels() {
    }

    static void useFixtures() {
        System.setProperty("voxmorph.models", FIXTURES.toString());
    }

    static ModelProcessor processor(String id, int rate) {
        useFixtures();
        ModelProcessor p = new ModelProcessor();
        p.parameters().get("model").setText(id);
        // The fixtures are checked against their graphs' exact output: no level matching on top.
        p.parameters().get("matchLevel").set(0);
        p.prepare(new StreamSpec(rate, 4096));
        return p;
    }

    /** 16 kHz speech from ../shared/speech, first {@code seconds}. */
    static float[] speech16k(double seconds) {
        Path wav = Path.of("../shared/speech/vctk_p225/p225_003.wav");
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            byte[] bytes = in.readAllBytes();
            int n = Math.min(bytes.length / 2, (int) (seconds * 16000));
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (short) ((bytes[2 * i] & 0xff) | (bytes[2 * i + 1] << 8)) / 32768f;
            }
            return x;
        } catch (IOException | UnsupportedAudioFileException e) {
            throw new IllegalStateException(wav + ": " + e.getMessage(), e);
        }
    }

    /** Linear-interpolated copy at another rate (test input only; the exact resampling is not under test). */
    static float[] toRate(float[] x16k, int rate) {
        int n = (int) ((long) x16k.length * rate / 16000);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double pos = i * 16000.0 / rate;
            int k = (int) pos;
            double f = pos - k;
            y[i] = (float) (x16k[k] * (1 - f) + (k + 1 < x16k.length ? x16k[k + 1] : 0) * f);
        }
        return y;
    }

    /** Runs the processor over x in blocks of pseudo-random sizes 1..maxBlock (seeded), returning the output. */
    static float[] run(Processor p, float[] x, int maxBlock, long seed) {
        java.util.Random r = new java.util.Random(seed);
        return BlockRunner.run(p, x, maxBlock, b -> maxBlock == 1 ? 1 : 1 + r.nextInt(maxBlock));
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    static int argMaxAbs(float[] y) {
        int best = 0;
        for (int i = 1; i < y.length; i++) {
            if (Math.abs(y[i]) > Math.abs(y[best])) {
                best = i;
            }
        }
        return best;
    }
}
