package org.voxmorph.model;

/**
 * Rational-ratio windowed-sinc resampling with a polyphase table, here so the model runners can
 * feed a 16 kHz content encoder and a 32/40/48 kHz decoder from any engine rate. Output sample
 * {@code j} lies exactly at input position {@code j * inRate / outRate}, so resampling adds no
 * delay of its own; only {@link Stream} has to wait for {@link #halfTaps} future input samples.
 *
 * <p>The lead may swap this for the shared {@code org.voxmorph.dsp.Resampler} once it exists: the
 * runners only use {@link #resample} (whole windows) and {@link Stream} (sample by sample).
 */
final class SincResampler {
    private static final int ZERO_CROSSINGS = 16;

    private final int up;
    private final int down;
    private final int halfTaps;
    private final float[][] phases;

    SincResampler(int inRate, int outRate) {
        int g = gcd(inRate, outRate);
        up = outRate / g;
        down = inRate / g;
        double cutoff = Math.min(1.0, (double) up / down) * 0.95;
        halfTaps = (int) Math.ceil(ZERO_CROSSINGS / cutoff);
        phases = new float[up][2 * halfTaps];
        for (int p = 0; p < up; p++) {
            double frac = (double) p / up;
            for (int t = 0; t < 2 * halfTaps; t++) {
                double x = t - halfTaps + 1 - frac;
                double w = 0.42 + 0.5 * Math.cos(Math.PI * x / halfTaps) + 0.08 * Math.cos(2 * Math.PI * x / halfTaps);
                double s = x == 0 ? 1.0 : Math.sin(Math.PI * cutoff * x) / (Math.PI * cutoff * x);
                phases[p][t] = (float) (Math.abs(x) >= halfTaps ? 0.0 : cutoff * s * w);
            }
        }
    }

    /** How many input samples after an output's position the filter reaches. */
    int halfTaps() {
        return halfTaps;
    }

    /** {@code out[j]} for j in 0..outLen-1 from {@code in[0..inLen)}, zeros assumed outside it. */
    void resample(float[] in, int inLen, float[] out, int outLen) {
        for (int j = 0; j < outLen; j++) {
            out[j] = at(in, 0, inLen, j);
        }
    }

    /** Output sample {@code j} where {@code in[offset]} is input sample 0 and {@code in[offset+inLen)} is the end. */
    private float at(float[] in, int offset, int inLen, long j) {
        long pos = j * down;
        long base = pos / up;
        float[] h = phases[(int) (pos % up)];
        long first = base - halfTaps + 1;
        double sum = 0;
        for (int t = 0; t < h.length; t++) {
            long i = first + t;
            if (i >= 0 && i < inLen) {
                sum += h[t] * in[offset + (int) i];
            }
        }
        return (float) sum;
    }

    /** Sample-by-sample conversion; output {@code j} is made once input up to its position plus halfTaps has arrived. */
    final class Stream {
        private final float[] history;
        private long inCount;
        private long outCount;
        private long historyStart;

        Stream() {
            history = new float[4 * halfTaps + 2 * (down / up + 2) + 64];
        }

        /** Appends one input sample and writes any outputs it completes to {@code out} from {@code off}; returns how many. */
        int push(float x, float[] out, int off) {
            if (inCount - historyStart == history.length) {
                int keep = 2 * halfTaps + down / up + 2;
                System.arraycopy(history, history.length - keep, history, 0, keep);
                historyStart = inCount - keep;
            }
            history[(int) (inCount - historyStart)] = x;
            inCount++;
            int made = 0;
            while ((outCount * down) / up + halfTaps <= inCount - 1) {
                out[off + made++] = atStream(outCount++);
            }
            return made;
        }

        private float atStream(long j) {
            long pos = j * down;
            long base = pos / up;
            float[] h = phases[(int) (pos % up)];
            long first = base - halfTaps + 1;
            double sum = 0;
            for (int t = 0; t < h.length; t++) {
                long i = first + t;
                if (i >= historyStart) {
                    sum += h[t] * history[(int) (i - historyStart)];
                }
            }
            return (float) sum;
        }

        /** The most outputs one push can make. */
        int maxPerPush() {
            return up / down + 1;
        }

        void reset() {
            inCount = 0;
            outCount = 0;
            historyStart = 0;
            java.util.Arrays.fill(history, 0f);
        }
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
