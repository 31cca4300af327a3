package org.voxmorph.dsp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helper: reads the shared 16-bit mono speech WAVs and makes synthetic signals. */
public final class Speech {
    public static final Path ROOT = Path.of("../shared/speech");

    private Speech() {
    }

    /** An utterance of a VCTK speaker, e.g. {@code vctk("p225", "003")}. */
    public static float[] vctk(String speaker, String utterance) throws IOException {
        return readWav(ROOT.resolve("vctk_" + speaker).resolve(speaker + "_" + utterance + ".wav"));
    }

    public static float[] readWav(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) {
            throw new IOException(file + ": not a RIFF/WAVE file");
        }
        int pos = 12;
        int channels = 0;
        int bits = 0;
        while (pos + 8 <= b.limit()) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            if (id == 0x20746d66) { // "fmt "
                channels = b.getShort(pos + 10);
                bits = b.getShort(pos + 22);
            } else if (id == 0x61746164) { // "data"
                if (channels != 1 || bits != 16) {
                    throw new IOException(file + ": expected 16-bit mono, got " + bits + "-bit " + channels + " channels");
                }
                int n = Math.min(size, b.limit() - pos - 8) / 2;
                float[] x = new float[n];
                for (int i = 0; i < n; i++) {
                    x[i] = b.getShort(pos + 8 + 2 * i) / 32768f;
                }
                return x;
            }
            pos += 8 + size + (size & 1);
        }
        throw new IOException(file + ": no data chunk");
    }

    /** Linear-interpolation resampling, good enough to feed speech at other rates in tests. */
    public static float[] resample(float[] x, double from, double to) {
        int n = (int) Math.floor((x.length - 1) * to / from);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            double t = i * from / to;
            int k = (int) t;
            double f = t - k;
            y[i] = (float) (x[k] * (1 - f) + x[Math.min(k + 1, x.length - 1)] * f);
        }
        return y;
    }
}
