package org.voxmorph.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxmorph.audio.WavWriter;

/**
 * Live mode with the virtual microphone on the private PulseAudio server, when things go wrong:
 * its modules unloaded under it, the server restarted, a second session, a session killed, Ctrl-C.
 * A tone plays into the test microphone throughout; "audio flows" means the tone is recorded
 * from "Voxmorph Microphone" (source voxmorph_mic); the speakers are the default sink.
 */
class LiveFaultsTest {
    private static final String VIRTUAL_MIC = "voxmorph_mic";
    private static final double TONE_RMS = 0.25 / Math.sqrt(2);

    @TempDir
    static Path dir;

    static LiveHarness pulse;
    private Process tone;

    @BeforeAll
    static void startServer() throws Exception {
        pulse = LiveHarness.start(dir);
        assumeTrue(pulse != null, "no PulseAudio server can be started here");
    }

    @BeforeEach
    void playTone() throws Exception {
        pulse = LiveHarness.start(dir); // a test before may have restarted it
        float[] x = new float[90 * LiveHarness.RATE];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.25 * Math.sin(2 * Math.PI * 200 * i / LiveHarness.RATE));
        }
        Path wav = dir.resolve("tone.wav");
        WavWriter.write16(wav, x, LiveHarness.RATE);
        tone = pulse.command("paplay", "-d", LiveHarness.MIC_SINK, wav.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    @AfterEach
    void stopTone() throws Exception {
        tone.destroy();
        tone.waitFor(5, TimeUnit.SECONDS);
        pulse.run("bash", "-c", "pactl list modules short | grep -E 'voxmorph_(sink|mic)' | cut -f1 | sort -rn"
                + " | xargs -r -n1 pactl unload-module");
    }

    private LiveHarness.LiveProcess live(String... extra) throws Exception {
        return liveOn("javasound", extra);
    }

    private LiveHarness.LiveProcess liveOn(String backend, String... extra) throws Exception {
        String[] args = {"--backend", backend, "--input", LiveHarness.MIC, "--virtual-mic", "--preset", "passthrough"};
        String[] all = Arrays.copyOf(args, args.length + extra.length);
        System.arraycopy(extra, 0, all, args.length, extra.length);
        return pulse.live(all);
    }

    /** Seconds until "Voxmorph Microphone" delivers the tone again, or -1 when it does not within the limit. */
    private double secondsUntilTheToneFlows(long since, double limitSeconds) throws Exception {
        long deadline = since + (long) (limitSeconds * 1e9);
        while (System.nanoTime() < deadline) {
            if (pulse.output("pactl", "list", "sources", "short").contains(VIRTUAL_MIC + "\t")) {
                LiveHarness.Recording r = pulse.record(VIRTUAL_MIC);
                Thread.sleep(600);
                float[] y = r.stop();
                if (y.length > 0 && SignalMatch.rms(y) > TONE_RMS / 3) {
                    return (System.nanoTime() - since) / 1e9;
                }
            } else {
                Thread.sleep(50);
            }
        }
        return -1;
    }

    private List<String> ourModules() throws Exception {
        return pulse.output("pactl", "list", "modules", "short").lines()
                .filter(l -> l.contains("sink_name=voxmorph_sink") || l.contains("source_name=voxmorph_mic")).toList();
    }

    @Test
    void unloadedModulesAreMadeAgainAndTheVoiceNeverReachesTheSpeakers() throws Exception {
        unloadedModulesAreMadeAgain("javasound");
    }

    /** The native backend's streams do not move with their device: they end, and are made again. */
    @Test
    void unloadedModulesAreMadeAgainOnPulse() throws Exception {
        assumeTrue(LivePulseAudioTest.pulseInstalled(), "libpulse0 is not installed");
        unloadedModulesAreMadeAgain("pulse");
    }

    private void unloadedModulesAreMadeAgain(String backend) throws Exception {
        LiveHarness.LiveProcess live = liveOn(backend);
        try {
            live.awaitRunning(2.0);
            assertTrue(secondsUntilTheToneFlows(System.nanoTime(), 5) >= 0, "audio flows first:\n" + live.text());
            LiveHarness.Recording speakers = pulse.record(LiveHarness.OUT_SINK + ".monitor");
            Thread.sleep(300);
            long unloaded = System.nanoTime();
            for (String m : ourModules().stream().map(l -> l.split("\t")[0]).sorted((a, b) -> Integer.parseInt(b) - Integer.parseInt(a)).toList()) {
                pulse.run("pactl", "unload-module", m);
            }
            double back = secondsUntilTheToneFlows(unloaded, 10);
            float[] heard = speakers.stop();
            String log = live.text();
            System.out.printf(backend + ", modules unloaded: the tone flows from the virtual mic again after %.2f s; speakers rms %.4f%n",
                    back, SignalMatch.rms(heard));
            assertTrue(back >= 0, "the virtual microphone is made again and the voice flows:\n" + log);
            assertTrue(SignalMatch.rms(heard) < 0.001, "nothing reached the speakers: rms " + SignalMatch.rms(heard) + "\n" + log);
            assertTrue(log.contains("Voxmorph Microphone was removed from the sound server"), log);
            assertTrue(log.contains("re-created Voxmorph Microphone"), log);
        } finally {
            live.stop();
        }
    }

    @Test
    void aServerRestartMakesTheVirtualMicAgainAndAudioFlows() throws Exception {
        aServerRestartMakesTheVirtualMicAgain("javasound");
    }

    @Test
    void aServerRestartMakesTheVirtualMicAgainOnPulse() throws Exception {
        assumeTrue(LivePulseAudioTest.pulseInstalled(), "libpulse0 is not installed");
        aServerRestartMakesTheVirtualMicAgain("pulse");
    }

    private void aServerRestartMakesTheVirtualMicAgain(String backend) throws Exception {
        LiveHarness.LiveProcess live = liveOn(backend);
        try {
            live.awaitRunning(2.0);
            pulse.run("pulseaudio", "--kill");
            Thread.sleep(2000);
            pulse = LiveHarness.start(dir);
            long serverBack = System.nanoTime();
            assertTrue(pulse != null, "the server restarts");
            tone.destroy();
            playTone();
            double back = secondsUntilTheToneFlows(serverBack, 10);
            System.out.printf("%s, server restart: the tone flows from the virtual mic %.2f s after the server's return%n",
                    backend, back);
            assertTrue(back <= 3, "within 3 s of the server's return: " + back + " s\n" + live.text());
            assertTrue(back >= 0, "the virtual microphone is back and the voice flows:\n" + live.text());
            assertTrue(live.process().isAlive(), live.text());
        } finally {
            live.stop();
        }
    }

    @Test
    void aSecondSessionIsRefusedWithOneLine() throws Exception {
        LiveHarness.LiveProcess first = live();
        try {
            first.awaitRunning(0.5);
            LiveHarness.LiveProcess second = live("--seconds", "3");
            assertTrue(second.process().waitFor(30, TimeUnit.SECONDS));
            String err = second.text().strip();
            assertEquals(2, second.process().exitValue(), err);
            assertTrue(err.startsWith("voxmorph: Voxmorph Microphone is in use by the running voxmorph session pid "
                    + first.process().pid()), err);
            assertFalse(err.contains("\n"), "one line: " + err);
            assertTrue(first.process().isAlive() && secondsUntilTheToneFlows(System.nanoTime(), 5) >= 0,
                    "the first session runs on:\n" + first.text());
        } finally {
            first.stop();
        }
    }

    @Test
    void aKilledSessionsMicIsCalledLeftOverAndCreateCleansIt() throws Exception {
        LiveHarness.LiveProcess live = live();
        live.awaitRunning(0.5);
        live.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        String status = pulse.output(javaCommand("virtual-mic", "status"));
        assertTrue(status.contains("ready          no"), status);
        assertTrue(status.contains("left by a dead session (voxmorph session pid " + live.process().pid() + ")"), status);
        String created = pulse.output(javaCommand("virtual-mic", "create"));
        assertTrue(created.contains("left behind by voxmorph session pid " + live.process().pid()), created);
        String after = pulse.output(javaCommand("virtual-mic", "status"));
        assertTrue(after.contains("ready          yes") && after.contains("owner          user"), after);
    }

    @Test
    void ctrlCStopsPromptlyAndCleansUp() throws Exception {
        ctrlCStopsPromptly("javasound");
    }

    @Test
    void ctrlCStopsPromptlyOnPulse() throws Exception {
        assumeTrue(LivePulseAudioTest.pulseInstalled(), "libpulse0 is not installed");
        ctrlCStopsPromptly("pulse");
    }

    private void ctrlCStopsPromptly(String backend) throws Exception {
        LiveHarness.LiveProcess live = liveOn(backend);
        live.awaitRunning(1.0);
        long asked = System.nanoTime();
        int code = live.stop();
        double seconds = (System.nanoTime() - asked) / 1e9;
        System.out.printf("%s, Ctrl-C (SIGTERM) to exit: %.2f s%n", backend, seconds);
        assertTrue(seconds < 2.0, "stopped in " + seconds + " s:\n" + live.text());
        assertTrue(ourModules().isEmpty(), "the virtual microphone is removed: " + ourModules());
        assertTrue(code == 0 || code == 143, "exit code " + code);
    }

    /**
     * An underrun must cost what the stall cost, not seconds (it cost about 2 s when the stream had
     * to be restarted): the session is frozen for 150 ms (SIGSTOP, as a starved machine would),
     * and the longest silence in the virtual microphone's feed is measured.
     */
    @Test
    void aStallCostsTheStallNotSeconds() throws Exception {
        int ms = longestSilenceMsAfterAStall("javasound");
        assertTrue(ms <= 600, "longest silence " + ms + " ms after a " + STALL_MS + " ms stall");
    }

    /**
     * On the native backend the playback stream restarts as soon as data comes after its underrun,
     * and the input that piled up in the server is all played: the silence is the stall's own length
     * (less the cushion), no more.
     */
    @Test
    void aStallCostsNoMoreThanTheStallOnPulse() throws Exception {
        assumeTrue(LivePulseAudioTest.pulseInstalled(), "libpulse0 is not installed");
        int ms = longestSilenceMsAfterAStall("pulse");
        assertTrue(ms <= STALL_MS + 20, "longest silence " + ms + " ms after a " + STALL_MS + " ms stall");
    }

    private static final int STALL_MS = 150;

    /** Longest silence (ms) in the virtual microphone's feed around a 150 ms freeze of the session. */
    private int longestSilenceMsAfterAStall(String backend) throws Exception {
        LiveHarness.LiveProcess live = liveOn(backend);
        try {
            live.awaitRunning(3.0);
            LiveHarness.Recording fed = pulse.record("voxmorph_sink.monitor");
            Thread.sleep(1500);
            String pid = Long.toString(live.process().pid());
            pulse.run("kill", "-STOP", pid);
            Thread.sleep(STALL_MS);
            pulse.run("kill", "-CONT", pid);
            Thread.sleep(3000);
            float[] y = fed.stop();
            int block = LiveHarness.RATE / 100;
            int longest = 0;
            int run = 0;
            for (int b = 0; (b + 1) * block <= y.length; b++) {
                double e = 0;
                for (int i = b * block; i < (b + 1) * block; i++) {
                    e += y[i] * y[i];
                }
                run = Math.sqrt(e / block) < TONE_RMS / 8 ? run + 1 : 0;
                longest = Math.max(longest, run);
            }
            System.out.printf("%s, a %d ms stall: longest silence %d ms%n", backend, STALL_MS, longest * 10);
            assertTrue(y.length > 4 * LiveHarness.RATE, "recorded " + y.length);
            return longest * 10;
        } finally {
            live.stop();
        }
    }

    private static String[] javaCommand(String... args) {
        String[] base = {Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
            System.getProperty("java.class.path"), Main.class.getName()};
        String[] all = Arrays.copyOf(base, base.length + args.length);
        System.arraycopy(args, 0, all, base.length, args.length);
        return all;
    }
}
