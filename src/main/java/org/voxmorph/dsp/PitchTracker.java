package org.voxmorph.dsp;

/**
 * Estimates the fundamental frequency of one frame of mono audio. Implementations reuse their
 * buffers, so one instance serves one thread, and {@link #pitchHz} does not allocate unless the
 * factory says otherwise.
 */
public interface PitchTracker {

    /** The pitch of {@code frame} (at least {@link #frameSize()} samples) in Hz, or 0 when unvoiced. */
    double pitchHz(float[] frame);

    /** How sure the last {@link #pitchHz} call was, 0..1 (0 for an unvoiced frame). */
    double confidence();

    /** Samples per frame; the lowest pitch found is about {@code 2 * sampleRate / frameSize}. */
    int frameSize();

    double sampleRate();
}
