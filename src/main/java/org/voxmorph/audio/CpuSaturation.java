package org.voxmorph.audio;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether every processor of the machine is busy: less than {@value #BUSY_IDLE_SHARE} of the CPU
 * time of the last {@value #WINDOW_SAMPLES} half seconds was idle. That is when a sound server's
 * main thread, which is not real-time, wakes late: beside {@code stress-ng --cpu 2} on two cores,
 * PulseAudio's main thread stalled for 29-80 ms every minute or two, and nothing in the stream's
 * own timing warned of it beforehand (its input arrived as regularly as on an idle machine). So a
 * backend that depends on that thread keeps a larger cushion while this says so, instead of
 * learning of the load from the first gap. It turns back off only once a quarter of the CPU time
 * is idle again (hysteresis: a game's busy and calm moments do not toggle it).
 *
 * <p>Reads Linux's {@code /proc/stat} on its own daemon thread; the reader (the device thread)
 * only reads a volatile. Where there is no {@code /proc/stat} it never says busy.
 */
public final class CpuSaturation implements AutoCloseable {
    static final double BUSY_IDLE_SHARE = 0.10;
    static final double CALM_IDLE_SHARE = 0.25;
    static final int WINDOW_SAMPLES = 10;
    static final long SAMPLE_MILLIS = 500;
    private static final Path STAT = Path.of("/proc/stat");

    private final long[] idle = new long[WINDOW_SAMPLES + 1];
    private final long[] total = new long[WINDOW_SAMPLES + 1];
    private long samples;
    private volatile boolean saturated;
    private final Thread thread;

    private CpuSaturation(boolean watch) {
        if (!watch) {
            thread = null;
            return;
        }
        thread = new Thread(this::sample, "voxmorph-cpu-load");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts watching the machine's processors; close it to stop. */
    public static CpuSaturation watch() {
        return new CpuSaturation(Files.isReadable(STAT));
    }

    /** One that watches nothing and is told its samples through {@link #add} (tests). */
    static CpuSaturation watchNothing() {
        return new CpuSaturation(false);
    }

    /** Whether all processors have been busy lately (see the class comment). */
    public boolean saturated() {
        return saturated;
    }

    private void sample() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                long[] t = readTimes();
                if (t == null) {
                    return;
                }
                add(t[0], t[1]);
                Thread.sleep(SAMPLE_MILLIS);
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /**
     * One sample of the cumulative idle and total CPU time. The share of idle time is taken over the
     * window, or over what there is of it in the first seconds, so that a machine already busy when
     * the stream opens is seen as such after one sample period rather than a whole window.
     */
    void add(long idleTime, long totalTime) {
        int slot = (int) (samples % idle.length);
        idle[slot] = idleTime;
        total[slot] = totalTime;
        samples++;
        if (samples < 2) {
            return;
        }
        int oldest = samples <= idle.length ? 0 : (int) (samples % idle.length);
        long spent = totalTime - total[oldest];
        if (spent <= 0) {
            return;
        }
        double idleShare = (double) (idleTime - idle[oldest]) / spent;
        if (idleShare < BUSY_IDLE_SHARE) {
            saturated = true;
        } else if (idleShare > CALM_IDLE_SHARE) {
            saturated = false;
        }
    }

    /** The idle (idle and iowait: a processor waiting for a disk can run a thread) and total jiffies, or null. */
    private static long[] readTimes() {
        try (BufferedReader in = Files.newBufferedReader(STAT)) {
            return parseCpuLine(in.readLine());
        } catch (IOException e) {
            return null;
        }
    }

    /** {@code /proc/stat}'s first line: "cpu user nice system idle iowait irq softirq steal ...". */
    static long[] parseCpuLine(String line) {
        if (line == null || !line.startsWith("cpu ")) {
            return null;
        }
        String[] f = line.trim().split("\\s+");
        if (f.length < 6) {
            return null;
        }
        try {
            long sum = 0;
            // guest and guest_nice (fields 9 and 10) are already counted in user and nice.
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                sum += Long.parseLong(f[i]);
            }
            return new long[] {Long.parseLong(f[4]) + Long.parseLong(f[5]), sum};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
