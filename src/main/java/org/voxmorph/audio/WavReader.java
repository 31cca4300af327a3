package org.voxmorph.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads RIFF/WAVE files: 8/16/24/32-bit integer PCM or 32/64-bit float, any channel count (mixed
 * down to mono), 8–96 kHz, including WAVE_FORMAT_EXTENSIBLE headers.
 */
public final class WavReader {
    private static final int PCM = 1;
    private static final int IEEE_FLOAT = 3;
    private static final int EXTENSIBLE = 0xFFFE;
    public static final int MIN_RATE = 8000;
    public static final int MAX_RATE = 96000;

    private WavReader() {}

    public static MonoAudio read(Path file) throws AudioFileException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new AudioFileException(file + ": no such file");
        } catch (IOException e) {
            throw new AudioFileException(file + ": cannot read (" + e.getMessage() + ")");
        }
        return parse(file.toString(), bytes);
    }

    /** Parses WAV bytes; {@code name} is used in error messages. */
    public static MonoAudio parse(String name, byte[] bytes) throws AudioFileException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || !tag(b, 0).equals("RIFF") || !tag(b, 8).equals("WAVE")) {
            throw new AudioFileException(name + ": not a WAV file (no RIFF/WAVE header)");
        }
        int format = -1;
        int channels = 0;
        int rate = 0;
        int bits = 0;
        int dataStart = -1;
        long dataBytes = 0;
        int pos = 12;
        while (pos + 8 <= bytes.length) {
            String id = tag(b, pos);
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            int body = pos + 8;
            if (id.equals("fmt ")) {
                if (size < 16 || body + 16 > bytes.length) {
                    throw new AudioFileException(name + ": truncated format header");
                }
                format = Short.toUnsignedInt(b.getShort(body));
                channels = Short.toUnsignedInt(b.getShort(body + 2));
                rate = b.getInt(body + 4);
                bits = Short.toUnsignedInt(b.getShort(body + 14));
                if (format == EXTENSIBLE) {
                    if (size < 40 || body + 26 > bytes.length) {
                        throw new AudioFileException(name + ": truncated extensible format header");
                    }
                    format = Short.toUnsignedInt(b.getShort(body + 24));
                }
            } else if (id.equals("data")) {
                dataStart = body;
                dataBytes = size;
                break;
            }
            pos = (int) Math.min(Integer.MAX_VALUE, body + size + (size & 1));
        }
        if (format < 0) {
            throw new AudioFileException(name + ": no format chunk: truncated or not a WAV file");
        }
        if (dataStart < 0) {
            throw new AudioFileException(name + ": no audio data chunk: truncated or damaged");
        }
        boolean supported = (format == PCM && (bits == 8 || bits == 16 || bits == 24 || bits == 32))
                || (format == IEEE_FLOAT && (bits == 32 || bits == 64));
        if (!supported) {
            String kind = format == PCM ? "integer" : format == IEEE_FLOAT ? "float" : "compressed (format tag " + format + ")";
            throw new AudioFileException(name + ": unsupported WAV encoding: " + bits + "-bit " + kind
                    + "; Voxmorph reads 8/16/24/32-bit integer or 32/64-bit float PCM");
        }
        if (channels < 1) {
            throw new AudioFileException(name + ": the header says it has no channels");
        }
        if (rate < MIN_RATE || rate > MAX_RATE) {
            throw new AudioFileException(name + ": sample rate " + rate + " Hz is outside the supported "
                    + MIN_RATE + "–" + MAX_RATE + " Hz");
        }
        int frameBytes = channels * bits / 8;
        long present = bytes.length - dataStart;
        // Some writers leave the size at 0 or 0xFFFFFFFF when streaming; then the rest of the file is audio.
        boolean unknownSize = dataBytes == 0 || dataBytes == 0xFFFFFFFFL;
        if (!unknownSize && dataBytes > present) {
            throw new AudioFileException(name + ": truncated: the header promises " + dataBytes
                    + " bytes of audio but only " + present + " are there");
        }
        long usable = unknownSize ? present : dataBytes;
        int frames = (int) (usable / frameBytes);
        if (frames == 0) {
            throw new AudioFileException(name + ": contains no audio");
        }
        float[] mono = new float[frames];
        float scale = 1f / channels;
        int p = dataStart;
        for (int i = 0; i < frames; i++) {
            float sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += sample(b, p, format, bits);
                p += bits / 8;
            }
            mono[i] = sum * scale;
        }
        return new MonoAudio(mono, rate);
    }

    private static float sample(ByteBuffer b, int p, int format, int bits) {
        if (format == IEEE_FLOAT) {
            return bits == 32 ? b.getFloat(p) : (float) b.getDouble(p);
        }
        return switch (bits) {
            case 8 -> (Byte.toUnsignedInt(b.get(p)) - 128) / 128f;
            case 16 -> b.getShort(p) / 32768f;
            case 24 -> ((b.get(p) & 0xFF) | ((b.get(p + 1) & 0xFF) << 8) | (b.get(p + 2) << 16)) / 8388608f;
            default -> (float) (b.getInt(p) / 2147483648.0);
        };
    }

    private static String tag(ByteBuffer b, int pos) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) {
            c[i] = (char) (b.get(pos + i) & 0xFF);
        }
        return new String(c);
    }
}
