package org.voxmorph.engine;

/**
 * A streaming resampler whose ratio may change a little between calls: the seam through which the
 * {@link DriftCorrector} stretches the engine's output to the output device's clock. Called only on
 * the engine worker, so an implementation may keep state but must not allocate in {@link #process}.
 */
public interface RateResampler {

    /**
     * Consumes {@code n} input frames and writes the resampled frames to {@code out}.
     *
     * @param ratio output frames per input frame, within 1 ± {@link DriftCorrector#MAX_CORRECTION}
     * @return how many frames were written (about {@code n * ratio})
     */
    int process(float[] in, int n, double ratio, float[] out);

    /** The most frames {@link #process} can write for {@code n} input frames at the largest ratio. */
    default int maxOutput(int n) {
        return (int) Math.ceil(n * (1 + DriftCorrector.MAX_CORRECTION)) + 2;
    }

    /** Delay added, in input frames. */
    int latencyFrames();
}
