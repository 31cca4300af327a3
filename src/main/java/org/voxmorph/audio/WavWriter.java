package org.voxmorph.audio;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes 16-bit mono WAV files, a block at a time. The file appears complete or not at all: audio
 * goes to a temporary file beside the target, which is renamed over it only by {@link #commit};
 * {@link #close} without a commit deletes it.
 *
 * <p>What the target may be: a new file, or an existing regular file (replaced). A symbolic link is
 * written through: the file it points to is replaced and the link stays. A device, pipe or socket
 * ({@code /dev/null}) is refused: renaming a file over it would replace the device node.
 */
public final class WavWriter implements Closeable {
    /** A RIFF size field is 32 bits: the audio must fit in 4 GiB minus the header. */
    static final long MAX_DATA_BYTES = 0xFFFFFFFFL - 36;

    private final Path shownAs;
    private final Path target;
    private final Path tmp;
    private final int sampleRate;
    private final FileChannel out;
    private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
    private long frames;
    private boolean committed;

    /** Writes all of {@code samples} as {@code file}, complete or not at all. */
    public static void write16(Path file, float[] samples, int sampleRate) throws AudioFileException {
        try (WavWriter w = open16(file, sampleRate)) {
            w.write(samples, 0, samples.length);
            w.commit();
        }
    }

    /** Starts a 16-bit mono WAV file: checks the target and creates the temporary file. */
    public static WavWriter open16(Path file, int sampleRate) throws AudioFileException {
        Path target = writableTarget(file);
        // Not Files.createTempFile: it makes the file private (0600), and the result should get the
        // permissions any new file of the user gets.
        Path tmp = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + System.nanoTime() + ".part");
        try {
            FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new WavWriter(file, target, tmp, sampleRate, ch);
        } catch (IOException e) {
            throw new AudioFileException(file + ": cannot write: " + describe(e));
        }
    }

    private WavWriter(Path shownAs, Path target, Path tmp, int sampleRate, FileChannel out) throws IOException {
        this.shownAs = shownAs;
        this.target = target;
        this.tmp = tmp;
        this.sampleRate = sampleRate;
        this.out = out;
        out.write(ByteBuffer.wrap(header(0, sampleRate)));
    }

    /** The file the audio will end up in: the target itself, or what a symbolic link points to. */
    static Path writableTarget(Path file) throws AudioFileException {
        Path target = file.toAbsolutePath();
        if (Files.isSymbolicLink(target)) {
            if (!Files.exists(target)) {
                throw new AudioFileException(file + ": is a symbolic link to a missing file; not following it");
            }
            try {
                target = target.toRealPath();
            } catch (IOException e) {
                throw new AudioFileException(file + ": cannot follow the symbolic link: " + describe(e));
            }
        }
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new AudioFileException(file + ": cannot write: it is a folder");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new AudioFileException(file + ": is a device, pipe or socket, not a file; Voxmorph only writes WAV files");
        }
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new AudioFileException(file + ": cannot write: folder " + dir + " does not exist");
        }
        return target;
    }

    /** Appends n samples (clipped to 16 bits). */
    public void write(float[] samples, int off, int n) throws AudioFileException {
        if ((frames + n) * 2 > MAX_DATA_BYTES) {
            throw new AudioFileException(shownAs + ": the result would be longer than a WAV file can hold (4 GiB)");
        }
        try {
            for (int i = 0; i < n; i++) {
                if (buf.remaining() < 2) {
                    flush();
                }
                buf.putShort(toPcm16(samples[off + i]));
            }
            frames += n;
        } catch (IOException e) {
            throw new AudioFileException(shownAs + ": cannot write: " + describe(e));
        }
    }

    private void flush() throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            out.write(buf);
        }
        buf.clear();
    }

    /** Finishes the header and renames the file into place. */
    public void commit() throws AudioFileException {
        try {
            flush();
            out.write(ByteBuffer.wrap(header(frames, sampleRate)), 0);
            out.close();
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            committed = true;
        } catch (IOException e) {
            throw new AudioFileException(shownAs + ": cannot write: " + describe(e));
        }
    }

    /** Without a {@link #commit}: deletes the temporary file, leaving the target as it was. */
    @Override
    public void close() {
        if (committed) {
            return;
        }
        try {
            out.close();
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // Nothing more we can do; the caller's error says what failed.
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
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
