package org.voxmorph.model;

/**
 * A loaded model converting engine-rate audio in place, the same whatever the block sizes.
 * {@link ModelProcessor} holds one; each format has its own.
 */
interface ModelVoice extends AutoCloseable {

    /** Converts {@code x[0..n)} in place. Runs inference when a hop or block completes. */
    void process(float[] x, int n);

    /** The exact delay in engine samples. */
    int latencySamples();

    /** Forgets signal history and model state. */
    void reset();

    /** Where each session runs, and the GPU fallback reason if there was one. */
    String providerSummary();

    /** Why the GPU was asked for but not used, in one line, or null. */
    String gpuFallback();

    @Override
    void close();
}
