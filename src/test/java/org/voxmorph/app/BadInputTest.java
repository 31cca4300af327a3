package org.voxmorph.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxmorph.audio.WavReader;
import org.voxmorph.audio.WavWriter;

/**
 * The bad inputs of issue 14, each through the real CLI: one line naming the file or value and the
 * problem, exit 2, nothing written or replaced. Device nodes are stood in for by a FIFO in a
 * temporary folder (a test never touches /dev).
 */
class BadInputTest {
    static final String SPEECH = CliTest.SPEECH;

    @TempDir
    Path dir;

    /** Runs the CLI; asserts exit 2, exactly one line on stderr containing every fragment, and no stack trace. */
    static String refused(String[] args, String... fragments) {
        CliTest.Run r = CliTest.run(args);
        String err = r.err().strip();
        assertEquals(2, r.code(), String.join(" ", args) + " -> " + err);
        assertEquals(1, err.lines().count(), "one line: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
        for (String f : fragments) {
            assertTrue(err.contains(f), "'" + f + "' in: " + err);
        }
        return err;
    }

    /** Only what the test put there: no output, no temporary file. */
    void assertFolderHolds(String... names) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(names), files.map(f -> f.getFileName().toString()).sorted().toList());
        }
    }

    static byte[] wav16(int rate, float[] x, long claimedDataBytes, byte[] chunkBeforeFmt) {
        ByteBuffer b = ByteBuffer.allocate(44 + chunkBeforeFmt.length + 2 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + chunkBeforeFmt.length + 2 * x.length).put("WAVE".getBytes());
        b.put(chunkBeforeFmt);
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate).putInt(2 * rate)
                .putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes()).putInt((int) claimedDataBytes);
        for (float v : x) {
            b.putShort((short) Math.round(v * 32767));
        }
        return b.array();
    }

    static byte[] wavFloat(int rate, float[] x) {
        ByteBuffer b = ByteBuffer.allocate(44 + 4 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 4 * x.length).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 3).putShort((short) 1).putInt(rate).putInt(4 * rate)
                .putShort((short) 4).putShort((short) 32);
        b.put("data".getBytes()).putInt(4 * x.length);
        for (float v : x) {
            b.putFloat(v);
        }
        return b.array();
    }

    @Test
    void damagedHeadersAreRefusedWithTheirNumbers() throws Exception {
        float[] tone = new float[1600];
        Path chunk = dir.resolve("chunk.wav");
        ByteBuffer list = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        list.put("LIST".getBytes()).putInt(0xFFFFFFF0).put("abcd".getBytes());
        Files.write(chunk, wav16(16000, tone, 3200, list.array()));
        Path huge = dir.resolve("huge.wav");
        Files.write(huge, wav16(16000, tone, 0x7FFFFFF0L, new byte[0]));
        Path out = dir.resolve("out.wav");
        refused(new String[] {"convert", chunk.toString(), out.toString()}, chunk.toString(), "LIST", "4294967280");
        refused(new String[] {"convert", huge.toString(), out.toString()}, huge.toString(), "2147483632", "truncated");
        refused(new String[] {"watermark", "detect", huge.toString()}, huge.toString(), "truncated");
        assertFolderHolds("chunk.wav", "huge.wav");
    }

    @Test
    void aPipeOrDeviceIsNeitherReadNorReplacedAndALinkIsWrittenThrough() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo");
        refused(new String[] {"convert", fifo.toString(), dir.resolve("o.wav").toString()}, fifo.toString(), "device or pipe");
        refused(new String[] {"convert", SPEECH, fifo.toString()}, fifo.toString(), "device, pipe or socket");
        assertTrue(Files.readAttributes(fifo, java.nio.file.attribute.BasicFileAttributes.class).isOther(), "the FIFO is still a FIFO");

        Path real = dir.resolve("real.wav");
        Files.writeString(real, "old");
        Path link = dir.resolve("link.wav");
        Files.createSymbolicLink(link, real.getFileName());
        assertEquals(0, CliTest.run("convert", SPEECH, link.toString()).code());
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertEquals(WavReader.read(Path.of(SPEECH)).samples().length, WavReader.read(real).samples().length,
                "the file it points to holds the result");
        Path dangling = dir.resolve("dangling.wav");
        Files.createSymbolicLink(dangling, Path.of("nowhere.wav"));
        refused(new String[] {"convert", SPEECH, dangling.toString()}, dangling.toString(), "missing");
        assertFolderHolds("dangling.wav", "fifo", "link.wav", "real.wav");
    }

    @Test
    void nanAndInfinitySamplesAreClampedCountedAndNeverSilenceTheRest() throws Exception {
        float[] x = WavReader.read(Path.of(SPEECH)).samples().clone();
        int n = x.length;
        x[n / 4] = Float.NaN;
        x[n / 4 + 100] = Float.POSITIVE_INFINITY;
        x[n / 4 + 200] = Float.NEGATIVE_INFINITY;
        // Finite but absurd: squared in a level meter these overflow to infinity (anonymize then refused the file).
        x[n / 4 + 300] = 1e30f;
        x[n / 4 + 400] = -3e38f;
        Path in = dir.resolve("damaged.wav");
        Files.write(in, wavFloat(16000, x));
        for (String preset : new String[] {"deep", "anonymize"}) {
            Path out = dir.resolve(preset + ".wav");
            CliTest.Run r = CliTest.run("convert", in.toString(), out.toString(), "--preset", preset);
            assertEquals(0, r.code(), preset + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("warning") && r.err().contains("5 damaged samples") && r.err().contains(in.toString()), r.err());
            float[] y = WavReader.read(out).samples();
            assertTrue(rms(y, n / 2, n) > 0.3 * rms(x, n / 2, n), preset + ": the voice goes on after the damage: " + rms(y, n / 2, n));
        }

        // An unconverted recording with one bad sample is not called marked (exit 1: not found).
        CliTest.Run detect = CliTest.run("watermark", "detect", in.toString());
        assertEquals(1, detect.code(), detect.out() + detect.err());
        assertTrue(detect.out().contains("not found"), detect.out());
    }

    @Test
    void numbersAndSizesOutsideTheLimitsAreRefusedWithTheLimitAndReason() throws Exception {
        Path out = dir.resolve("out.wav");
        refused(new String[] {"convert", SPEECH, out.toString(), "--pitch", "NaN"}, "--pitch", "'NaN' is not a finite number");
        refused(new String[] {"convert", SPEECH, out.toString(), "--pitch", "Infinity"}, "--pitch", "finite");
        refused(new String[] {"convert", SPEECH, out.toString(), "--formant", "-Infinity"}, "--formant", "finite");

        Path stages = dir.resolve("stages.json");
        StringBuilder s = new StringBuilder("{\"name\":\"x\",\"chain\":[");
        for (int i = 0; i < 2000; i++) {
            s.append(i == 0 ? "" : ",").append("{\"processor\":\"gain\"}");
        }
        Files.writeString(stages, s.append("]}").toString());
        refused(new String[] {"convert", SPEECH, out.toString(), "--preset", stages.toString()}, "2000 stages", "at most 64", "real time");

        Path deep = dir.resolve("deep.json");
        Files.writeString(deep, "{\"name\":\"x\",\"chain\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}");
        refused(new String[] {"convert", SPEECH, out.toString(), "--preset", deep.toString()}, deep.toString(), "nesting depth");

        refused(new String[] {"models", "import", SPEECH, "--id", "a".repeat(5000)}, "argument 5", "at most 4096");
        refused(new String[] {"models", "import", "src/test/resources/models/stream-tiny/stream.onnx", "--id", "a".repeat(300)},
                "300 characters", "at most 64");
        refused(new String[] {"models", "import", "src/test/resources/models/stream-tiny/stream.onnx", "--speakers", "1000000000"},
                "--speakers 1000000000", "1..256");
        assertFolderHolds("deep.json", "stages.json");
    }

    @Test
    void aModelTurningNaNMidConvertExits2AndLeavesNoFile() throws Exception {
        // stream-nan passes audio for 0.5 s, then its ONNX graph returns NaN (0 * sqrt(-1)).
        System.setProperty("voxmorph.models", "src/test/resources/models");
        try {
            Path out = dir.resolve("out.wav");
            refused(new String[] {"convert", SPEECH, out.toString(), "--model", "stream-nan"},
                    "model: ", "NaN or infinite", "no output written");
            assertFolderHolds();
        } finally {
            System.clearProperty("voxmorph.models");
        }
    }

    @Test
    void liveKeepsRunningWhenTheModelTurnsNaNAndSaysSoOnce() throws Exception {
        System.setProperty("voxmorph.models", "src/test/resources/models");
        System.setProperty(org.voxmorph.audio.file.FileBackend.INPUT_PROPERTY, SPEECH);
        try {
            CliTest.Run r = CliTest.run("live", "--backend", "file", "--seconds", "3", "--model", "stream-nan", "--no-watermark");
            assertEquals(0, r.code(), r.err());
            List<String> said = r.err().lines().filter(l -> l.contains("NaN or infinite")).toList();
            assertEquals(1, said.size(), r.err());
            assertTrue(said.get(0).startsWith("voxmorph: model: ") && said.get(0).endsWith("(silent instead)"), said.get(0));
            String last = r.err().lines().filter(l -> l.contains(" failed ")).reduce((a, b) -> b).orElse("");
            assertTrue(last.matches(".* failed [1-9][0-9]* .*"), "failed blocks counted: " + last);
        } finally {
            System.clearProperty("voxmorph.models");
            System.clearProperty(org.voxmorph.audio.file.FileBackend.INPUT_PROPERTY);
        }
    }

    @Test
    void aBrokenModelFolderIsMarkedAndTheOthersStillListed() throws Exception {
        Path models = dir.resolve("models");
        Files.createDirectories(models.resolve("deep"));
        Files.writeString(models.resolve("deep/model.json"), "{\"format\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}");
        Path good = models.resolve("good");
        Files.createDirectories(good);
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/models/stream-tiny"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, good.resolve(f.getFileName()));
            }
        }
        System.setProperty("voxmorph.models", models.toString());
        try {
            CliTest.Run r = CliTest.run("models");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("deep ") && l.contains("BROKEN") && l.contains("nesting")), r.out());
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("good ") && l.contains("sha256 ok")), r.out());
            refused(new String[] {"convert", SPEECH, dir.resolve("o.wav").toString(), "--model", "deep"}, "model.json", "nesting");
        } finally {
            System.clearProperty("voxmorph.models");
        }
    }

    @Test
    void importInstallsIntoTheUsersFolderAndBadFilesExit2() throws Exception {
        Path user = dir.resolve("user-models");
        String before = System.getProperty("voxmorph.userModels");
        System.setProperty("voxmorph.userModels", user.toString());
        System.setProperty("voxmorph.models", "src/test/resources/models");
        try {
            CliTest.Run r = CliTest.run("models", "import", "src/test/resources/models/stream-tiny/stream.onnx", "--id", "mine");
            assertEquals(0, r.code(), r.err());
            assertTrue(Files.isRegularFile(user.resolve("mine/model.json")), "installed in the user's folder");
            CliTest.Run list = CliTest.run("models");
            assertTrue(list.out().lines().anyMatch(l -> l.startsWith("mine ") && l.contains("yours")), list.out());
            assertTrue(list.out().lines().anyMatch(l -> l.startsWith("stream-tiny ") && l.contains("shipped")), list.out());
            Path pickle = dir.resolve("voice.pth");
            Files.write(pickle, new byte[] {(byte) 0x80, 2, 'c'});
            refused(new String[] {"models", "import", pickle.toString()}, "pickle");
        } finally {
            System.clearProperty("voxmorph.models");
            System.setProperty("voxmorph.userModels", before);
        }
    }

    /**
     * convert streams: a recording bigger than the whole Java heap converts, with the progress bar.
     * A child JVM with a 40 MB heap gets 60 MB of WAV (the old whole-file reader needed 3 bytes of
     * heap per byte of file).
     */
    @Test
    void convertStreamsAFileBiggerThanItsHeap() throws Exception {
        int rate = 16000;
        long frames = 30_000_000L;  // 31 minutes, 60 MB
        Path in = dir.resolve("long.wav");
        try (var ch = java.nio.channels.FileChannel.open(in, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(WavWriter.header(frames, rate)));
            ByteBuffer block = ByteBuffer.allocate(2 * 16000).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 16000; i++) {
                block.putShort((short) Math.round(8000 * Math.sin(2 * Math.PI * 220 * i / rate)));
            }
            for (long done = 0; done < frames; done += 16000) {
                block.rewind();
                ch.write(block);
            }
        }
        Path out = dir.resolve("out.wav");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx40m", "-cp", System.getProperty("java.class.path"), "-Dvoxmorph.home=.", Main.class.getName(),
                "convert", in.toString(), out.toString(), "--preset", "passthrough"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "finished");
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.contains("converting 100%"), "progress shown: " + log);
        try (WavReader r = WavReader.open(out)) {
            assertEquals(frames, r.frames());
            float[] head = new float[16000];
            r.read(head, 0, head.length);
            assertEquals(8000 / 32768.0 * Math.sin(2 * Math.PI * 220 * 123 / rate), head[123], 1e-3);
        }
    }

    static double rms(float[] x, int from, int to) {
        double e = 0;
        for (int i = from; i < to; i++) {
            e += x[i] * x[i];
        }
        return Math.sqrt(e / (to - from));
    }
}
