package org.voxmorph.audio;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PulseAudio (and PipeWire's pulse server) as seen by backends that reach it through ALSA's
 * "default"/"pulse" device: Java Sound and PortAudio. Those cannot name a sink or source, but
 * libpulse reads {@code PULSE_SINK} and {@code PULSE_SOURCE} when a stream connects, so setting
 * them in our own process just before opening a line chooses the device. Users write
 * {@code pulse:NAME}; sink and source names are those {@code pactl list short sinks} prints.
 */
public final class PulseAudio {
    public static final String PREFIX = "pulse:";

    private interface LibC extends Library {
        int setenv(String name, String value, int overwrite);

        int unsetenv(String name);
    }

    private PulseAudio() {}

    /** The server's socket, where libpulse looks for it; null when no server seems to be there. */
    public static Path socket() {
        String server = System.getenv("PULSE_SERVER");
        if (server != null && server.startsWith("unix:")) {
            Path p = Path.of(server.substring(5));
            return Files.exists(p) ? p : null;
        }
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        if (runtime == null) {
            return null;
        }
        Path p = Path.of(runtime, "pulse", "native");
        return Files.exists(p) ? p : null;
    }

    /**
     * The ALSA pulse plugin moves every sample through libpulse's own "threaded-ml" threads, which
     * start at normal priority: on a busy machine they, not our real-time device threads, run late,
     * the server's buffer runs dry, and each underrun costs a restart. They get the device threads'
     * priority once the streams are open.
     */
    public static void promoteClientThreads() {
        RealtimeThreads.promoteThreadsNamed("threaded-ml", RealtimeThreads.DEVICE_PRIORITY);
    }

    public static boolean isPulseName(String device) {
        return device != null && device.startsWith(PREFIX);
    }

    /**
     * Points the next ALSA/pulse stream of this process at a sink ({@code PULSE_SINK}) or source
     * ({@code PULSE_SOURCE}); null or a non-pulse name restores the server's default.
     */
    public static synchronized void route(String variable, String device) {
        LibC c = Native.load("c", LibC.class);
        if (isPulseName(device)) {
            c.setenv(variable, device.substring(PREFIX.length()), 1);
        } else if (System.getenv(variable) == null) {
            c.unsetenv(variable);
        } else {
            c.setenv(variable, System.getenv(variable), 1);
        }
    }

    /** Sinks (as outputs) and sources (as inputs) with their rates, from {@code pactl}; empty without a server. */
    public static List<DeviceInfo> devices(String backend) {
        List<DeviceInfo> list = new ArrayList<>();
        if (socket() == null) {
            return list;
        }
        String defaultSink = pactl("get-default-sink").strip();
        String defaultSource = pactl("get-default-source").strip();
        for (String line : pactl("list", "short", "sources").split("\n")) {
            String[] f = line.split("\t");
            if (f.length >= 4) {
                list.add(new DeviceInfo(backend, PREFIX + f[1], "PulseAudio", channels(f[3]), 0, rate(f[3]), 0, 0,
                        f[1].equals(defaultSource), false));
            }
        }
        for (String line : pactl("list", "short", "sinks").split("\n")) {
            String[] f = line.split("\t");
            if (f.length >= 4) {
                list.add(new DeviceInfo(backend, PREFIX + f[1], "PulseAudio", 0, channels(f[3]), rate(f[3]), 0, 0,
                        false, f[1].equals(defaultSink)));
            }
        }
        return list;
    }

    /** "s16le 2ch 48000Hz" */
    private static int channels(String spec) {
        for (String part : spec.split(" ")) {
            if (part.endsWith("ch")) {
                return Integer.parseInt(part.substring(0, part.length() - 2));
            }
        }
        return 2;
    }

    private static double rate(String spec) {
        for (String part : spec.split(" ")) {
            if (part.endsWith("Hz")) {
                return Double.parseDouble(part.substring(0, part.length() - 2));
            }
        }
        return 0;
    }

    private static String pactl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("pactl"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            p.waitFor(5, TimeUnit.SECONDS);
            return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : "";
        } catch (IOException | IllegalThreadStateException e) {
            return "";  // pactl not installed: the pulse devices are simply not listed
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
