package org.voxmorph.app;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.voxmorph.audio.AudioFileException;
import org.voxmorph.audio.WavWriter;

/**
 * What the panel's Record button captures: the converted output (and the input if asked), kept in
 * memory (about 11 MB a minute at 48 kHz) and written as WAV files when it stops. Filled by the
 * session's monitor thread, never the audio threads.
 */
final class SessionRecording {
    private final Path folder;
    private final boolean withInput;
    private final int rate;
    private final long startNanos;
    private float[] output = new float[1 << 16];
    private float[] input;
    private int outFrames;
    private int inFrames;

    SessionRecording(Path folder, boolean withInput, int rate, long startNanos) {
        this.folder = folder;
        this.withInput = withInput;
        this.rate = rate;
        this.startNanos = startNanos;
        this.input = withInput ? new float[1 << 16] : null;
    }

    synchronized void addOutput(float[] x, int n) {
        output = grow(output, outFrames + n);
        System.arraycopy(x, 0, output, outFrames, n);
        outFrames += n;
    }

    synchronized void addInput(float[] x, int n) {
        if (withInput) {
            input = grow(input, inFrames + n);
            System.arraycopy(x, 0, input, inFrames, n);
            inFrames += n;
        }
    }

    private static float[] grow(float[] a, int needed) {
        return needed <= a.length ? a : Arrays.copyOf(a, Math.max(needed, 2 * a.length));
    }

    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    List<Path> write() throws AudioFileException {
        String stem = "voxmorph-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        List<Path> files = new ArrayList<>();
        Path out = folder.resolve(stem + "-output.wav");
        WavWriter.write16(out, Arrays.copyOf(output, outFrames), rate);
        files.add(out);
        if (withInput) {
            Path in = folder.resolve(stem + "-input.wav");
            WavWriter.write16(in, Arrays.copyOf(input, inFrames), rate);
            files.add(in);
        }
        return files;
    }
}
