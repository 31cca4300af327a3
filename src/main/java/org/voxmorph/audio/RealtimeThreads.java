package org.voxmorph.audio;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Asks Linux to schedule audio threads first-in-first-out at a real-time priority, as JACK and
 * PulseAudio do, so that a busy machine does not delay them by a period: directly where allowed
 * (root, or an rtprio limit as the "audio" group gives), else through rtkit (the desktop's
 * real-time broker on the system bus) where it runs; otherwise the thread stays as it is and
 * {@link #outcome} says why. Every thread the sound travels through needs it: a real-time device
 * thread that hands its samples to a normal-priority libpulse thread still stalls whenever the
 * machine is busy (see {@link #promoteThreadsNamed}).
 */
public final class RealtimeThreads {
    /** Device threads: above the engine worker, which must never hold them up. */
    public static final int DEVICE_PRIORITY = 70;
    public static final int WORKER_PRIORITY = 60;
    /** rtkit's usual ceiling (its MaxRealtimePriority); it refuses anything higher. */
    private static final int RTKIT_MAX_PRIORITY = 20;
    private static final int SCHED_FIFO = 1;
    private static final int RLIMIT_RTTIME = 15;
    /** rtkit insists on a CPU-time limit for real-time threads, so a runaway one cannot freeze the machine. */
    private static final long RTTIME_LIMIT_MICROS = 200_000;

    private static volatile String outcome = "no audio thread asked for real-time priority yet";
    private static volatile boolean granted;

    private interface LibC extends Library {
        int sched_setscheduler(int pid, int policy, int[] param);

        int setrlimit(int resource, long[] limits);
    }

    private RealtimeThreads() {}

    /** @return whether the calling thread now runs at real-time priority */
    public static boolean promoteCurrentThread(int priority) {
        return promote(currentThreadId(), priority);
    }

    /**
     * Promotes this process's threads of that name (as {@code /proc/self/task/N/comm} gives it),
     * e.g. libpulse's "threaded-ml" threads, which carry the sound between the ALSA pulse plugin
     * and the server ({@code "GC Thread*"}: every name that starts so). Called after the devices
     * are opened, off the device threads.
     *
     * @return how many were promoted
     */
    public static int promoteThreadsNamed(String name, int priority) {
        if (!Platform.isLinux()) {
            return 0;
        }
        int promoted = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    if ((name.endsWith("*") ? comm.startsWith(name.substring(0, name.length() - 1)) : comm.equals(name))
                            && promote(Integer.parseInt(task.getFileName().toString()), priority)) {
                        promoted++;
                    }
                } catch (IOException | NumberFormatException threadEnded) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            return promoted;
        }
        return promoted;
    }

    /** How the last promotion went, in a few words: real-time directly, through rtkit, or why not. */
    public static String outcome() {
        return outcome;
    }

    /** Whether the last promotion was granted. */
    public static boolean granted() {
        return granted;
    }

    private static boolean promote(int tid, int priority) {
        if (!Platform.isLinux()) {
            outcome = "normal priority (real-time scheduling is only asked for on Linux)";
            granted = false;
            return false;
        }
        return promote(tid, priority, RealtimeThreads::directly, RealtimeThreads::throughRtkit);
    }

    /** One way to real-time priority: null when it was granted, else why not, in a few words. */
    interface Way {
        String grant(int tid, int priority);
    }

    /**
     * Directly first; where that is refused, through rtkit at no more than its ceiling; where that is
     * refused too, the thread stays as it is and {@link #outcome} says why. Package-private so that
     * a test can make either way fail.
     */
    static boolean promote(int tid, int priority, Way direct, Way rtkit) {
        String refused = direct.grant(tid, priority);
        if (refused == null) {
            outcome = "real-time priority (SCHED_FIFO)";
            return granted = true;
        }
        int capped = Math.min(priority, RTKIT_MAX_PRIORITY);
        String rtkitRefused = rtkit.grant(tid, capped);
        if (rtkitRefused == null) {
            outcome = "real-time priority " + capped + " through rtkit";
            return granted = true;
        }
        outcome = "normal priority (" + refused + ", and " + rtkitRefused + ")";
        return granted = false;
    }

    private static String directly(int tid, int priority) {
        try {
            return Native.load("c", LibC.class).sched_setscheduler(tid, SCHED_FIFO, new int[] {priority}) == 0 ? null
                    : "no permission for real-time scheduling";
        } catch (UnsatisfiedLinkError e) {
            return "libc not reachable: " + e.getMessage();
        }
    }

    /** rtkit over D-Bus with busctl (systemd's client), so no D-Bus library is needed. */
    private static String throughRtkit(int tid, int priority) {
        if (tid <= 0) {
            return "no thread id to give rtkit";
        }
        if (!Files.exists(Path.of("/run/dbus/system_bus_socket"))) {
            return "no system bus for rtkit";
        }
        try {
            Native.load("c", LibC.class).setrlimit(RLIMIT_RTTIME, new long[] {RTTIME_LIMIT_MICROS, RTTIME_LIMIT_MICROS});
            Process p = new ProcessBuilder("busctl", "--system", "call", "org.freedesktop.RealtimeKit1",
                    "/org/freedesktop/RealtimeKit1", "org.freedesktop.RealtimeKit1", "MakeThreadRealtime", "tu",
                    Integer.toString(tid), Integer.toString(priority)).redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return null;
            }
            return "rtkit refused: " + said;
        } catch (IOException | UnsatisfiedLinkError e) {
            return "rtkit not reachable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while asking rtkit";
        }
    }

    /** The kernel's id of the calling thread (what sched_setscheduler and rtkit take), or -1. */
    private static int currentThreadId() {
        try {
            // "/proc/thread-self" links to "PID/task/TID".
            return Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        } catch (IOException | NumberFormatException | UnsupportedOperationException e) {
            return 0; // sched_setscheduler takes 0 as "the calling thread"
        }
    }
}
