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
    /**
     * PulseAudio stalls new streams for up to two seconds and then delivers in bursts while they
     * settle; the bridge rides that out with crossfaded passthrough, which a correlation would
     * count against us, so the speech starts after this.
     */
    static final double SETTLE_SECONDS = 4;
    /** The source that appears to applications as "Voxmorph Microphone". */
    static final String VIRTUAL_MIC_SOURCE = "voxmorph_mic";

    @TempDir
    static Path dir;

    static LiveHarness pulse;  // replaced when a test restarts the server

    @BeforeAll
    static void startServer() throws Exception {
        pulse = LiveHarness.start(dir);
        assumeTrue(pulse != null, "no PulseAudio server can be started here");
    }

    /** What one live run through the test devices gave; {@code loss} against an offline render of {@code heard}. */
    record Run(double clickDelayMs, List<String> status, String log, int exitCode, float[] heard, float[] played,
            float[] offline, SpeechLoss.Result loss) {}

    /**
     * Starts live mode with {@code voice} (the voice options), plays {@code speech} into the test
     * microphone (with {@code -Dvoxmorph.loaded=true} while a {@link CpuHog} keeps both cores busy), records what Voxmorph heard and what
     * it played, keeps running until {@code seconds} have passed and stops it with Ctrl-C; measures
     * what was lost against an offline render of what it heard through the same voice; then (with
     * {@code clicks}, and without the hog) measures the mic-to-output delay in a run of its own.
     * {@code devices[1]} is the backend.
     */
    Run run(double seconds, boolean clicks, Path speech, String[] devices, String... voice) throws Exception {
        LiveHarness.LiveProcess live = pulse.live(concat(devices, voice));
        long started = System.nanoTime();
        float[] heard;
        float[] played;
        try (CpuHog hog = new CpuHog()) {
            live.awaitRunning(SETTLE_SECONDS);
            LiveHarness.Recording heardRec = pulse.record(LiveHarness.MIC_SINK + ".monitor");
            // With --virtual-mic the recording is what any application hears from "Voxmorph Microphone".
            boolean virtualMic = List.of(devices).contains("--virtual-mic");
            LiveHarness.Recording playedRec = pulse.record(virtualMic ? VIRTUAL_MIC_SOURCE : LiveHarness.OUT_SINK + ".monitor");
            Thread.sleep(300);
            pulse.play(LiveHarness.MIC_SINK, speech);
            Thread.sleep(600);
            heard = heardRec.stop();
            played = playedRec.stop();
            long left = started + (long) (seconds * 1e9) - System.nanoTime();
            if (left > 0) {
                Thread.sleep(left / 1_000_000);
            }
        }
        assertTrue(live.process().isAlive(), "live still running:\n" + live.text());
        int code = live.stop();
        String log = live.text();
        if (System.getenv("VOXMORPH_TEST_DUMP") != null) {
            WavWriter.write16(Path.of(System.getenv("VOXMORPH_TEST_DUMP"), "heard.wav"), heard, RATE);
            WavWriter.write16(Path.of(System.getenv("VOXMORPH_TEST_DUMP"), "played.wav"), played, RATE);
        }
        VoiceOptions options = new VoiceOptions();
        picocli.CommandLine.populateCommand(options, voice);
        float[] offline;
        boolean converts;
        try (Engine engine = new Engine(options.buildChain(), RATE, RATE / 100, RATE)) {
            converts = engine.chain().converts();
            offline = OfflineRenderer.render(engine, heard, null);
        }
        // The two recorders start a little apart, either first: the lag is searched half a second either way.
        SpeechLoss.Result loss = converts ? SpeechLoss.measureLevel(offline, played, RATE, RATE / 100, RATE / 2, RATE)
                : SpeechLoss.measure(offline, played, RATE, RATE / 100, RATE / 2, RATE);
        double delayMs = clicks ? clickDelayMs(devices[1]) : Double.NaN;
        return new Run(delayMs, LiveHarness.statusLines(log, 0), log, code, heard, played, offline, loss);
    }

    /**
     * The click test, on one clock: live mode records the test microphone and plays back into it,
     * at -6 dB, so each click comes round again and again, halving each time; the spacing of the
     * echoes is the full mic-to-output delay through PulseAudio and Voxmorph.
     */
    double clickDelayMs(String backend) throws Exception {
        Path half = dir.resolve("half.json");
        Files.writeString(half, "{\"name\":\"half\",\"description\":\"-6 dB, for the echo click test\","
                + "\"chain\":[{\"processor\":\"gain\",\"params\":{\"gainDb\":-6}}]}");
        LiveHarness.LiveProcess live = pulse.live("--backend", backend, "--input", LiveHarness.MIC,
                "--output", "pulse:" + LiveHarness.MIC_SINK, "--preset", half.toString(), "--block-ms", "10");
        try {
            live.awaitRunning(3.0);
            Path clicks = dir.resolve("clicks.wav");
            int count = 6;
            WavWriter.write16(clicks, SignalMatch.clicks(RATE, count, 0.5), RATE);
            LiveHarness.Recording rec = pulse.record(LiveHarness.MIC_SINK + ".monitor");
            Thread.sleep(300);
            pulse.play(LiveHarness.MIC_SINK, clicks);
            Thread.sleep(500);
            List<Integer> delays = SignalMatch.echoDelays(rec.stop(), RATE);
            if (delays.size() < count / 2 && !backend.equals("pulse") && underran(live.text())) {
                return Double.NaN;
            }
            assertTrue(delays.size() >= count / 2, "echoes found: " + delays + "\n" + live.text());
            return 1000.0 * SignalMatch.median(delays) / RATE;
        } finally {
            live.stop();
        }
    }

    /** Whether the device reported an underrun in the run whose log this is. */
    static boolean underran(String log) {
        List<String> status = LiveHarness.statusLines(log, 0);
        return !status.isEmpty() && LiveHarness.field(status.get(status.size() - 1), "xruns") > 0;
    }

    /**
     * The click delay of a backend that plays through ALSA's pulse plugin (Java Sound, PortAudio):
     * where the plugin underran during the click run, its recovery (a new stream, 20-170 ms, with a
     * new delay) can take the whole click train with it (a `.ci/run` on a busy host found no echo at
     * all, with 10 underruns), and there is no delay to measure; the run is then skipped, after its
     * speech was checked. With no underrun, echoes are required as on pulse.
     */
    static void assertClickDelay(Run r, String backend, double boundMs) {
        assumeTrue(!Double.isNaN(r.clickDelayMs()), backend + ": ALSA's pulse plugin underran during the click run and "
                + "lost the clicks; no delay to measure this time");
        assertTrue(r.clickDelayMs() > 0 && r.clickDelayMs() < boundMs, "delay " + r.clickDelayMs() + " ms");
    }

    /**
     * What the user hears: little of the speech lost (silent, faded, glitched or wrong against the
     * offline render) and no long gap; see {@link #LOADED} for the bounds. Xruns and late blocks are the devices' and the engine's own
     * bookkeeping; they are printed, and a late block that cost nothing audible is no failure.
     */
    static void assertSpeechKept(Run r) {
        System.out.printf("  %s; last status: %s%n", r.loss(), r.status().isEmpty() ? "none" : r.status().get(r.status().size() - 1));
        assertTrue(r.loss().speechBlocks() > 100, "speech to measure: " + r.loss());
        assertTrue(100 * r.loss().fraction() <= MAX_LOSS_PERCENT, "speech lost: " + r.loss() + "\n" + r.log());
        assertTrue(r.loss().longestGapMs() <= MAX_GAP_MS, "gap: " + r.loss() + "\n" + r.log());
    }

    /**
     * The bar, asserted with {@code -Dvoxmorph.loaded=true}: 0.5 % and no gap over one 10 ms
     * block. The test server's main thread, which carries every client's samples, is not real-time
     * (nice -11, as on a desktop), and a busy machine delays it by tens of milliseconds now and then.
     * Through ALSA's pulse plugin (PortAudio, Java Sound) each underrun that causes costs 20-170 ms
     * (the plugin makes a new stream), and the bar was not met reliably; the pulse backend's underruns
     * cost their own length less its cushion, which they grow, and which is held at 60 ms while the
     * machine is busy. Measured on pulse: this minute with its two spinning threads, 0.00 % lost, no
     * gap, no underrun; under stress-ng --cpu 2, 600 s of deep 0.08 % with no gap over one block
     * (README). The normal run guards against the old failure (every underrun
     * silenced the microphone for about 2 s, 27 % of the speech): at most 2 % lost and no gap over
     * 200 ms; on PortAudio it failed twice in one run while other jobs loaded the machine (load 5-10).
     */
    static final boolean LOADED = Boolean.getBoolean("voxmorph.loaded");
    static final double MAX_LOSS_PERCENT = LOADED ? 0.5 : 2;
    static final double MAX_GAP_MS = LOADED ? 10 : 200;

    /** The CI minute, under load: the backend plain live mode picks here (pulse where libpulse0 is installed). */
    @Test
    void passthroughForAMinuteUnderLoadKeepsTheSpeech() throws Exception {
        String backend = plainBackend();
        double seconds = Double.parseDouble(System.getProperty("voxmorph.liveSeconds", "58"));
        Run r = run(seconds, false, longSpeech(seconds - 14), new String[] {"--backend", backend, "--input", LiveHarness.MIC,
            "--virtual-mic", "--block-ms", "10"}, "--preset", "passthrough");
        System.out.printf("%s for %.0f s under load%n", backend, seconds);
        assertSpeechKept(r);
        assertFalse(r.log().contains("Exception"), r.log());
        assertTrue(r.status().size() >= seconds - SETTLE_SECONDS - 2, "a status line every second: " + r.status().size());
    }

    /** VCTK p225's sentences back to back, as one file of about {@code seconds}, at their own 16 kHz. */
    static Path longSpeech(double seconds) throws Exception {
        List<Path> files;
        try (var list = Files.list(SPEECH.getParent())) {
            files = list.filter(f -> f.toString().endsWith(".wav")).sorted().toList();
        }
        float[] all = new float[0];
        int rate = 0;
        for (Path f : files) {
            var a = org.voxmorph.audio.WavReader.read(f);
            rate = a.sampleRate();
            if (all.length >= seconds * rate) {
                break;
            }
            int at = all.length;
            all = java.util.Arrays.copyOf(all, at + a.samples().length);
            System.arraycopy(a.samples(), 0, all, at, a.samples().length);
        }
        Path out = dir.resolve("long-speech.wav");
        WavWriter.write16(out, java.util.Arrays.copyOf(all, (int) Math.min(all.length, seconds * rate)), rate);
        return out;
    }

    /** Java Sound, the backend that needs nothing installed. */
    @Test
    void passthroughOnJavaSound() throws Exception {
        // Ten seconds of speech: a thousand blocks, so the 0.5 % bound is five of them, not two.
        Run r = run(12, true, longSpeech(10), new String[] {"--backend", "javasound", "--input", LiveHarness.MIC, "--output",
            LiveHarness.OUT, "--block-ms", "10"}, "--preset", "passthrough");
        System.out.printf("javasound: mic-to-output delay %.1f ms%n", r.clickDelayMs());
        assertSpeechKept(r);
        assertClickDelay(r, "javasound", 150);
    }

    /**
     * The native PulseAudio backend: speech kept, and its mic-to-output delay. Compared with
     * PortAudio's in the same runs it came out 0-10 ms above (26.5 against 26.8 ms, 33.6 against
     * 27.5, 36.8 against 27.1); that comparison, three more click runs, is not made here: on a busy
     * machine PortAudio's own start-up underruns lose its clicks (a full test run failed so once).
     */
    @Test
    void passthroughOnPulse() throws Exception {
        assumeTrue(pulseInstalled(), "libpulse0 is not installed");
        Run r = run(12, true, longSpeech(10), new String[] {"--backend", "pulse", "--input", LiveHarness.MIC, "--output",
            LiveHarness.OUT, "--block-ms", "10"}, "--preset", "passthrough");
        System.out.printf("pulse: mic-to-output delay %.1f ms%n", r.clickDelayMs());
        assertSpeechKept(r);
        // 26-37 ms on a quiet machine. The bound leaves room for one server stall on a busy machine to
        // have grown the cushion to twice its length (a 40 ms stall: 80 ms more), and catches a queue
        // that never came down (a sink asleep at the start once left 545 ms).
        assertTrue(r.clickDelayMs() > 0 && r.clickDelayMs() < 120, "delay " + r.clickDelayMs() + " ms");
    }

    @Test
    void passthroughOnPortAudio() throws Exception {
        assumeTrue(portAudioInstalled(), "libportaudio2 is not installed");
        Run r = run(12, true, longSpeech(10), new String[] {"--backend", "portaudio", "--input", LiveHarness.MIC, "--output",
            LiveHarness.OUT, "--block-ms", "10"}, "--preset", "passthrough");
        System.out.printf("portaudio: mic-to-output delay %.1f ms%n", r.clickDelayMs());
        assertSpeechKept(r);
        assertClickDelay(r, "portaudio", 150);
    }

    /**
     * The pitch part: {@code deep} when presets/ has it, else passthrough with --pitch -4; the
     * recording must match an offline conversion of what Voxmorph heard, in pitch, and lose no
     * more of it than the passthrough runs (measured on the envelope: a pitch shifter's live
     * waveform need not match the offline one sample for sample).
     */
    @Test
    void pitchShiftLiveMatchesItsSetting() throws Exception {
        assumeTrue(ProcessorRegistry.builtIn().has("pitch-shift"), "the pitch-shift processor is not in this build");
        boolean deep = Files.exists(Path.of("presets/deep.json"));
        String[] voice = deep ? new String[] {"--preset", "deep"} : new String[] {"--preset", "passthrough", "--pitch", "-4"};
        double semitones = deep ? presetSemitones(Path.of("presets/deep.json")) : -4;
        // The backend plain live mode picks, as a user of --virtual-mic gets it.
        String backend = plainBackend();
        // Ten seconds of speech, as in the passthrough runs: with one sentence (480 blocks) the 2 %
        // bound was nine blocks, and a run on a busy host once lost ten (the longest gap 20 ms).
        Run r = run(12, false, longSpeech(10), new String[] {"--backend", backend, "--input", LiveHarness.MIC, "--virtual-mic",
            "--block-ms", "10"}, voice);
        double expected = Math.pow(2, semitones / 12);
        double live = SignalMatch.medianPitch(r.played(), RATE) / SignalMatch.medianPitch(r.heard(), RATE);
        double reference = SignalMatch.medianPitch(r.offline(), RATE) / SignalMatch.medianPitch(r.heard(), RATE);
        System.out.printf("pitch: live ratio %.3f, offline %.3f, setting %.3f%n", live, reference, expected);
        assertEquals(expected, live, 0.03 * expected, "live pitch ratio");
        assertEquals(reference, live, 0.03 * reference, "live matches offline convert");
        assertSpeechKept(r);
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

    /** --monitor: the headphones hear what the output gets. */
    @Test
    void monitorPlaysTheResultToo() throws Exception {
        String backend = plainBackend();
        LiveHarness.LiveProcess live = pulse.live("--backend", backend, "--input", LiveHarness.MIC, "--output", LiveHarness.OUT,
                "--monitor", "pulse:voxmorph_test_headphones", "--preset", "passthrough");
        try {
            live.awaitRunning(SETTLE_SECONDS);
            LiveHarness.Recording played = pulse.record(LiveHarness.OUT_SINK + ".monitor");
            LiveHarness.Recording heard = pulse.record("voxmorph_test_headphones.monitor");
            Thread.sleep(300);
            pulse.play(LiveHarness.MIC_SINK, SPEECH);
            float[] out = played.stop();
            float[] headphones = heard.stop();
            assertTrue(SignalMatch.rms(out) > 0.01, "the output plays: " + SignalMatch.rms(out));
            float[] padded = new float[headphones.length + RATE / 2];
            System.arraycopy(headphones, 0, padded, RATE / 2, headphones.length);
            double ncc = SignalMatch.windowedNcc(out, padded, SignalMatch.bestLag(out, padded, 3 * RATE / 2), RATE);
            assertTrue(ncc >= 0.9, "the headphones hear the output: NCC " + ncc + "\n" + live.text());
        } finally {
            live.stop();
        }
    }

    /** The server goes away for three seconds (as when it restarts): reported, reopened, and the engine ran on. */
    @Test
    void reopensTheDevicesWhenTheServerComesBack() throws Exception {
        reopensWhenTheServerComesBack("javasound");
    }

    /** The same on the native backend: its connection ends with the server, and a new one is made. */
    @Test
    void pulseReopensWhenTheServerComesBack() throws Exception {
        assumeTrue(pulseInstalled(), "libpulse0 is not installed");
        reopensWhenTheServerComesBack("pulse");
    }

    private void reopensWhenTheServerComesBack(String backend) throws Exception {
        LiveHarness.LiveProcess live = pulse.live("--backend", backend, "--input", LiveHarness.MIC,
                "--output", LiveHarness.OUT, "--preset", "passthrough");
        try {
            live.awaitRunning(2.0);
            pulse.run("pulseaudio", "--kill");
            Thread.sleep(3000);
            pulse = LiveHarness.start(dir);
            assertTrue(pulse != null, "the server restarts");
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (!live.text().contains("the devices are back") && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(2000);
            LiveHarness.Recording played = pulse.record(LiveHarness.OUT_SINK + ".monitor");
            Thread.sleep(300);
            pulse.play(LiveHarness.MIC_SINK, SPEECH);
            float[] y = played.stop();
            String log = live.text();
            assertTrue(log.contains("reopening when it is back (the voice keeps running)"), log);
            assertTrue(log.contains("voxmorph: the devices are back"), log);
            assertTrue(SignalMatch.rms(y) > 0.01, "speech comes through after the restart: rms " + SignalMatch.rms(y) + "\n" + log);
            String during = log.substring(log.indexOf("reopening when"), log.indexOf("the devices are back"));
            assertTrue(LiveHarness.statusLines(during, 0).size() >= 2, "status went on while the devices were away:\n" + log);
        } finally {
            live.stop();
        }
    }

    @Test
    void unknownDeviceListsTheDevicesThatExist() throws Exception {
        unknownDeviceIsNamed("javasound", "no-such-mic");
    }

    /** The pulse backend finds out from the server (no such source), and answers the same way. */
    @Test
    void unknownDeviceListsTheDevicesThatExistOnPulse() throws Exception {
        assumeTrue(pulseInstalled(), "libpulse0 is not installed");
        unknownDeviceIsNamed("pulse", "pulse:no-such-mic");
    }

    private void unknownDeviceIsNamed(String backend, String device) throws Exception {
        LiveHarness.LiveProcess live = pulse.live("--backend", backend, "--input", device, "--seconds", "1");
        assertTrue(live.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        String err = live.text().strip();
        assertEquals(2, live.process().exitValue(), err);
        assertTrue(err.startsWith("voxmorph: no input device '" + device + "'") && err.contains(LiveHarness.MIC), err);
        assertFalse(err.contains("\n"), "one line: " + err);
    }

    /** The backend plain live mode picks where the test server runs: pulse, else PortAudio, else Java Sound. */
    static String plainBackend() {
        return pulseInstalled() ? "pulse" : portAudioInstalled() ? "portaudio" : "javasound";
    }

    static boolean pulseInstalled() {
        try {
            com.sun.jna.NativeLibrary.getInstance("libpulse.so.0");
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    private static boolean portAudioInstalled() {
        try {
            com.sun.jna.NativeLibrary.getInstance("libportaudio.so.2");
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    private static String[] concat(String[] a, String[] b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
