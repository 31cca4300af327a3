package org.voxmorph.audio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes 16-bit mono WAV files. The file appears complete or not at all: audio goes to a
 * temporary file beside the target, which is renamed over it only when everything is written.
 */
public final class WavWriter {
    private WavWriter() {}

    public static void write16(Path file, float[] samples, int sampleRate) throws AudioFileException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new AudioFileException(file + ": cannot write: folder " + dir + " does not exist");
        }
        if (Files.isDirectory(target)) {
            throw new AudioFileException(file + ": cannot write: it is a folder");
        }
        // Not Files.createTempFile: it makes the file private (0600), and the result should get the
        // permissions any new file of the user gets.
        Path tmp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + System.nanoTime() + ".part");
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                out.write(header(samples.length, sampleRate));
                ByteBuffer buf = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
                for (float s : samples) {
                    if (!buf.hasRemaining()) {
                        out.write(buf.array(), 0, buf.position());
                        buf.clear();
                    }
                    buf.putShort(toPcm16(s));
                }
                out.write(buf.array(), 0, buf.position());
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // Nothing more we can do; the message below says what failed.
            }
            throw new AudioFileException(file + ": cannot write: " + describe(e));
        }
    }

    static short toPcm16(float s) {
        double v = Math.rint(s * 32767.0);
        return (short) Math.max(-32768, Math.min(32767, v));
    }

    /** The 44-byte header of a 16-bit mono PCM WAV file with {@code frames} samples. */
    public static byte[] header(long frames, int sampleRate) {
        long dataBytes = frames * 2;
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) (36 + dataBytes));
        h.put("WAVE".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        h.put("fmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16);
        h.putShort((short) 1).putShort((short) 1).putInt(sampleRate).putInt(sampleRate * 2);
        h.putShort((short) 2).putShort((short) 16);
        h.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) dataBytes);
        return h.array();
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
