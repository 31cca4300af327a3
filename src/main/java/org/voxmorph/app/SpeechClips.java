package org.voxmorph.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.voxmorph.audio.AudioFileException;
import org.voxmorph.audio.MonoAudio;
import org.voxmorph.audio.WavReader;
import org.voxmorph.dsp.Resampler;

/**
 * Speech to run the engine on when the user gives none: the VCTK recordings in ../shared/speech
 * when this machine has them, otherwise the clip bundled in the jar (made by tools/make-demo-clip.sh).
 */
public final class SpeechClips {
    public static final String BUNDLED = "/demo/voxmorph-demo.wav";

    private SpeechClips() {}

    /** At least {@code seconds} of speech at {@code sampleRate}, looping the source as needed. */
    public static MonoAudio speech(double seconds, int sampleRate) {
        List<float[]> parts = new ArrayList<>();
        Path shared = Home.sharedSpeech();
        String source;
        if (shared != null) {
            source = shared.toString();
            try (Stream<Path> files = Files.walk(shared)) {
                for (Path p : (Iterable<Path>) files.filter(f -> f.getFileName().toString().matches("p22[5-8]_.*\\.wav")).sorted()::iterator) {
                    parts.add(at(WavReader.read(p), sampleRate));
                }
            } catch (IOException | AudioFileException e) {
                throw new CliError(shared + ": cannot read the shared speech (" + e.getMessage() + ")");
            }
        }
        if (parts.isEmpty()) {
            parts.add(at(bundled(), sampleRate));
        }
        long need = (long) Math.ceil(seconds * sampleRate);
        float[] out = new float[(int) need];
        int pos = 0;
        for (int k = 0; pos < need; k = (k + 1) % parts.size()) {
            float[] p = parts.get(k);
            int n = (int) Math.min(p.length, need - pos);
            System.arraycopy(p, 0, out, pos, n);
            pos += n;
        }
        return new MonoAudio(out, sampleRate);
    }

    /** The clip bundled in the jar, at its own rate. */
    public static MonoAudio bundled() {
        try (InputStream in = SpeechClips.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new CliError("the bundled demo clip " + BUNDLED + " is missing from the jar");
            }
            return WavReader.parse(BUNDLED, in.readAllBytes());
        } catch (IOException | AudioFileException e) {
            throw new CliError(BUNDLED + ": cannot read the bundled clip (" + e.getMessage() + ")");
        }
    }

    private static float[] at(MonoAudio a, int rate) {
        return a.sampleRate() == rate ? a.samples() : Resampler.resample(a.samples(), a.sampleRate(), rate);
    }
}
