package org.voxmorph.audio;

import java.util.concurrent.locks.LockSupport;


/**
 * A pretend sound card for machines without one: its own thread captures from a recording and
 * records what it is given to play, one period at a time at real-time pace, exactly as a device
 * callback would. The engine cannot tell it from hardware.
 */
public final class FileDevice {
    private final AudioCallback bridge;
    private final float[] source;
    private final float[] recorded;
    private final int period;
    private final long periodNanos;
    private volatile int framesDone;
    private volatile boolean stopped;

    public FileDevice(AudioCallback bridge, float[] source, int sampleRate, int periodFrames) {
        this.bridge = bridge;
        this.source = source;
        this.recorded = new float[source.length];
        this.period = periodFrames;
        this.periodNanos = 1_000_000_000L * periodFrames / sampleRate;
    }

    /** Runs on the calling thread until the recording has played through or {@link #stop} is called. */
    public void run() {
        float[] buf = new float[period];
        long next = System.nanoTime();
        for (int pos = 0; pos < source.length && !stopped; pos += period) {
            int n = Math.min(period, source.length - pos);
            System.arraycopy(source, pos, buf, 0, n);
            bridge.capture(buf, 0, n);
            bridge.render(recorded, pos, n);
            framesDone = pos + n;
            next += periodNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
        }
    }

    public void stop() {
        stopped = true;
    }

    public int framesDone() {
        return framesDone;
    }

    /** What was played, as long as the source (only the part up to {@link #framesDone} is filled). */
    public float[] recorded() {
        return recorded;
    }
}
