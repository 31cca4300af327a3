package org.voxmorph.engine;

import java.nio.file.Path;
import org.voxmorph.audio.MonoAudio;
import org.voxmorph.audio.WavReader;
import org.voxmorph.dsp.Resampler;

/** Real speech from ../shared/speech and simple synthetic signals. */
public final class TestSignals {
    public static final Path SPEECH = Path.of("../shared/speech");

    private TestSignals() {}

    public static MonoAudio speech(String relative) throws Exception {
        return WavReader.read(SPEECH.resolve(relative));
    }

    public static float[] speechAt(String relative, int rate) throws Exception {
        MonoAudio a = speech(relative);
        return a.sampleRate() == rate ? a.samples() : Resampler.resample(a.samples(), a.sampleRate(), rate);
    }

    public static float[] sine(double hz, double amplitude, int rate, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return x;
    }

    public static double maxAbsDiff(float[] a, float[] b, int from, int to) {
        double m = 0;
        for (int i = from; i < to; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
