package org.voxmorph.audio;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A lock-free ring of floats for exactly one producer thread and one consumer thread. Positions
 * only grow; each side publishes its own with a release store, so neither ever waits or allocates.
 */
public final class FloatRingBuffer {
    private final float[] data;
    private final int mask;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong read = new AtomicLong();

    /** @param minCapacity rounded up to a power of two */
    public FloatRingBuffer(int minCapacity) {
        int cap = Integer.highestOneBit(Math.max(2, minCapacity - 1)) << 1;
        data = new float[cap];
        mask = cap - 1;
    }

    public int capacity() {
        return data.length;
    }

    /** Frames the consumer can read now. */
    public int available() {
        return (int) (written.get() - read.get());
    }

    /** Frames the producer can write now. */
    public int free() {
        return data.length - available();
    }

    /** Producer: writes up to n frames, returns how many fit. */
    public int write(float[] src, int offset, int n) {
        long w = written.get();
        int count = Math.min(n, data.length - (int) (w - read.get()));
        int start = (int) (w & mask);
        int first = Math.min(count, data.length - start);
        System.arraycopy(src, offset, data, start, first);
        System.arraycopy(src, offset + first, data, 0, count - first);
        written.lazySet(w + count);
        return count;
    }

    /** Consumer: reads up to n frames, returns how many there were. */
    public int read(float[] dst, int offset, int n) {
        long r = read.get();
        int count = Math.min(n, (int) (written.get() - r));
        int start = (int) (r & mask);
        int first = Math.min(count, data.length - start);
        System.arraycopy(data, start, dst, offset, first);
        System.arraycopy(data, 0, dst, offset + first, count - first);
        read.lazySet(r + count);
        return count;
    }

    /** Consumer: drops up to n frames without reading them, returns how many were dropped. */
    public int skip(int n) {
        long r = read.get();
        int count = Math.min(n, (int) (written.get() - r));
        read.lazySet(r + count);
        return count;
    }
}
