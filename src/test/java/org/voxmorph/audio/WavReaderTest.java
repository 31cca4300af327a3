package org.voxmorph.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WavReaderTest {
    @TempDir
    Path dir;

    /** A ramp in -0.5..0.5 written in the given encoding, with a second channel of its negation. */
    static byte[] wav(int formatTag, int bits, int channels, int rate, int frames, boolean extensible) {
        ByteBuffer data = ByteBuffer.allocate(frames * channels * bits / 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < frames; i++) {
            double v = -0.5 + (double) i / frames;
            for (int c = 0; c < channels; c++) {
                double s = c == 0 ? v : -v * 0.5;
                switch (formatTag == 3 ? bits + 100 : bits) {
                    case 8 -> data.put((byte) (Math.round(s * 127) + 128));
                    case 16 -> data.putShort((short) Math.round(s * 32767));
                    case 24 -> {
                        int q = (int) Math.round(s * 8388607);
                        data.put((byte) q).put((byte) (q >> 8)).put((byte) (q >> 16));
                    }
                    case 32 -> data.putInt((int) Math.round(s * 2147483647.0));
                    case 132 -> data.putFloat((float) s);
                    case 164 -> data.putDouble(s);
                    default -> throw new IllegalArgumentException();
                }
            }
        }
        int fmtSize = extensible ? 40 : 16;
        ByteBuffer h = ByteBuffer.allocate(12 + 8 + fmtSize + 8).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes()).putInt(4 + 8 + fmtSize + 8 + data.capacity()).put("WAVE".getBytes());
        h.put("fmt ".getBytes()).putInt(fmtSize).putShort((short) (extensible ? 0xFFFE : formatTag))
                .putShort((short) channels).putInt(rate).putInt(rate * channels * bits / 8)
                .putShort((short) (channels * bits / 8)).putShort((short) bits);
        if (extensible) {
            h.putShort((short) 22).putShort((short) bits).putInt(0).putShort((short) formatTag)
                    .put(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71});
        }
        h.put("data".getBytes()).putInt(data.capacity());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(h.array());
        out.writeBytes(data.array());
        return out.toByteArray();
    }

    @ParameterizedTest
    @CsvSource({"1,8,1,8000,false", "1,16,1,16000,false", "1,24,2,44100,false", "1,32,1,96000,false",
            "3,32,2,48000,false", "3,64,1,22050,false", "1,16,2,48000,true", "3,32,1,32000,true"})
    void readsEveryEncodingAndMixesStereoToMono(int tag, int bits, int channels, int rate, boolean ext) throws Exception {
        int frames = 1000;
        Path f = dir.resolve("x.wav");
        Files.write(f, wav(tag, bits, channels, rate, frames, ext));
        MonoAudio a = WavReader.read(f);
        assertEquals(rate, a.sampleRate());
        assertEquals(frames, a.samples().length);
        double tolerance = bits == 8 ? 1.0 / 100 : 1e-4;
        for (int i = 0; i < frames; i += 37) {
            double v = -0.5 + (double) i / frames;
            double expected = channels == 1 ? v : (v - v * 0.5) / 2;
            assertEquals(expected, a.samples()[i], tolerance, "sample " + i);
        }
    }

    @Test
    void readsRealSpeech() throws Exception {
        MonoAudio a = WavReader.read(Path.of("../shared/speech/vctk_p225/p225_003.wav"));
        assertEquals(16000, a.sampleRate());
        assertTrue(a.seconds() > 2);
        double peak = 0;
        for (float s : a.samples()) {
            peak = Math.max(peak, Math.abs(s));
        }
        assertTrue(peak > 0.05 && peak <= 1.0, "peak " + peak);
    }

    @Test
    void badFilesGetOneLineNamingFileAndProblem() throws Exception {
        Path missing = dir.resolve("missing.wav");
        assertMessage(missing, "no such file");

        Path text = dir.resolve("text.wav");
        Files.writeString(text, "this is not audio at all, just some text");
        assertMessage(text, "not a WAV file");

        byte[] good = wav(1, 16, 1, 16000, 1000, false);
        Path truncated = dir.resolve("truncated.wav");
        Files.write(truncated, Arrays.copyOf(good, good.length / 2));
        assertMessage(truncated, "truncated");

        Path headerOnly = dir.resolve("header.wav");
        Files.write(headerOnly, Arrays.copyOf(good, 30));
        assertMessage(headerOnly, "truncated");

        byte[] adpcm = good.clone();
        adpcm[20] = 2;
        Path compressed = dir.resolve("adpcm.wav");
        Files.write(compressed, adpcm);
        assertMessage(compressed, "unsupported");

        Path tooFast = dir.resolve("fast.wav");
        Files.write(tooFast, wav(1, 16, 1, 192000, 100, false));
        assertMessage(tooFast, "outside the supported");
    }

    private static void assertMessage(Path f, String problem) {
        AudioFileException e = assertThrows(AudioFileException.class, () -> WavReader.read(f));
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
    }

    @Test
    void writerRoundTripsAndLeavesNoPartialFile() throws Exception {
        float[] x = {0f, 0.5f, -0.5f, 1.5f, -1.5f, 0.25f};
        Path f = dir.resolve("out.wav");
        WavWriter.write16(f, x, 22050);
        MonoAudio back = WavReader.read(f);
        assertEquals(22050, back.sampleRate());
        float[] expected = {0f, 0.5f, -0.5f, 1f, -1f, 0.25f};
        assertArrayEquals(expected, back.samples(), 1e-4f);
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the finished file, no temporary left behind");
        }
        Path noDir = dir.resolve("nope/out.wav");
        AudioFileException e = assertThrows(AudioFileException.class, () -> WavWriter.write16(noDir, x, 16000));
        assertTrue(e.getMessage().startsWith(noDir + ": cannot write"), e.getMessage());
    }
}
