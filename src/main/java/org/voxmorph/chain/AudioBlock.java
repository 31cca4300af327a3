package org.voxmorph.chain;

/**
 * One block of mono samples, processed in place. The array is owned by the engine and reused for
 * every block, so a processor must never keep a reference to it past {@link Processor#process}.
 */
public final class AudioBlock {
    private final float[] samples;
    private int frames;

    public AudioBlock(int capacity) {
        this.samples = new float[capacity];
    }

    public float[] samples() {
        return samples;
    }

    public int frames() {
        return frames;
    }

    public int capacity() {
        return samples.length;
    }

    public void setFrames(int frames) {
        if (frames < 0 || frames > samples.length) {
            throw new IllegalArgumentException("frames " + frames + " outside 0.." + samples.length);
        }
        this.frames = frames;
    }
}
