package org.voxmorph.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxmorph.audio.AudioDeviceException;

/**
 * Against the real PulseAudio/PipeWire server of this session; skipped when none is reachable (CI
 * starts one). These tests load and unload the Voxmorph modules, so a Voxmorph Microphone made by
 * hand on this server is removed by them.
 */
class PulseVirtualMicrophoneTest {
    static final int RATE = 48000;
    static final double TONE_HZ = 1234;

    @TempDir
    Path dir;

    private final Pactl pactl = new Pactl();
    private final PulseVirtualMicrophone mic = new PulseVirtualMicrophone();

    @BeforeEach
    void needsServerAndStartsClean() throws Exception {
        Assumptions.assumeTrue(serverReachable(), "no PulseAudio/PipeWire server reachable");
        mic.remove();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (serverReachable()) {
            mic.release();
            mic.remove();
        }
    }

    static boolean serverReachable() {
        try {
            new Pactl().serverName();
            return true;
        } catch (AudioDeviceException e) {
            return false;
        }
    }

    @Test
    void createMakesVoxmorphMicrophoneAppearInTheSourceList() throws Exception {
        VirtualMicTarget target = mic.create();
        assertTrue(target.created());
        assertEquals(VirtualMicTarget.Kind.PULSE_SINK, target.kind());
        assertEquals("voxmorph_sink", target.outputDevice());
        assertEquals("Voxmorph Microphone", sourceDescription("voxmorph_mic"));

        int modules = pactl.modules().size();
        assertFalse(mic.create().created(), "a second create finds the first");
        assertEquals(modules, pactl.modules().size());

        VirtualMicStatus status = mic.status();
        assertTrue(status.ready());
        assertTrue(status.sourceExists());
        assertEquals("voxmorph_sink", status.writeTo());
        assertEquals(status.sinkModule(), moduleIndex("module-null-sink", "sink_name=voxmorph_sink"));
        assertEquals(status.sourceModule(), moduleIndex("module-remap-source", "source_name=voxmorph_mic"));
    }

    @Test
    void toneWrittenIntoTheSinkIsRecordedFromTheMicrophone() throws Exception {
        mic.create();
        float[] sent = sine(TONE_HZ, 0.5, 0.6);
        Path tone = dir.resolve("tone.raw");
        Files.write(tone, toS16(sent));
        Path recording = dir.resolve("recording.raw");
        Process recorder = new ProcessBuilder("parecord", "--device=voxmorph_mic", "--raw", "--format=s16le",
                "--rate=" + RATE, "--channels=1", "--latency-msec=20", recording.toString()).start();
        try {
            waitForRecordingStream();
            Process player = new ProcessBuilder("pacat", "--playback", "--device=voxmorph_sink", "--raw",
                    "--format=s16le", "--rate=" + RATE, "--channels=1", "--latency-msec=30", tone.toString()).start();
            assertTrue(player.waitFor(10, TimeUnit.SECONDS), "pacat finished");
            Thread.sleep(200);
        } finally {
            recorder.destroy();
            recorder.waitFor(5, TimeUnit.SECONDS);
        }
        float[] heard = fromS16(Files.readAllBytes(recording));
        int[] run = loudestRun(heard, RATE / 100);
        double seconds = (run[1] - run[0]) / (double) RATE;
        assertTrue(seconds > 0.4, "tone heard for " + seconds + " s");
        double hz = frequency(heard, run[0] + RATE / 20, run[1] - RATE / 20);
        assertEquals(TONE_HZ, hz, TONE_HZ * 0.005, "frequency heard");
        // sample by sample: no resampling, gain or effect between the sink and the microphone
        // (50 ms inside the loud stretch, whose ends are rounded to 10 ms blocks)
        int from = run[0] + RATE / 20;
        int compare = Math.min(run[1] - run[0] - RATE / 10, RATE / 4);
        int offset = bestOffset(sent, heard, from, compare);
        double worst = 0;
        for (int i = 0; i < compare; i++) {
            worst = Math.max(worst, Math.abs(sent[offset + i] - heard[from + i]));
        }
        assertTrue(worst < 1e-3, "largest difference from what was sent: " + worst);
    }

    /** Where in the sent tone the heard stretch starting at {@code from} begins (smallest largest difference). */
    static int bestOffset(float[] sent, float[] heard, int from, int length) {
        int best = 0;
        double bestWorst = Double.MAX_VALUE;
        for (int offset = 0; offset + length <= sent.length; offset++) {
            double worst = 0;
            for (int i = 0; i < 256 && worst < bestWorst; i++) {
                worst = Math.max(worst, Math.abs(sent[offset + i] - heard[from + i]));
            }
            if (worst < bestWorst) {
                bestWorst = worst;
                best = offset;
            }
        }
        return best;
    }

    @Test
    void createRepairsAMicrophoneMissingItsSource() throws Exception {
        mic.create();
        pactl.unloadModule(mic.status().sourceModule());
        assertFalse(mic.status().ready());
        assertTrue(mic.create().created());
        assertTrue(mic.status().ready());
        assertEquals(2, pactl.modules().stream().filter(PulseVirtualMicrophoneTest::isVirtualMicModule).count());
    }

    @Test
    void removeLeavesNoModuleAndNoSourceBehind() throws Exception {
        mic.create();
        assertTrue(mic.remove().startsWith("removed Voxmorph Microphone"));
        assertTrue(pactl.modules().stream().noneMatch(PulseVirtualMicrophoneTest::isVirtualMicModule));
        assertFalse(pactl.sourceNames().contains("voxmorph_mic"));
        assertFalse(mic.status().ready());
    }

    @Test
    void releaseUnloadsWhatEnsureMadeAndNothingElse() throws Exception {
        mic.create();
        PulseVirtualMicrophone session = new PulseVirtualMicrophone();
        assertFalse(session.ensure().created(), "the user's microphone is reused");
        session.release();
        assertTrue(mic.status().ready(), "the user's microphone survives the session");

        mic.remove();
        assertTrue(session.ensure().created());
        StateFile.Entry record = new StateFile(StateFile.defaultPath()).read().orElseThrow();
        assertEquals(Owner.thisProcess(), record.owner());
        assertEquals(mic.status().sinkModule(), record.sinkModule());
        session.release();
        assertTrue(pactl.modules().stream().noneMatch(PulseVirtualMicrophoneTest::isVirtualMicModule));
        assertFalse(Files.exists(StateFile.defaultPath()));
    }

    @Test
    void modulesOfAKilledSessionAreRemovedByTheNextStart() throws Exception {
        Process child = startWaitingSession();
        child.destroyForcibly().waitFor(5, TimeUnit.SECONDS); // SIGKILL: no shutdown hook runs
        VirtualMicStatus left = mic.status();
        assertTrue(left.sinkModule() != null && left.sourceModule() != null, "the killed session's microphone is still loaded");
        assertFalse(left.ready(), "nothing feeds it any more: not ready");
        assertEquals("left by a dead session (voxmorph session pid " + child.pid() + ")", left.owner());
        assertTrue(left.hint().contains("voxmorph virtual-mic create cleans it up"), left.hint());
        assertEquals(child.pid(), new StateFile(StateFile.defaultPath()).read().orElseThrow().owner().pid());

        VirtualMicTarget next = mic.create();
        assertTrue(next.created(), "made anew after removing the leftovers");
        assertEquals(1, next.notices().size());
        assertTrue(next.notices().get(0).contains("pid " + child.pid()), next.notices().get(0));
        assertEquals(2, pactl.modules().stream().filter(PulseVirtualMicrophoneTest::isVirtualMicModule).count());
        assertTrue(new StateFile(StateFile.defaultPath()).read().orElseThrow().owner().isUser());
    }

    @Test
    void aSessionEndedBySigtermRemovesItsMicrophone() throws Exception {
        Process child = startWaitingSession();
        assertTrue(mic.status().ready());
        Owner marked = PulseVirtualMicrophone.owner(pactl.modules().stream()
                .filter(m -> m.arguments().contains("sink_name=voxmorph_sink")).findFirst().orElseThrow()).orElseThrow();
        assertEquals(Owner.of(child.toHandle()), marked, "this JVM sees the child's start time as the child does");
        assertFalse(marked.isGone());
        child.destroy(); // SIGTERM, as from Ctrl+C or a logout: the shutdown hook runs
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        assertTrue(pactl.modules().stream().noneMatch(PulseVirtualMicrophoneTest::isVirtualMicModule));
        assertFalse(Files.exists(StateFile.defaultPath()));
    }

    /** Two voices mixed into one microphone clip: the one that comes second is refused, in one line. */
    @Test
    void twoSessionsStartingAtOnceMakeOneMicrophoneAndTheSecondIsRefused() throws Exception {
        Process first = launchWaitingSession();
        Process second = launchWaitingSession();
        try {
            List<String> said = List.of(firstLine(first), firstLine(second));
            assertEquals(1, said.stream().filter("ready"::equals).count(), said.toString());
            Process refused = said.get(0).equals("ready") ? second : first;
            Process running = refused == first ? second : first;
            String refusal = said.get(refused == first ? 0 : 1);
            assertEquals("refused: Voxmorph Microphone is in use by the running voxmorph session pid " + running.pid()
                    + "; stop that one first, or play elsewhere with --output DEV", refusal);
            assertEquals(2, pactl.modules().stream().filter(PulseVirtualMicrophoneTest::isVirtualMicModule).count());
        } finally {
            first.destroy();
            second.destroy();
            first.waitFor(10, TimeUnit.SECONDS);
            second.waitFor(10, TimeUnit.SECONDS);
        }
        assertTrue(pactl.modules().stream().noneMatch(PulseVirtualMicrophoneTest::isVirtualMicModule));
    }

    private static Process startWaitingSession() throws Exception {
        Process child = launchWaitingSession();
        awaitReady(child);
        return child;
    }

    private static Process launchWaitingSession() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), WaitingSession.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String firstLine(Process child) throws Exception {
        return new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    private static void awaitReady(Process child) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("ready", out.readLine());
    }

    /** The Description: line of the named source in `pactl list sources`. */
    private String sourceDescription(String name) throws AudioDeviceException {
        for (String block : pactl.run("list", "sources").split("\nSource #")) {
            if (block.contains("\tName: " + name + "\n")) {
                return block.lines().map(String::strip).filter(l -> l.startsWith("Description: "))
                        .findFirst().orElseThrow().substring("Description: ".length());
            }
        }
        throw new AssertionError(name + " is not in pactl list sources");
    }

    private Integer moduleIndex(String name, String argument) throws AudioDeviceException {
        return pactl.modules().stream().filter(m -> m.name().equals(name) && m.arguments().contains(argument))
                .map(Pactl.Module::index).findFirst().orElse(null);
    }

    /** Playback must not start before parecord is connected, or the tone's start is lost. */
    private void waitForRecordingStream() throws Exception {
        String micIndex = pactl.run("list", "short", "sources").lines().map(l -> l.split("\t"))
                .filter(cols -> cols[1].equals("voxmorph_mic")).map(cols -> cols[0]).findFirst().orElseThrow();
        for (int i = 0; i < 100; i++) {
            // columns: index, source, client, driver, format; our remap's own stream reads the sink's monitor
            if (pactl.run("list", "short", "source-outputs").lines().anyMatch(l -> l.split("\t")[1].equals(micIndex))) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("parecord did not connect to voxmorph_mic");
    }

    static float[] sine(double hz, double amplitude, double seconds) {
        float[] x = new float[(int) (seconds * RATE)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / RATE));
        }
        return x;
    }

    static byte[] toS16(float[] x) {
        ByteBuffer b = ByteBuffer.allocate(2 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : x) {
            b.putShort((short) Math.round(v * 32767));
        }
        return b.array();
    }

    static float[] fromS16(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] x = new float[bytes.length / 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = b.getShort() / 32768f;
        }
        return x;
    }

    /** [start, end) of the longest stretch of blocks louder than 0.1 RMS. */
    static int[] loudestRun(float[] x, int block) {
        int bestStart = 0;
        int bestEnd = 0;
        int start = -1;
        for (int b = 0; b + block <= x.length; b += block) {
            double sum = 0;
            for (int i = b; i < b + block; i++) {
                sum += x[i] * x[i];
            }
            boolean loud = Math.sqrt(sum / block) > 0.1;
            if (loud && start < 0) {
                start = b;
            }
            if ((!loud || b + 2 * block > x.length) && start >= 0) {
                int end = loud ? b + block : b;
                if (end - start > bestEnd - bestStart) {
                    bestStart = start;
                    bestEnd = end;
                }
                start = -1;
            }
        }
        return new int[] {bestStart, bestEnd};
    }

    /** Frequency from the time between the first and last rising zero crossing (interpolated). */
    static double frequency(float[] x, int from, int to) {
        double first = -1;
        double last = -1;
        int crossings = 0;
        for (int i = from; i < to - 1; i++) {
            if (x[i] < 0 && x[i + 1] >= 0) {
                double t = i + x[i] / (double) (x[i] - x[i + 1]);
                if (first < 0) {
                    first = t;
                }
                last = t;
                crossings++;
            }
        }
        return (crossings - 1) * RATE / (last - first);
    }

    /** The microphone's own modules carry an owner marker; other "voxmorph" sinks (the test server's) do not count. */
    static boolean isVirtualMicModule(Pactl.Module m) {
        return m.arguments().contains("voxmorph.owner=");
    }
}
