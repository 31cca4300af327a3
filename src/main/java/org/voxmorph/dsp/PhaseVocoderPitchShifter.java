package org.voxmorph.dsp;

/** Candidate: phase-vocoder pitch shift with cepstral envelope preservation (Bernsee-style bin mapping). */
public final class PhaseVocoderPitchShifter {
    private final int n;
    private final int hop;
    private final int latency;
    private final Fft fft;
    private final double[] window;
    private final float[] input;
    private final float[] output;
    private final double[] re;
    private final double[] im;
    private final double[] cr;
    private final double[] ci;
    private final double[] mag;
    private final double[] freq;
    private final double[] env;
    private final double[] lastPhase;
    private final double[] sumPhase;
    private final double[] synMag;
    private final double[] synFreq;
    private final int lifter;
    private long written;
    private double pitchRatio = 1;
    private double formantRatio = 1;

    public PhaseVocoderPitchShifter(double sampleRate) {
        n = Integer.highestOneBit((int) Math.round(0.021 * sampleRate) * 2 - 1);
        hop = n / 4;
        latency = n;
        fft = new Fft(n);
        window = new double[n];
        for (int i = 0; i < n; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
        }
        input = new float[n];
        output = new float[2 * n];
        re = new double[n];
        im = new double[n];
        cr = new double[n];
        ci = new double[n];
        mag = new double[n / 2 + 1];
        freq = new double[n / 2 + 1];
        env = new double[n / 2 + 1];
        lastPhase = new double[n / 2 + 1];
        sumPhase = new double[n / 2 + 1];
        synMag = new double[n / 2 + 1];
        synFreq = new double[n / 2 + 1];
        lifter = Math.max(4, (int) Math.round(0.0015 * sampleRate)); // keeps envelope below 1/1.5 ms quefrency
    }

    public int latencySamples() { return latency; }
    public int hopSamples() { return hop; }
    public int samplesToNextHop() { return hop - (int) (written % hop); }

    public void setShift(double pitchRatio, double formantRatio) {
        this.pitchRatio = pitchRatio;
        this.formantRatio = formantRatio;
    }

    public void reset() {
        java.util.Arrays.fill(input, 0f);
        java.util.Arrays.fill(output, 0f);
        java.util.Arrays.fill(lastPhase, 0);
        java.util.Arrays.fill(sumPhase, 0);
        written = 0;
    }

    public void process(float[] x, int offset, int count) {
        for (int i = offset; i < offset + count; i++) {
            input[(int) (written % n)] = x[i];
            written++;
            if (written % hop == 0) {
                frame();
            }
            int o = (int) ((written - 1 - latency) % (2 * n) + 2 * n) % (2 * n);
            x[i] = output[o];
            output[o] = 0;
        }
    }

    private void frame() {
        for (int i = 0; i < n; i++) {
            re[i] = input[(int) Math.floorMod(written - n + i, (long) n)] * window[i];
            im[i] = 0;
        }
        fft.transform(re, im, false);
        int half = n / 2;
        double expected = 2 * Math.PI * hop / n;
        for (int k = 0; k <= half; k++) {
            double m = Math.hypot(re[k], im[k]);
            double p = Math.atan2(im[k], re[k]);
            double d = p - lastPhase[k] - k * expected;
            lastPhase[k] = p;
            d -= 2 * Math.PI * Math.rint(d / (2 * Math.PI));
            mag[k] = m;
            freq[k] = k + d / expected; // in bins
        }
        // Cepstral envelope: low quefrencies of the log spectrum.
        for (int k = 0; k < n; k++) {
            int b = k <= half ? k : n - k;
            cr[k] = Math.log(mag[b] + 1e-9);
            ci[k] = 0;
        }
        fft.transform(cr, ci, true);
        for (int q = lifter; q <= n - lifter; q++) {
            cr[q] = 0;
            ci[q] = 0;
        }
        fft.transform(cr, ci, false);
        for (int k = 0; k <= half; k++) {
            env[k] = Math.exp(cr[k]);
        }
        java.util.Arrays.fill(synMag, 0);
        java.util.Arrays.fill(synFreq, 0);
        for (int k = 0; k <= half; k++) {
            int t = (int) Math.round(k * pitchRatio);
            if (t <= half) {
                synMag[t] += mag[k] / env[k];
                synFreq[t] = freq[k] * pitchRatio;
            }
        }
        for (int k = 0; k <= half; k++) {
            double src = k / formantRatio;
            int b = (int) src;
            double e = b >= half ? env[half] : env[b] + (src - b) * (env[b + 1] - env[b]);
            double m = synMag[k] * e;
            sumPhase[k] += synFreq[k] * expected;
            re[k] = m * Math.cos(sumPhase[k]);
            im[k] = m * Math.sin(sumPhase[k]);
            if (k > 0 && k < half) {
                re[n - k] = re[k];
                im[n - k] = -im[k];
            }
        }
        im[0] = 0;
        im[half] = 0;
        fft.transform(re, im, true);
        for (int i = 0; i < n; i++) {
            int o = (int) Math.floorMod(written - n + i, 2L * n);
            output[o] += (float) (re[i] * window[i] * (2.0 / 3.0));
        }
    }
}
