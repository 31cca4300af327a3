package org.voxmorph.audio;

/** Mono samples in −1..1 at one sample rate. */
public record MonoAudio(float[] samples, int sampleRate) {
    public double seconds() {
        return (double) samples.length / sampleRate;
    }
}
