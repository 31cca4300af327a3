package org.voxmorph.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jaudiolibs.jnajack.Jack;
import org.jaudiolibs.jnajack.JackClient;
import org.jaudiolibs.jnajack.JackOptions;
import org.jaudiolibs.jnajack.JackPort;
import org.jaudiolibs.jnajack.JackPortFlags;
import org.jaudiolibs.jnajack.JackPortType;
import org.jaudiolibs.jnajack.JackStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxmorph.audio.RealtimeThreads;

/**
 * Live mode on a private JACK server with the dummy driver: a probe client in this JVM sends
 * clicks into Voxmorph and records what comes back, sample-exact on JACK's one clock. Skipped
 * where jackd is not installed.
 */
class LiveJackTest {
    /** A server name of our own, so that neither a user's JACK nor a stale test server is in the way. */
    static final String SERVER = "voxmorph-test-" + ProcessHandle.current().pid();
    static final int RATE = 48000;
    static final int PERIOD = 256;

    @TempDir
    static Path dir;

    static Process jackd;

    private interface LibC extends Library {
        int setenv(String name, String value, int overwrite);
    }

    @BeforeAll
    static void startJack() throws Exception {
        Path bin = Path.of("/usr/bin/jackd");
        assumeTrue(Files.isExecutable(bin), "jackd is not installed");
        jackd = new ProcessBuilder(bin.toString(), "-n", SERVER, "-d", "dummy", "-r", String.valueOf(RATE),
                "-p", String.valueOf(PERIOD)).redirectErrorStream(true).redirectOutput(dir.resolve("jackd.log").toFile()).start();
        // libjack picks the server by this variable, here and in the live process.
        Native.load("c", LibC.class).setenv("JACK_DEFAULT_SERVER", SERVER, 1);
        Thread.sleep(1500);
        assertTrue(jackd.isAlive(), "jackd runs: " + Files.readString(dir.resolve("jackd.log")));
    }

    @AfterAll
    static void stopJack() throws Exception {
        if (jackd != null) {
            jackd.destroy();
            jackd.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Sends a click every 0.25 s and records everything that comes back, in the JACK callback. */
    static final class Probe {
        final float[] recorded = new float[RATE * 12];
        final List<Integer> clicksAt = new ArrayList<>();
        final int[] clickFrames = new int[4 * 12];
        volatile int frame;
        final JackClient client;
        final JackPort click;
        final JackPort back;

        Probe() throws Exception {
            client = Jack.getInstance().openClient("probe", EnumSet.of(JackOptions.JackNoStartServer, JackOptions.JackUseExactName),
                    EnumSet.noneOf(JackStatus.class));
            click = client.registerPort("click", JackPortType.AUDIO, JackPortFlags.JackPortIsOutput);
            back = client.registerPort("back", JackPortType.AUDIO, JackPortFlags.JackPortIsInput);
            for (int k = 0; k < clickFrames.length; k++) {
                clickFrames[k] = k * RATE / 4 + (k * 37) % 200;
            }
            float[] buf = new float[8192];
            client.setProcessCallback((c, n) -> {
                int f = frame;
                java.util.Arrays.fill(buf, 0, n, 0f);
                for (int at : clickFrames) {
                    if (at >= f && at < f + n) {
                        buf[at - f] = 0.9f;
                    }
                }
                click.getFloatBuffer().put(buf, 0, n);
                back.getFloatBuffer().get(buf, 0, n);
                if (f + n <= recorded.length) {
                    System.arraycopy(buf, 0, recorded, f, n);
                }
                frame = f + n;
                return true;
            });
            client.activate();
        }
    }

    @Test
    void clicksComeBackAfterTheReportedDelayWithNoXruns() throws Exception {
        Probe probe = new Probe();
        WakeupProbe wakeups = new WakeupProbe();
        try {
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), "-Dvoxmorph.home=" + Path.of("").toAbsolutePath(), Main.class.getName(),
                    "live", "--backend", "jack", "--input", "probe:click", "--output", "probe:back", "--preset", "passthrough",
                    "--block-ms", "10", "--seconds", "9");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("JACK_DEFAULT_SERVER", SERVER);
            Path log = dir.resolve("live.log");
            Process live = pb.redirectOutput(log.toFile()).start();
            while (live.isAlive() && !Files.readString(log).contains("voxmorph: live on")) {
                Thread.sleep(20);
            }
            int liveFrom = probe.frame;
            assertTrue(live.waitFor(40, TimeUnit.SECONDS), "live stops after --seconds");
            String text = Files.readString(log);
            assertEquals(0, live.exitValue(), text);
            // The clicks sent once live had settled (after 3 s of it) until it stopped.
            List<Integer> delays = new ArrayList<>();
            float[] y = probe.recorded;
            for (int at : probe.clickFrames) {
                if (at < liveFrom + 3 * RATE || at > liveFrom + 8 * RATE) {
                    continue;
                }
                int best = at;
                for (int i = at; i < at + RATE / 5; i++) {
                    if (Math.abs(y[i]) > Math.abs(y[best])) {
                        best = i;
                    }
                }
                if (Math.abs(y[best]) > 0.5) {
                    delays.add(best - at);
                }
            }
            assertTrue(delays.size() >= 15, "clicks that came back: " + delays + "\n" + text);
            double ms = 1000.0 * SignalMatch.median(delays) / RATE;
            System.out.printf("jack: mic-to-output delay %.1f ms (%d-frame periods), spread %d..%d frames%n", ms, PERIOD,
                    delays.stream().min(Integer::compare).get(), delays.stream().max(Integer::compare).get());
            List<String> status = LiveHarness.statusLines(text, 0);
            String settled = status.get(3);
            String last = status.get(status.size() - 1);
            assertEquals(LiveHarness.field(settled, "late"), LiveHarness.field(last, "late"), "no late blocks once settled:\n" + text);
            // JACK calls every cycle an xrun that some thread finished late, its own timer's included,
            // and an xrun grows the engine's reserve (the delay). On a virtual machine whose host is
            // busy a real-time thread can wake later than a whole 5.3 ms period with nothing else
            // running (jackd alone with this driver logged 3 timer xruns in 12 s; a real-time thread
            // in this JVM woke 10-18 ms late during the run, the probe client here with it), and no
            // backend can prevent that. So the xrun count and the delay are asserted where a
            // real-time thread here kept within one period during the run.
            double jitterMs = wakeups.stop();
            assumeTrue(jitterMs < 1000.0 * PERIOD / RATE, "a real-time thread here woke up to " + jitterMs
                    + " ms late during the run: xruns and delay say nothing of Voxmorph");
            assertEquals(LiveHarness.field(settled, "xruns"), LiveHarness.field(last, "xruns"), "no xruns once settled:\n" + text);
            assertTrue(ms < 40, "delay " + ms + " ms");
        } finally {
            wakeups.stop();
            probe.client.close();
        }
    }

    /** A real-time thread that sleeps 1 ms at a time and keeps how much later than that it woke (ms). */
    static final class WakeupProbe {
        private final Thread thread;
        private volatile boolean running = true;
        private volatile double worstMs;

        WakeupProbe() {
            thread = new Thread(() -> {
                RealtimeThreads.promoteCurrentThread(RealtimeThreads.DEVICE_PRIORITY);
                long before = System.nanoTime();
                while (running) {
                    LockSupport.parkNanos(1_000_000);
                    long now = System.nanoTime();
                    worstMs = Math.max(worstMs, (now - before - 1_000_000) / 1e6);
                    before = now;
                }
            }, "wakeup-probe");
            thread.setDaemon(true);
            thread.start();
        }

        double stop() throws InterruptedException {
            running = false;
            thread.join(1000);
            return worstMs;
        }
    }
}
