package org.voxmorph.app;

import java.util.ArrayList;
import java.util.List;

/**
 * What a game and an encoder do to the machine: busy threads at normal priority, one per core of
 * a 2-core CI machine, until closed. The live tests run under it with {@code -Dvoxmorph.loaded=true}
 * (the loaded measurement); in the normal run it spins nothing, because under it the test
 * server's main thread (normal priority, as on a desktop) is starved now and then and each underrun
 * costs 20-170 ms, and a test that fails a quarter of the time on a busy machine would be a failing
 * test, not a measurement.
 */
final class CpuHog implements AutoCloseable {
    static final int THREADS = Boolean.getBoolean("voxmorph.loaded") ? 2 : 0;

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;
    /** Written so that the loop is not optimised away. */
    volatile double sink;

    CpuHog() {
        for (int i = 0; i < THREADS; i++) {
            Thread t = new Thread(this::spin, "cpu-hog-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    private void spin() {
        double x = 1;
        while (running) {
            for (int i = 0; i < 100_000; i++) {
                x = x * 1.0000001 + 1e-9;
            }
            sink = x;
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join();
        }
    }
}
