package org.voxmorph.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The busy-machine signal: its arithmetic on given CPU times, and on this machine with every
 * processor kept busy by the test itself.
 */
class CpuSaturationTest {

    @Test
    void readsIdleAndIowaitAgainstAllTimeFromProcStatsFirstLine() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        assertArrayEquals(new long[] {1000 + 50, 300 + 10 + 200 + 1000 + 50 + 5 + 7 + 3},
                CpuSaturation.parseCpuLine("cpu  300 10 200 1000 50 5 7 3 40 2"));
        assertNull(CpuSaturation.parseCpuLine("cpu0 1 2 3 4 5 6 7 8"));
        assertNull(CpuSaturation.parseCpuLine("cpu  1 2 x 4 5"));
        assertNull(CpuSaturation.parseCpuLine(null));
    }

    @Test
    void busyBelowATenthIdleAndCalmOnlyAboveAQuarter() {
        CpuSaturation s = CpuSaturation.watchNothing();
        long idle = 0;
        long total = 0;
        for (int k = 0; k < 20; k++) {  // half idle
            s.add(idle += 50, total += 100);
        }
        assertFalse(s.saturated());
        for (int k = 0; k < 20; k++) {  // 5 % idle
            s.add(idle += 5, total += 100);
        }
        assertTrue(s.saturated());
        for (int k = 0; k < 20; k++) {  // 20 % idle: in between, stays busy
            s.add(idle += 20, total += 100);
        }
        assertTrue(s.saturated(), "hysteresis");
        for (int k = 0; k < 20; k++) {  // 30 % idle
            s.add(idle += 30, total += 100);
        }
        assertFalse(s.saturated());
    }

    @Test
    void aMachineAlreadyBusyIsSeenAfterTwoSamplesNotAWholeWindow() {
        CpuSaturation s = CpuSaturation.watchNothing();
        s.add(1000, 10_000);
        assertFalse(s.saturated());
        s.add(1001, 10_100);
        assertTrue(s.saturated());
    }

    @Test
    void everyProcessorSpinningHereReadsAsBusy() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/stat")), "no /proc/stat here");
        AtomicBoolean spin = new AtomicBoolean(true);
        List<Thread> spinners = new ArrayList<>();
        for (int k = 0; k < Runtime.getRuntime().availableProcessors(); k++) {
            Thread t = new Thread(() -> {
                while (spin.get()) {
                    // busy: the volatile read keeps the loop, and the processor, running
                }
            });
            t.setDaemon(true);
            t.start();
            spinners.add(t);
        }
        try (CpuSaturation s = CpuSaturation.watch()) {
            long deadline = System.nanoTime() + 8_000_000_000L;
            while (!s.saturated() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(s.saturated(), "every processor spun for 8 s and the machine did not read as busy");
        } finally {
            spin.set(false);
            for (Thread t : spinners) {
                t.join();
            }
        }
    }
}
