package org.voxmorph.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fixed-seed generator of malformed WAV files, presets and model manifests, each run through the
 * real CLI entry point: every one must end in exit 2, exactly one line on stderr, no stack trace,
 * and nothing in the output folder. Each generator only makes inputs that are wrong for a known
 * reason (a random byte flip can leave a WAV valid, so the mutations are chosen, the values random).
 */
class FuzzTest {
    static final long SEED = 20261201L;
    static final int RATE = 16000;

    @TempDir
    Path dir;

    final Random random = new Random(SEED);
    final List<String> failures = new ArrayList<>();
    int cases;

    @Test
    void malformedInputsAlwaysGetOneLineAndExit2AndLeaveNothing() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Path inputs = Files.createDirectories(dir.resolve("in"));
        Path speech = inputs.resolve("speech.wav");
        Files.write(speech, validWav(RATE / 4));

        for (int i = 0; i < 160; i++) {
            Path f = inputs.resolve("w" + i + ".wav");
            Files.write(f, malformedWav(i));
            expectRefusal(out, "convert", f.toString(), out.resolve("o.wav").toString());
        }
        for (int i = 0; i < 100; i++) {
            Path f = inputs.resolve("p" + i + ".json");
            Files.writeString(f, malformedPreset(i));
            expectRefusal(out, "convert", speech.toString(), out.resolve("o.wav").toString(), "--preset", f.toString());
        }
        Path models = Files.createDirectories(dir.resolve("models"));
        String manifest = Files.readString(Path.of("src/test/resources/models/stream-tiny/model.json"));
        byte[] onnx = Files.readAllBytes(Path.of("src/test/resources/models/stream-tiny/stream.onnx"));
        System.setProperty("voxmorph.models", models.toString());
        try {
            for (int i = 0; i < 60; i++) {
                Path m = Files.createDirectories(models.resolve("m" + i));
                Files.write(m.resolve("stream.onnx"), onnx);
                Files.writeString(m.resolve("model.json"), malformedManifest(i, manifest));
                expectRefusal(out, "convert", speech.toString(), out.resolve("o.wav").toString(), "--model", "m" + i);
            }
        } finally {
            System.clearProperty("voxmorph.models");
        }
        assertEquals(320, cases);
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases + " cases misbehaved:\n" + String.join("\n", failures));
    }

    private void expectRefusal(Path out, String... args) throws Exception {
        cases++;
        CliTest.Run r = CliTest.run(args);
        String err = r.err().strip();
        String what = String.join(" ", args).replace(dir.toString(), "") + " -> exit " + r.code() + ": " + err;
        boolean oneLine = err.lines().count() == 1;
        boolean clean = !err.contains("Exception") && !err.contains("\tat ") && !err.contains("internal error");
        boolean empty;
        try (Stream<Path> files = Files.list(out)) {
            empty = files.findAny().isEmpty();
        }
        if (r.code() != 2 || !oneLine || !clean || !empty) {
            failures.add(what + (empty ? "" : " (left files behind)"));
        }
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
    }

    static byte[] validWav(int frames) {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * frames).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * frames).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(RATE).putInt(2 * RATE)
                .putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt(2 * frames);
        for (int i = 0; i < frames; i++) {
            b.putShort((short) (8000 * Math.sin(2 * Math.PI * 220 * i / RATE)));
        }
        return b.array();
    }

    /** Offsets in the canonical 44-byte header. */
    static final int CHANNELS = 22;
    static final int SAMPLE_RATE = 24;
    static final int BITS = 34;
    static final int FORMAT = 20;
    static final int DATA_SIZE = 40;

    byte[] malformedWav(int i) {
        int frames = 1 + random.nextInt(4000);
        byte[] w = validWav(frames);
        ByteBuffer b = ByteBuffer.wrap(w).order(ByteOrder.LITTLE_ENDIAN);
        switch (i % 11) {
            case 0 -> { return Arrays.copyOf(w, random.nextInt(44)); }  // cut inside the header
            case 1 -> b.putInt(DATA_SIZE, 2 * frames + 1 + random.nextInt(Integer.MAX_VALUE - 2 * frames - 1)); // promises more
            case 2 -> b.putShort(CHANNELS, (short) (random.nextBoolean() ? 0 : 257 + random.nextInt(65000)));
            case 3 -> b.putInt(SAMPLE_RATE, random.nextBoolean() ? random.nextInt(8000) : 96001 + random.nextInt(Integer.MAX_VALUE - 96001));
            case 4 -> b.putShort(BITS, (short) pickNot(new int[] {8, 16, 24, 32}, 65));
            case 5 -> b.putShort(FORMAT, (short) pickNot(new int[] {1, 3, 0xFFFE}, 0x10000));
            case 6 -> { return chunkBeforeFormat(w, 0xFFFFFFF0L - random.nextInt(1000)); }  // a chunk longer than the file
            case 7 -> b.put(random.nextInt(2) * 8, randomTag());  // RIFF or WAVE tag broken
            case 8 -> { return Arrays.copyOf(headerWithoutAudio(w), 44); }  // no audio at all
            case 9 -> {
                byte[] junk = new byte[random.nextInt(3000)];
                random.nextBytes(junk);
                return junk;
            }
            default -> {  // float encoding with an integer sample size
                b.putShort(FORMAT, (short) 3);
                b.putShort(BITS, (short) (random.nextBoolean() ? 16 : 24));
            }
        }
        return w;
    }

    private int pickNot(int[] allowed, int bound) {
        while (true) {
            int v = random.nextInt(bound);
            if (Arrays.stream(allowed).noneMatch(a -> a == v)) {
                return v;
            }
        }
    }

    private byte[] randomTag() {
        byte[] t = new byte[4];
        do {
            random.nextBytes(t);
        } while (new String(t, StandardCharsets.ISO_8859_1).equals("RIFF") || new String(t, StandardCharsets.ISO_8859_1).equals("WAVE"));
        return t;
    }

    private static byte[] headerWithoutAudio(byte[] w) {
        byte[] h = Arrays.copyOf(w, 44);
        ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putInt(DATA_SIZE, 0);
        return h;
    }

    private byte[] chunkBeforeFormat(byte[] w, long size) {
        ByteBuffer b = ByteBuffer.allocate(w.length + 8).order(ByteOrder.LITTLE_ENDIAN);
        b.put(w, 0, 12).put(randomLetters(4).getBytes()).putInt((int) size).put(w, 12, w.length - 12);
        return b.array();
    }

    private String randomLetters(int n) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < n; k++) {
            s.append((char) ('A' + random.nextInt(26)));
        }
        // Never a chunk the reader acts on.
        return s.toString().equals("DATA") ? "LIST" : s.toString();
    }

    static final String GOOD_PRESET = "{\"name\":\"fuzz\",\"description\":\"d\",\"chain\":[{\"processor\":\"gain\",\"params\":"
            + "{\"gainDb\":-3}},{\"processor\":\"pitch-shift\",\"params\":{\"semitones\":2}},{\"processor\":\"limiter\"}]}";

    String malformedPreset(int i) {
        return switch (i % 10) {
            case 0 -> GOOD_PRESET.substring(0, random.nextInt(GOOD_PRESET.length() - 1));  // cut short: not JSON
            case 1 -> "{\"name\":\"x\",\"chain\":" + "[".repeat(33 + random.nextInt(20000)) + "]".repeat(0) + "}";
            case 2 -> stages(65 + random.nextInt(3000));
            case 3 -> GOOD_PRESET.replace("\"gain\"", "\"" + randomLetters(3 + random.nextInt(20)).toLowerCase() + "-x\"");
            case 4 -> GOOD_PRESET.replace("-3}", (random.nextBoolean() ? "" : "-") + (1000 + random.nextInt(1_000_000)) + "}");
            case 5 -> GOOD_PRESET.replace("-3}", random.nextBoolean() ? "[1,2]}" : random.nextBoolean() ? "{\"a\":1}}" : "null}");
            case 6 -> GOOD_PRESET.replace("\"gainDb\"", "\"" + randomLetters(6).toLowerCase() + "\"");
            case 7 -> "{\"name\":\"x\",\"chain\":" + (random.nextBoolean() ? random.nextInt() : "\"gain\"") + "}";
            case 8 -> GOOD_PRESET.replace("{\"processor\":\"limiter\"}", random.nextBoolean() ? "7" : "{\"params\":{}}");
            default -> "[" + random.nextInt() + "]";
        };
    }

    private String stages(int n) {
        StringBuilder s = new StringBuilder("{\"name\":\"x\",\"chain\":[");
        for (int k = 0; k < n; k++) {
            s.append(k == 0 ? "" : ",").append("{\"processor\":\"gain\"}");
        }
        return s.append("]}").toString();
    }

    String malformedManifest(int i, String good) {
        return switch (i % 12) {
            case 0 -> good.substring(0, random.nextInt(good.strip().length() - 1));
            case 1 -> good.replace("\"voxmorph-stream\"", "\"" + randomLetters(5).toLowerCase() + "\"");
            case 2 -> good.replace("\"sampleRate\": 16000", "\"sampleRate\": " + (random.nextBoolean() ? random.nextInt(8000) : 16001));
            case 3 -> good.replace("\"hopSamples\": 160", "\"hopSamples\": " + -random.nextInt(1000));
            case 4 -> good.replace("\"speakers\": [", "\"speakers\": [" + "\"s\",".repeat(257 + random.nextInt(2000)));
            case 5 -> good.replaceFirst("\"sha256\": \"[0-9a-f]+\"", "\"sha256\": \"" + "0".repeat(64) + "\"");
            case 6 -> good.replace("\"path\": \"stream.onnx\"", "\"path\": \"../" + randomLetters(4) + ".onnx\"");
            case 7 -> good.replace("\"role\": \"stream\"", "\"role\": \"" + randomLetters(4).toLowerCase() + "\"");
            case 8 -> "{\"format\":" + "[".repeat(33 + random.nextInt(100_000)) + "}";
            case 9 -> good.replace("\"files\": [", "\"files\": [], \"x\": [");
            case 10 -> "[" + random.nextDouble() + "]";
            default -> good.replace("\"path\": \"stream.onnx\"", "\"path\": \"missing-" + random.nextInt(1000) + ".onnx\"");
        };
    }
}
