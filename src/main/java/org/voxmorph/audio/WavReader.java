package org.voxmorph.audio;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads RIFF/WAVE files: 8/16/24/32-bit integer PCM or 32/64-bit float, any channel count up to
 * {@value #MAX_CHANNELS} (mixed down to mono), 8–96 kHz, including WAVE_FORMAT_EXTENSIBLE headers.
 *
 * <p>Streams: {@link #open} reads only the header, {@link #read(float[], int, int)} a block at a
 * time, so a file of any length is read in bounded memory. Every length in the header is checked
 * against the file before it is used. NaN, infinite and absurdly large samples (a damaged float
 * file) are replaced (NaN by 0, the others by ±1) and counted in {@link #damagedSamples}: one bad
 * sample must not silence or mark everything after it.
 */
public final class WavReader implements Closeable {
    private static final int PCM = 1;
    private static final int IEEE_FLOAT = 3;
    private static final int EXTENSIBLE = 0xFFFE;
    public static final int MIN_RATE = 8000;
    public static final int MAX_RATE = 96000;
    /** Mixing more channels than any recording setup has to mono means the header is garbage. */
    public static final int MAX_CHANNELS = 256;
    /**
     * Float samples past full scale are legal headroom, but 60 dB past it no recording or mix goes:
     * such a value is damage, and squared in a level meter it overflows a float to infinity.
     */
    public static final double MAX_FLOAT_SAMPLE = 1000;
    /**
     * The most {@link #read(Path)} holds in memory at once: 2^26 samples (256 MB of floats, 23
     * minutes at 48 kHz). {@code convert} streams and has no limit.
     */
    public static final long MAX_IN_MEMORY_FRAMES = 1L << 26;
    /** Chunks before the audio: real files have a handful; a walk over millions is a damaged file. */
    private static final int MAX_CHUNKS = 10_000;
    private static final int READ_BYTES = 1 << 20;

    private final String name;
    private final Source source;
    private final int format;
    private final int channels;
    private final int rate;
    private final int bits;
    private final int frameBytes;
    private final long frames;
    private final long dataStart;
    private long framesRead;
    private long damaged;
    private ByteBuffer buf = ByteBuffer.allocate(0);

    /** The whole file as mono samples; for files up to {@link #MAX_IN_MEMORY_FRAMES}. */
    public static MonoAudio read(Path file) throws AudioFileException {
        try (WavReader r = open(file)) {
            return r.readAll();
        }
    }

    /** Parses WAV bytes; {@code name} is used in error messages. */
    public static MonoAudio parse(String name, byte[] bytes) throws AudioFileException {
        try (WavReader r = new WavReader(name, new BytesSource(bytes))) {
            return r.readAll();
        }
    }

    /** Opens a WAV file and reads its header; the audio is read with {@link #read(float[], int, int)}. */
    public static WavReader open(Path file) throws AudioFileException {
        if (!Files.exists(file)) {
            throw new AudioFileException(file + ": no such file");
        }
        if (Files.isDirectory(file)) {
            throw new AudioFileException(file + ": is a folder, not a WAV file");
        }
        if (!Files.isRegularFile(file)) {
            // A device (/dev/zero) or a pipe: endless, or blocking until someone writes to it.
            throw new AudioFileException(file + ": is a device or pipe, not a WAV file");
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new AudioFileException(file + ": no such file");
        } catch (IOException | SecurityException e) {
            throw new AudioFileException(file + ": cannot read (" + e.getMessage() + ")");
        }
        try {
            return new WavReader(file.toString(), new FileSource(ch));
        } catch (AudioFileException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private WavReader(String name, Source source) throws AudioFileException {
        this.name = name;
        this.source = source;
        long size = size();
        ByteBuffer head = readAt(0, 12);
        if (head.limit() < 12 || !tag(head, 0).equals("RIFF") || !tag(head, 8).equals("WAVE")) {
            throw new AudioFileException(name + ": not a WAV file (no RIFF/WAVE header)");
        }
        int fmt = -1;
        int ch = 0;
        int sr = 0;
        int bitsPerSample = 0;
        long start = -1;
        long dataBytes = 0;
        long pos = 12;
        for (int chunk = 0; pos + 8 <= size; chunk++) {
            if (chunk == MAX_CHUNKS) {
                throw new AudioFileException(name + ": more than " + MAX_CHUNKS + " chunks before the audio: damaged");
            }
            ByteBuffer h = readAt(pos, 8);
            String id = tag(h, 0);
            long chunkSize = Integer.toUnsignedLong(h.getInt(4));
            long body = pos + 8;
            if (id.equals("fmt ")) {
                if (chunkSize < 16 || body + 16 > size) {
                    throw new AudioFileException(name + ": truncated format header");
                }
                ByteBuffer f = readAt(body, (int) Math.min(chunkSize, 40));
                fmt = Short.toUnsignedInt(f.getShort(0));
                ch = Short.toUnsignedInt(f.getShort(2));
                sr = f.getInt(4);
                bitsPerSample = Short.toUnsignedInt(f.getShort(14));
                if (fmt == EXTENSIBLE) {
                    if (chunkSize < 40 || f.limit() < 26) {
                        throw new AudioFileException(name + ": truncated extensible format header");
                    }
                    fmt = Short.toUnsignedInt(f.getShort(24));
                }
            } else if (id.equals("data")) {
                start = body;
                dataBytes = chunkSize;
                break;
            }
            if (body + chunkSize > size) {
                throw new AudioFileException(name + ": chunk '" + printable(id) + "' claims " + chunkSize
                        + " bytes but only " + (size - body) + " follow: truncated or damaged");
            }
            pos = body + chunkSize + (chunkSize & 1);
        }
        if (fmt < 0) {
            throw new AudioFileException(name + ": no format chunk: truncated or not a WAV file");
        }
        if (start < 0) {
            throw new AudioFileException(name + ": no audio data chunk: truncated or damaged");
        }
        boolean supported = (fmt == PCM && (bitsPerSample == 8 || bitsPerSample == 16 || bitsPerSample == 24 || bitsPerSample == 32))
                || (fmt == IEEE_FLOAT && (bitsPerSample == 32 || bitsPerSample == 64));
        if (!supported) {
            String kind = fmt == PCM ? "integer" : fmt == IEEE_FLOAT ? "float" : "compressed (format tag " + fmt + ")";
            throw new AudioFileException(name + ": unsupported WAV encoding: " + bitsPerSample + "-bit " + kind
                    + "; Voxmorph reads 8/16/24/32-bit integer or 32/64-bit float PCM");
        }
        if (ch < 1) {
            throw new AudioFileException(name + ": the header says it has no channels");
        }
        if (ch > MAX_CHANNELS) {
            throw new AudioFileException(name + ": the header says " + ch + " channels; Voxmorph mixes at most "
                    + MAX_CHANNELS + " to mono (more means a damaged header)");
        }
        if (sr < MIN_RATE || sr > MAX_RATE) {
            throw new AudioFileException(name + ": sample rate " + Integer.toUnsignedString(sr) + " Hz is outside the supported "
                    + MIN_RATE + "–" + MAX_RATE + " Hz");
        }
        this.format = fmt;
        this.channels = ch;
        this.rate = sr;
        this.bits = bitsPerSample;
        this.frameBytes = ch * bitsPerSample / 8;
        this.dataStart = start;
        long present = size - start;
        // Some writers leave the size at 0 or 0xFFFFFFFF when streaming; then the rest of the file is audio.
        boolean unknownSize = dataBytes == 0 || dataBytes == 0xFFFFFFFFL;
        if (!unknownSize && dataBytes > present) {
            throw new AudioFileException(name + ": truncated: the header promises " + dataBytes
                    + " bytes of audio but only " + present + " are there");
        }
        this.frames = (unknownSize ? present : dataBytes) / frameBytes;
        if (frames == 0) {
            throw new AudioFileException(name + ": contains no audio");
        }
    }

    public int sampleRate() {
        return rate;
    }

    /** Frames (samples per channel) in the file. */
    public long frames() {
        return frames;
    }

    public double seconds() {
        return (double) frames / rate;
    }

    /** Damaged samples met so far (NaN, infinite or beyond ±{@value #MAX_FLOAT_SAMPLE}), each replaced (NaN by 0, the others by ±1). */
    public long damagedSamples() {
        return damaged;
    }

    /**
     * Reads up to {@code max} frames as mono into {@code dst} from {@code off}.
     *
     * @return frames read; 0 at the end
     */
    public int read(float[] dst, int off, int max) throws AudioFileException {
        int n = (int) Math.min(Math.min(max, frames - framesRead), Math.max(1, READ_BYTES / frameBytes));
        if (n <= 0) {
            return 0;
        }
        int bytes = n * frameBytes;
        if (buf.capacity() < bytes) {
            buf = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }
        buf.clear().limit(bytes);
        long at = dataStart + framesRead * frameBytes;
        try {
            while (buf.hasRemaining()) {
                if (source.read(at + buf.position(), buf) < 0) {
                    throw new AudioFileException(name + ": ended early (was it cut short while being read?)");
                }
            }
        } catch (IOException e) {
            throw new AudioFileException(name + ": cannot read (" + e.getMessage() + ")");
        }
        float scale = 1f / channels;
        int step = bits / 8;
        int p = 0;
        for (int i = 0; i < n; i++) {
            float sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += sample(buf, p);
                p += step;
            }
            dst[off + i] = sum * scale;
        }
        framesRead += n;
        return n;
    }

    /** The rest of the file as mono samples; for files up to {@link #MAX_IN_MEMORY_FRAMES}. */
    public MonoAudio readAll() throws AudioFileException {
        if (frames > MAX_IN_MEMORY_FRAMES) {
            throw new AudioFileException(name + ": " + frames + " samples (" + Math.round(seconds()) + " s) is longer than this "
                    + "command reads at once (" + MAX_IN_MEMORY_FRAMES + " samples, to stay in memory); cut it shorter");
        }
        float[] mono = new float[(int) frames];
        int done = 0;
        while (done < mono.length) {
            int got = read(mono, done, mono.length - done);
            if (got == 0) {
                break;
            }
            done += got;
        }
        return new MonoAudio(mono, rate);
    }

    private float sample(ByteBuffer b, int p) {
        if (format == IEEE_FLOAT) {
            double v = bits == 32 ? b.getFloat(p) : b.getDouble(p);
            if (!(Math.abs(v) <= MAX_FLOAT_SAMPLE)) {
                damaged++;
                return Double.isNaN(v) ? 0f : (float) Math.signum(v);
            }
            return (float) v;
        }
        return switch (bits) {
            case 8 -> (Byte.toUnsignedInt(b.get(p)) - 128) / 128f;
            case 16 -> b.getShort(p) / 32768f;
            case 24 -> ((b.get(p) & 0xFF) | ((b.get(p + 1) & 0xFF) << 8) | (b.get(p + 2) << 16)) / 8388608f;
            default -> (float) (b.getInt(p) / 2147483648.0);
        };
    }

    private long size() throws AudioFileException {
        try {
            return source.size();
        } catch (IOException e) {
            throw new AudioFileException(name + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Up to n bytes at pos (fewer at the end of the file). */
    private ByteBuffer readAt(long pos, int n) throws AudioFileException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        try {
            while (b.hasRemaining() && source.read(pos + b.position(), b) > 0) {
                // keep reading
            }
        } catch (IOException e) {
            throw new AudioFileException(name + ": cannot read (" + e.getMessage() + ")");
        }
        return b.flip();
    }

    private static String printable(String id) {
        return id.replaceAll("[^\\x20-\\x7E]", "?");
    }

    private static String tag(ByteBuffer b, int pos) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) {
            c[i] = (char) (b.get(pos + i) & 0xFF);
        }
        return new String(c);
    }

    @Override
    public void close() {
        closeQuietly(source);
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // Read-only: nothing was lost.
        }
    }

    /** Positioned reads from a file or from bytes already in memory (the bundled clip). */
    private interface Source extends Closeable {
        long size() throws IOException;

        /** @return bytes read into dst, or -1 at the end */
        int read(long pos, ByteBuffer dst) throws IOException;
    }

    private record FileSource(FileChannel channel) implements Source {
        @Override public long size() throws IOException { return channel.size(); }
        @Override public int read(long pos, ByteBuffer dst) throws IOException { return channel.read(dst, pos); }
        @Override public void close() throws IOException { channel.close(); }
    }

    private record BytesSource(byte[] bytes) implements Source {
        @Override public long size() { return bytes.length; }

        @Override
        public int read(long pos, ByteBuffer dst) {
            if (pos >= bytes.length) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), bytes.length - pos);
            dst.put(bytes, (int) pos, n);
            return n;
        }

        @Override public void close() {}
    }
}
