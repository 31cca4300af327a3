package org.voxmorph.audio;

import java.util.Arrays;


/**
 * Hands what the main output plays on to a second output ("hear myself") that runs on its own
 * device thread and clock: the main output thread offers, the monitor thread takes. The monitor
 * is not worth latency, so a backlog beyond {@code keepFrames} is dropped and a shortfall is silence.
 */
public final class MonitorFeed {
    private final FloatRingBuffer ring;
    private final int keep;

    public MonitorFeed(int sampleRate, int keepFrames) {
        this.ring = new FloatRingBuffer(Math.max(sampleRate / 2, 4 * keepFrames));
        this.keep = keepFrames;
    }

    /** Main output thread. */
    public void offer(float[] x, int offset, int n) {
        ring.write(x, offset, n);
    }

    /** Monitor thread. */
    public void take(float[] out, int offset, int n) {
        int excess = ring.available() - (n + keep);
        if (excess > 0) {
            ring.skip(excess);
        }
        int got = ring.read(out, offset, n);
        Arrays.fill(out, offset + got, offset + n, 0f);
    }
}
