package org.voxmorph.model;

import org.voxmorph.dsp.Resampler;

/**
 * Whole-window conversion with the shared {@link Resampler}, aligned like
 * {@link Resampler#resample} (output {@code j} lies at input time {@code j * inRate / outRate}),
 * but without building a filter or allocating per call: RVC converts two windows every block on the
 * engine worker.
 *
 * <p>The streaming filter delays by {@link Resampler#delayInputSamples()}, which is rarely a whole
 * number of outputs. A few zeros fed ahead of the window make delay plus zeros a whole number of
 * outputs, and that many outputs are skipped.
 */
final class WindowResampler {
    private final Resampler resampler;
    private final int leadIn;
    private final int skip;
    private final float[] zeros;
    private final float[] converted;

    /** For windows of {@code inLength} samples; equal rates copy. */
    WindowResampler(int inRate, int outRate, int inLength) {
        if (inRate == outRate) {
            resampler = null;
            leadIn = 0;
            skip = 0;
            zeros = null;
            converted = null;
            return;
        }
        resampler = new Resampler(inRate, outRate);
        int delay = resampler.delayInputSamples();
        int lead = 0;
        while ((long) (delay + lead) * outRate % inRate != 0) {
            lead++;
        }
        leadIn = lead;
        skip = (int) ((long) (delay + lead) * outRate / inRate);
        // Zeros after the window too: the last outputs need half a filter of input beyond its end.
        zeros = new float[Math.max(leadIn, resampler.taps())];
        converted = new float[resampler.maxOutput(leadIn) + resampler.maxOutput(inLength) + resampler.maxOutput(resampler.taps())];
    }

    /** How far from an output's position its inputs reach, in input samples. */
    int reachInputSamples() {
        return resampler == null ? 0 : resampler.delayInputSamples();
    }

    /** {@code out[j]} for the whole of {@code out} from all of {@code in}, zeros assumed outside it. */
    void resample(float[] in, float[] out) {
        if (resampler == null) {
            System.arraycopy(in, 0, out, 0, out.length);
            return;
        }
        resampler.reset();
        int n = resampler.process(zeros, 0, leadIn, converted, 0);
        n += resampler.process(in, 0, in.length, converted, n);
        resampler.process(zeros, 0, resampler.taps(), converted, n);
        System.arraycopy(converted, skip, out, 0, out.length);
    }
}
