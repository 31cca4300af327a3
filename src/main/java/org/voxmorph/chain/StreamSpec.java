package org.voxmorph.chain;

/** What a processor is prepared for: mono audio at one sample rate, blocks of at most maxBlockFrames. */
public record StreamSpec(int sampleRate, int maxBlockFrames) {
    public StreamSpec {
        if (sampleRate < 8000 || sampleRate > 192000) {
            throw new IllegalArgumentException("sample rate " + sampleRate + " Hz is outside 8000..192000");
        }
        if (maxBlockFrames < 1) {
            throw new IllegalArgumentException("block size must be at least 1 frame");
        }
    }

    public int framesForMillis(double ms) {
        return (int) Math.round(ms * sampleRate / 1000.0);
    }
}
