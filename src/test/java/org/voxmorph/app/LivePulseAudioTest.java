package org.voxmorph.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxmorph.audio.WavWriter;
import org.voxmorph.chain.ProcessorRegistry;
import org.voxmorph.engine.Engine;
import org.voxmorph.engine.OfflineRenderer;

/**
 * Live mode end to end through a real PulseAudio server (started by tools/start-pulseaudio.sh;
 * skipped only where there is no PulseAudio at all). Speech is played into the null sink
 * "voxmorph_test_mic", live mode records its monitor and plays into "voxmorph_test_out", and
 * the test records that sink's monitor.
 */
class LivePulseAudioTest {
    static final Path SPEECH = Path.of("../shared/speech/vctk_p225/p225_003.wav");
    static final int RATE = LiveHarness.RATE;

    @TempDir
    static Path dir;

    static LiveHarness pulse;

    @BeforeAll
    static void startServer() throws Exception {
        pulse = LiveHarness.start(dir);
        assumeTrue(pulse != null, "no PulseAudio server can be started here");
    }

    /** What one live run through the test devices gave. */
    record Run(double ncc, double clickDelayMs, List<String> status, String log, int exitCode, float[] heard, float[] played) {}

    /**
     * Starts live mode, plays speech and records what Voxmorph heard and what it played, then
     * (with {@code clicks}) measures the mic-to-output delay, keeps running until {@code seconds}
     * have passed, and stops it with Ctrl-C.
     */
    Run run(double seconds, boolean clicks, String... args) throws Exception {
        LiveHarness.LiveProcess live = pulse.live(args);
        long started = System.nanoTime();
        live.awaitRunning(2.0);
        LiveHarness.Recording heardRec = pulse.record(LiveHarness.MIC_SINK + ".monitor");
        LiveHarness.Recording playedRec = pulse.record(LiveHarness.OUT_SINK + ".monitor");
        Thread.sleep(300);
        pulse.play(LiveHarness.MIC_SINK, SPEECH);
        Thread.sleep(600);
        float[] heard = heardRec.stop();
        float[] played = playedRec.stop();
        double delayMs = Double.NaN;
        if (clicks) {
            delayMs = clickDelayMs();
        }
        long left = started + (long) (seconds * 1e9) - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000);
        }
        assertTrue(live.process().isAlive(), "live still running:\n" + live.text());
        int code = live.stop();
        String log = live.text();
        if (System.getenv("VOXMORPH_TEST_DUMP") != null) {
            WavWriter.write16(Path.of(System.getenv("VOXMORPH_TEST_DUMP"), "heard.wav"), heard, RATE);
            WavWriter.write16(Path.of(System.getenv("VOXMORPH_TEST_DUMP"), "played.wav"), played, RATE);
        }
        int lag = SignalMatch.bestLag(heard, played, RATE);
        double ncc = SignalMatch.windowedNcc(heard, played, lag, RATE);
        return new Run(ncc, delayMs, LiveHarness.statusLines(log, 0), log, code, heard, played);
    }

    /**
     * The click test: a combine sink sends each click both straight to the output sink and into
     * the test microphone, so one recording of the output holds every click twice, on one clock:
     * the gap is the mic-to-output delay through PulseAudio and Voxmorph.
     */
    double clickDelayMs() throws Exception {
        String module = pulse.output("pactl", "load-module", "module-combine-sink", "sink_name=voxmorph_test_probe",
                "slaves=" + LiveHarness.MIC_SINK + "," + LiveHarness.OUT_SINK).strip();
        try {
            Path clicks = dir.resolve("clicks.wav");
            int count = 8;
            WavWriter.write16(clicks, SignalMatch.clicks(RATE, count, 0.4), RATE);
            Thread.sleep(500);
            LiveHarness.Recording rec = pulse.record(LiveHarness.OUT_SINK + ".monitor");
            Thread.sleep(300);
            pulse.play("voxmorph_test_probe", clicks);
            Thread.sleep(500);
            float[] y = rec.stop();
            List<Integer> delays = SignalMatch.doubleClickDelays(y, RATE, count);
            assertTrue(delays.size() >= count / 2, "clicks found twice in the recording: " + delays);
            return 1000.0 * SignalMatch.median(delays) / RATE;
        } finally {
            pulse.run("pactl", "unload-module", module);
        }
    }

    static void assertNoXrunsOrLateBlocksAfterStart(Run r) {
        List<String> s = r.status();
        assertTrue(s.size() >= 3, "status lines, one a second:\n" + r.log());
        String settled = s.get(2);
        String last = s.get(s.size() - 1);
        assertEquals(0, LiveHarness.field(last, "xruns"), "xruns:\n" + r.log());
        assertEquals(LiveHarness.field(settled, "late"), LiveHarness.field(last, "late"), "late blocks after start:\n" + r.log());
        assertEquals(0, LiveHarness.field(last, "overruns"), "input overruns:\n" + r.log());
    }

    @Test
    void passthroughOnJavaSoundForAMinute() throws Exception {
        Run r = run(Double.parseDouble(System.getProperty("voxmorph.liveSeconds", "60")), true, "--backend", "javasound", "--input", LiveHarness.MIC, "--output", LiveHarness.OUT,
                "--preset", "passthrough", "--block-ms", "10");
        System.out.printf("javasound: mic-to-output delay %.1f ms, correlation %.3f%n", r.clickDelayMs(), r.ncc());
        assertTrue(r.ncc() >= 0.9, "recording matches what Voxmorph heard: NCC " + r.ncc() + "\n" + r.log());
        assertNoXrunsOrLateBlocksAfterStart(r);
        assertTrue(r.clickDelayMs() > 0 && r.clickDelayMs() < 150, "delay " + r.clickDelayMs() + " ms");
        assertFalse(r.log().contains("Exception"), r.log());
        assertTrue(r.status().size() >= Double.parseDouble(System.getProperty("voxmorph.liveSeconds", "60")) - 5, "a status line every second for a minute: " + r.status().size());
    }

    /**
     * The pitch part: {@code deep} when presets/ has it, else passthrough with --pitch -4; the
     * recording must match an offline conversion of what Voxmorph heard, in pitch.
     */
    @Test
    void pitchShiftLiveMatchesItsSetting() throws Exception {
        assumeTrue(ProcessorRegistry.builtIn().has("pitch-shift"), "the pitch-shift processor is not in this build");
        boolean deep = Files.exists(Path.of("presets/deep.json"));
        String[] voice = deep ? new String[] {"--preset", "deep"} : new String[] {"--preset", "passthrough", "--pitch", "-4"};
        double semitones = deep ? presetSemitones(Path.of("presets/deep.json")) : -4;
        String[] args = concat(new String[] {"--backend", "javasound", "--input", LiveHarness.MIC, "--output", LiveHarness.OUT,
            "--block-ms", "10"}, voice);
        Run r = run(8, false, args);
        VoiceOptions options = new VoiceOptions();
        picocli.CommandLine.populateCommand(options, voice);
        float[] offline;
        try (Engine engine = new Engine(options.buildChain(), RATE, RATE / 100, RATE)) {
            offline = OfflineRenderer.render(engine, r.heard(), null);
        }
        double expected = Math.pow(2, semitones / 12);
        double live = SignalMatch.medianPitch(r.played(), RATE) / SignalMatch.medianPitch(r.heard(), RATE);
        double reference = SignalMatch.medianPitch(offline, RATE) / SignalMatch.medianPitch(r.heard(), RATE);
        System.out.printf("pitch: live ratio %.3f, offline %.3f, setting %.3f%n", live, reference, expected);
        assertEquals(expected, live, 0.03 * expected, "live pitch ratio");
        assertEquals(reference, live, 0.03 * reference, "live matches offline convert");
        assertNoXrunsOrLateBlocksAfterStart(r);
    }

    private static double presetSemitones(Path preset) throws Exception {
        JsonNode steps = new ObjectMapper().readTree(preset.toFile()).get("chain");
        for (JsonNode step : steps) {
            JsonNode p = step.path("params").get("semitones");
            if (p != null) {
                return p.asDouble();
            }
        }
        return 0;
    }

    @Test
    void unknownDeviceListsTheDevicesThatExist() throws Exception {
        LiveHarness.LiveProcess live = pulse.live("--backend", "javasound", "--input", "no-such-mic", "--seconds", "1");
        assertTrue(live.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        String err = live.text().strip();
        assertEquals(2, live.process().exitValue(), err);
        assertTrue(err.startsWith("voxmorph: no input device 'no-such-mic'") && err.contains(LiveHarness.MIC), err);
        assertFalse(err.contains("\n"), "one line: " + err);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
