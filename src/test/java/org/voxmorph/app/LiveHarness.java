package org.voxmorph.app;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs live mode against the private PulseAudio server of {@code tools/start-pulseaudio.sh}: the
 * test microphone is the null sink "voxmorph_test_mic" (live mode records its monitor) and live
 * mode plays into the null sink "voxmorph_test_out", whose monitor the test records.
 */
final class LiveHarness {
    static final int RATE = 48000;
    static final String MIC_SINK = "voxmorph_test_mic";
    static final String MIC = "pulse:voxmorph_test_mic.monitor";
    static final String OUT_SINK = "voxmorph_test_out";
    static final String OUT = "pulse:voxmorph_test_out";

    final Map<String, String> env;
    final Path dir;

    private LiveHarness(Map<String, String> env, Path dir) {
        this.env = env;
        this.dir = dir;
    }

    /** Starts (or finds) the server; null when there is no PulseAudio here at all. */
    static LiveHarness start(Path dir) throws Exception {
        Process p = new ProcessBuilder("bash", "tools/start-pulseaudio.sh").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            return null;
        }
        Map<String, String> env = new java.util.HashMap<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("export ")) {
                String[] kv = line.substring(7).split("=", 2);
                env.put(kv[0], kv[1]);
            }
        }
        LiveHarness h = new LiveHarness(env, dir);
        return h.run("pactl", "info").exitValue() == 0 ? h : null;
    }

    ProcessBuilder command(String... cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        return pb;
    }

    Process run(String... cmd) throws IOException, InterruptedException {
        Process p = command(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.waitFor(60, TimeUnit.SECONDS);
        return p;
    }

    String output(String... cmd) throws IOException, InterruptedException {
        Process p = command(cmd).redirectErrorStream(true).start();
        String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return s;
    }

    /** {@code voxmorph live ...} in its own JVM, as a user runs it; its stderr goes to a file. */
    LiveProcess live(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dvoxmorph.home=" + Path.of("").toAbsolutePath(),
                Main.class.getName(), "live"));
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "live", ".log");
        Process p = command(cmd.toArray(String[]::new)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new LiveProcess(p, log);
    }

    record LiveProcess(Process process, Path log) {
        String text() throws IOException {
            return Files.readString(log);
        }

        /** Waits until live mode says it runs, then a little more for the devices to settle. */
        void awaitRunning(double settleSeconds) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!text().contains("voxmorph: live on")) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("live did not start:\n" + text());
                }
                Thread.sleep(50);
            }
            Thread.sleep((long) (settleSeconds * 1000));
        }

        /** Ctrl-C (SIGTERM runs the same shutdown hook) and the exit code. */
        int stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("live did not stop within 10 s of Ctrl-C");
            }
            return process.exitValue();
        }
    }

    /** Records a PulseAudio source as raw mono 16-bit at 48 kHz until {@link Recording#stop}. */
    Recording record(String source) throws IOException {
        Path raw = Files.createTempFile(dir, "rec", ".raw");
        Process p = command("parecord", "--raw", "--format=s16le", "--rate=" + RATE, "--channels=1",
                "--latency-msec=10", "-d", source).redirectOutput(raw.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        return new Recording(p, raw);
    }

    record Recording(Process process, Path raw) {
        float[] stop() throws Exception {
            process.destroy();
            process.waitFor(5, TimeUnit.SECONDS);
            byte[] b = Files.readAllBytes(raw);
            ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            float[] x = new float[b.length / 2];
            for (int i = 0; i < x.length; i++) {
                x[i] = buf.getShort() / 32768f;
            }
            return x;
        }
    }

    /** Plays a WAV file into a sink and waits until it has been played. */
    void play(String sink, Path wav) throws Exception {
        Process p = run("paplay", "--latency-msec=10", "-d", sink, wav.toString());
        if (p.exitValue() != 0) {
            throw new AssertionError("paplay failed on " + wav);
        }
    }

    /** Status lines the live process printed, after the first {@code skip}. */
    static List<String> statusLines(String log, int skip) {
        return log.lines().filter(l -> l.startsWith("in ")).skip(skip).toList();
    }

    static long field(String statusLine, String name) {
        String[] parts = statusLine.trim().split("\\s+");
        for (int i = 0; i + 1 < parts.length; i++) {
            if (parts[i].equals(name)) {
                return Long.parseLong(parts[i + 1]);
            }
        }
        throw new AssertionError("no '" + name + "' in status line: " + statusLine);
    }
}
