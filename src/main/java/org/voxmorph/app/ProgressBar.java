package org.voxmorph.app;

import java.io.PrintStream;
import org.voxmorph.engine.OfflineRenderer;

/** A progress bar on stderr for long offline work; plain lines every 25% when not on a terminal. */
final class ProgressBar implements OfflineRenderer.Progress {
    static final double MIN_SECONDS = 20;
    private static final int WIDTH = 30;
    private final String label;
    private final int sampleRate;
    private final long start = System.nanoTime();
    private final boolean terminal = System.console() != null;
    private final PrintStream err = System.err;
    private int lastQuarter = -1;

    ProgressBar(String label, int sampleRate) {
        this.label = label;
        this.sampleRate = sampleRate;
    }

    @Override
    public void update(long done, long total) {
        double fraction = total == 0 ? 1 : (double) done / total;
        double elapsed = (System.nanoTime() - start) / 1e9;
        double speed = elapsed > 0 ? done / (double) sampleRate / elapsed : 0;
        if (terminal) {
            int filled = (int) Math.round(fraction * WIDTH);
            err.printf("\r%s [%s%s] %3.0f%%  %.0fx real time", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                    100 * fraction, speed);
        } else {
            int quarter = (int) (fraction * 4);
            if (quarter != lastQuarter) {
                lastQuarter = quarter;
                err.printf("%s %3.0f%%  %.0fx real time%n", label, 100 * fraction, speed);
            }
        }
    }

    void finish() {
        if (terminal) {
            err.println();
        }
    }
}
