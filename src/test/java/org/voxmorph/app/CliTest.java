package org.voxmorph.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxmorph.audio.MonoAudio;
import org.voxmorph.audio.WavReader;
import org.voxmorph.dsp.WatermarkDetector;
import org.voxmorph.engine.TestChains;

class CliTest {
    static final String SPEECH = "../shared/speech/vctk_p225/p225_003.wav";

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void convertKeepsLengthAndRateAndCanChangeRate() throws Exception {
        MonoAudio in = WavReader.read(Path.of(SPEECH));
        Path out = dir.resolve("out.wav");
        assertEquals(0, run("convert", SPEECH, out.toString(), "--preset", "passthrough").code());
        MonoAudio same = WavReader.read(out);
        assertEquals(in.sampleRate(), same.sampleRate());
        assertEquals(in.samples().length, same.samples().length);
        for (int i = 0; i < in.samples().length; i += 101) {
            assertEquals(in.samples()[i], same.samples()[i], 1.0 / 32767 + 1e-6);
        }
        Path up = dir.resolve("up.wav");
        assertEquals(0, run("convert", SPEECH, up.toString(), "--out-rate", "48000").code());
        MonoAudio at48 = WavReader.read(up);
        assertEquals(48000, at48.sampleRate());
        assertEquals(in.samples().length * 3, at48.samples().length, 3);
    }

    @Test
    void badInputGetsOneLineAndExitCode2AndNoOutputFile() throws Exception {
        Path out = dir.resolve("never.wav");
        Path notWav = dir.resolve("notes.wav");
        Files.writeString(notWav, "hello");
        Path badProcessor = dir.resolve("bad-processor.json");
        Files.writeString(badProcessor, "{\"name\":\"x\",\"description\":\"x\",\"chain\":[{\"processor\":\"warp-drive\"}]}");
        Path outOfRange = dir.resolve("out-of-range.json");
        Files.writeString(outOfRange, "{\"name\":\"x\",\"description\":\"x\",\"chain\":[{\"processor\":\"gain\",\"params\":{\"gainDb\":99}}]}");
        Path brokenJson = dir.resolve("broken.json");
        Files.writeString(brokenJson, "{\"name\": \"x\", \"chain\": [");
        String[][] cases = {
            {"convert", dir.resolve("missing.wav").toString(), out.toString()},
            {"convert", notWav.toString(), out.toString()},
            {"convert", SPEECH, out.toString(), "--preset", "no-such-preset"},
            {"convert", SPEECH, out.toString(), "--preset", badProcessor.toString()},
            {"convert", SPEECH, out.toString(), "--preset", outOfRange.toString()},
            {"convert", SPEECH, out.toString(), "--preset", brokenJson.toString()},
            {"convert", SPEECH, out.toString(), "--pitch", "30"},
            {"convert", SPEECH, out.toString(), "--formant", "3"},
            {"convert", SPEECH, out.toString(), "--block", "8192"},
            {"convert", SPEECH, out.toString(), "--out-rate", "1000"},
            {"convert", SPEECH, dir.resolve("no/such/dir/out.wav").toString()},
            {"convert", SPEECH},
        };
        String[] expected = {"no such file", "not a WAV file", "unknown preset", "unknown processor 'warp-drive'",
            "gainDb = 99.0 is outside", "not valid JSON", "--pitch", "--formant", "--block", "--out-rate",
            "cannot write", "Missing required parameter"};
        for (int i = 0; i < cases.length; i++) {
            Run r = run(cases[i]);
            assertEquals(2, r.code(), String.join(" ", cases[i]) + " -> " + r.err());
            String line = r.err().strip();
            assertTrue(line.startsWith("voxmorph: ") && line.contains(expected[i]), "got: " + line);
            assertFalse(line.contains("\n"), "one line: " + line);
            assertFalse(line.contains("Exception"), "no stack trace or exception name: " + line);
            assertFalse(Files.exists(out), "no output file for " + String.join(" ", cases[i]));
        }
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".part")), "no temporary left over");
        }
    }

    /** --denoise adds the denoiser: a fan-like hiss 15 dB under the voice comes down, a value out of range is one line. */
    @Test
    void denoiseOptionTakesSteadyNoiseDown() throws Exception {
        MonoAudio speech = WavReader.read(Path.of(SPEECH));
        int rate = speech.sampleRate();
        int lead = 2 * rate;
        float[] noisy = new float[lead + speech.samples().length];
        java.util.Random random = new java.util.Random(5);
        for (int i = 0; i < noisy.length; i++) {
            float voice = i >= lead ? speech.samples()[i - lead] : 0;
            noisy[i] = voice + (float) (0.01 * random.nextGaussian());
        }
        Path in = dir.resolve("noisy.wav");
        org.voxmorph.audio.WavWriter.write16(in, noisy, rate);
        Path out = dir.resolve("denoised.wav");
        Run run = run("convert", in.toString(), out.toString(), "--denoise", "25", "--no-watermark");
        assertEquals(0, run.code(), run.err());
        float[] denoised = WavReader.read(out).samples();
        // The second second of noise alone: the tracker has settled by then.
        double before = rmsDb(noisy, rate, lead);
        double after = rmsDb(denoised, rate, lead);
        assertTrue(before - after > 12, "noise " + before + " dBFS -> " + after + " dBFS");

        Run tooFar = run("convert", in.toString(), dir.resolve("never.wav").toString(), "--denoise", "41");
        assertEquals(2, tooFar.code());
        assertEquals(1, tooFar.err().strip().lines().count(), tooFar.err());
        assertTrue(tooFar.err().contains("--denoise"), tooFar.err());
        assertFalse(Files.exists(dir.resolve("never.wav")));
    }

    private static double rmsDb(float[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += x[i] * x[i];
        }
        return 10 * Math.log10(sum / (to - from) + 1e-20);
    }

    @Test
    void convertedOutputCarriesTheWatermarkUnlessPassthroughOrTurnedOff() throws Exception {
        Path robot = dir.resolve("robot.wav");
        Path plain = dir.resolve("plain.wav");
        Path off = dir.resolve("off.wav");
        Path withId = dir.resolve("id.wav");
        assertEquals(0, run("convert", SPEECH, robot.toString(), "--preset", "robot").code());
        assertEquals(0, run("convert", SPEECH, plain.toString(), "--preset", "passthrough").code());
        assertEquals(0, run("convert", SPEECH, off.toString(), "--preset", "robot", "--no-watermark").code());
        assertEquals(0, run("convert", SPEECH, withId.toString(), "--preset", "robot", "--watermark-id", "4242").code());
        WatermarkDetector.Detection marked = detect(robot);
        assertTrue(marked.present(), "robot output is marked: z=" + marked.z());
        assertEquals(-1, marked.voiceId(), "no id unless asked");
        assertFalse(detect(plain).present(), "passthrough converts nothing and stays unmarked");
        assertFalse(detect(off).present(), "--no-watermark leaves it unmarked");
        assertEquals(4242, detect(withId).voiceId());
    }

    private static WatermarkDetector.Detection detect(Path file) throws Exception {
        MonoAudio a = WavReader.read(file);
        return WatermarkDetector.detect(a.samples(), a.sampleRate());
    }

    @Test
    void presetsListsEveryShippedPresetWithADescription() throws Exception {
        Run r = run("presets");
        assertEquals(0, r.code());
        for (String name : TestChains.shippedPresetNames()) {
            String line = r.out().lines().filter(l -> l.startsWith(name + " ")).findFirst().orElse("");
            assertTrue(line.length() > name.length() + 10, "a description for " + name + " in:\n" + r.out());
        }
    }

    @Test
    void benchAndLatencyPrintJson() throws Exception {
        Run bench = run("bench", "--preset", "passthrough", "--seconds", "2", "--json");
        assertEquals(0, bench.code(), bench.err());
        JsonNode b = new ObjectMapper().readTree(bench.out());
        for (String key : new String[] {"preset", "blockFrames", "sampleRate", "realtimeFactor",
                "algorithmicLatencyMs", "blocks", "lateBlocks", "peakHeapMb"}) {
            assertTrue(b.has(key), "bench has " + key + ": " + bench.out());
        }
        assertEquals(200, b.get("blocks").asInt());
        assertTrue(b.get("realtimeFactor").asDouble() > 0);

        System.setProperty("voxmorph.models", "src/test/resources/models");
        try {
            Run model = run("bench", "--model", "stream-tiny", "--speaker", "1", "--seconds", "2", "--json");
            assertEquals(0, model.code(), model.err());
            JsonNode m = new ObjectMapper().readTree(model.out());
            assertEquals("stream-tiny", m.get("model").asText());
            assertTrue(m.get("inferenceMsPerBlock").get("median").asDouble() > 0);
            assertTrue(m.get("inferenceMsPerBlock").get("p99").asDouble() >= m.get("inferenceMsPerBlock").get("median").asDouble());
            Run missing = run("convert", SPEECH, dir.resolve("m.wav").toString(), "--model", "no-such-model");
            assertEquals(2, missing.code());
            assertTrue(missing.err().contains("no-such-model"), missing.err());
        } finally {
            System.clearProperty("voxmorph.models");
        }

        Run latency = run("latency", "--preset", "passthrough", "--json");
        assertEquals(0, latency.code(), latency.err());
        JsonNode l = new ObjectMapper().readTree(latency.out());
        assertEquals(0.0, l.get("reportedMs").asDouble());
        assertEquals(0.0, l.get("measuredMs").asDouble(), 0.05);
    }
}
