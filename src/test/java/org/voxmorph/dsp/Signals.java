package org.voxmorph.dsp;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.util.Random;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** Test signals and measurements shared by the DSP and processor tests. */
public final class Signals {
    private Signals() {
    }

    public static float[] sine(double hz, int rate, int frames, double amplitude) {
        float[] x = new float[frames];
        for (int i = 0; i < frames; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return x;
    }

    public static double rms(float[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) x[i] * x[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    public static double peak(float[] x) {
        double p = 0;
        for (float v : x) {
            p = Math.max(p, Math.abs(v));
        }
        return p;
    }

    public static double db(double ratio) {
        return 20 * Math.log10(ratio);
    }

    /** Least-squares a*sin + b*cos fit at {@code hz} over x[from..to): {a, b}. */
    private static double[] fit(float[] x, int from, int to, double hz, int rate) {
        double ss = 0, cc = 0, sc = 0, xs = 0, xc = 0;
        for (int i = from; i < to; i++) {
            double w = 2 * Math.PI * hz * i / rate;
            double s = Math.sin(w), c = Math.cos(w);
            ss += s * s;
            cc += c * c;
            sc += s * c;
            xs += x[i] * s;
            xc += x[i] * c;
        }
        double det = ss * cc - sc * sc;
        return new double[] {(xs * cc - xc * sc) / det, (xc * ss - xs * sc) / det};
    }

    /** Amplitude of the sinusoid at {@code hz} in x[from..to). */
    public static double toneAmplitude(float[] x, int from, int to, double hz, int rate) {
        double[] ab = fit(x, from, to, hz, rate);
        return Math.hypot(ab[0], ab[1]);
    }

    /** RMS of what is left of x[from..to) once the sinusoid at {@code hz} is taken out. */
    public static double residualRms(float[] x, int from, int to, double hz, int rate) {
        double[] ab = fit(x, from, to, hz, rate);
        double sum = 0;
        for (int i = from; i < to; i++) {
            double w = 2 * Math.PI * hz * i / rate;
            double r = x[i] - ab[0] * Math.sin(w) - ab[1] * Math.cos(w);
            sum += r * r;
        }
        return Math.sqrt(sum / (to - from));
    }

    /** Frequency from the first to the last upward zero crossing in x[from..to), crossings interpolated. */
    public static double frequency(float[] x, int from, int to, int rate) {
        double first = -1, last = -1;
        int count = 0;
        for (int i = from + 1; i < to; i++) {
            if (x[i - 1] < 0 && x[i] >= 0) {
                double t = i - 1 + x[i - 1] / (double) (x[i - 1] - x[i]);
                if (first < 0) {
                    first = t;
                }
                last = t;
                count++;
            }
        }
        return (count - 1) * rate / (last - first);
    }

    /** A 16-bit mono WAV from ../shared as floats in -1..1, with its rate in {@code rateOut[0]}. */
    public static float[] readWav(String path, int[] rateOut) throws Exception {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new File(path))) {
            AudioFormat f = in.getFormat();
            if (f.getSampleSizeInBits() != 16 || f.getChannels() != 1) {
                throw new IllegalArgumentException(path + ": expected 16-bit mono, got " + f);
            }
            byte[] bytes = in.readAllBytes();
            float[] x = new float[bytes.length / 2];
            boolean big = f.isBigEndian();
            for (int i = 0; i < x.length; i++) {
                int lo = bytes[2 * i + (big ? 1 : 0)] & 0xff;
                int hi = bytes[2 * i + (big ? 0 : 1)];
                x[i] = (short) ((hi << 8) | lo) / 32768f;
            }
            rateOut[0] = (int) f.getSampleRate();
            return x;
        }
    }

    /** Bytes this thread allocates while running {@code work}, after one warm-up run. */
    public static long allocatedBytes(Runnable work) {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        work.run();
        long before = bean.getThreadAllocatedBytes(id);
        work.run();
        return bean.getThreadAllocatedBytes(id) - before;
    }

    /**
     * A vowel-like signal: a pulse train at {@code f0} (with a slow 3% vibrato so it is not
     * perfectly stationary) through two-pole resonators at {@code formants}, scaled to a peak of 0.3.
     */
    public static float[] vowel(double rate, double seconds, double f0, double... formants) {
        int n = (int) (rate * seconds);
        float[] x = new float[n];
        double phase = 0;
        double[] y1 = new double[formants.length];
        double[] y2 = new double[formants.length];
        for (int i = 0; i < n; i++) {
            phase += f0 * (1 + 0.03 * Math.sin(2 * Math.PI * 3 * i / rate)) / rate;
            double v = 0;
            if (phase >= 1) {
                phase -= 1;
                v = 1;
            }
            for (int k = 0; k < formants.length; k++) {
                double r = Math.exp(-Math.PI * 80 / rate); // 80 Hz bandwidth
                double y = v + 2 * r * Math.cos(2 * Math.PI * formants[k] / rate) * y1[k] - r * r * y2[k];
                y2[k] = y1[k];
                y1[k] = y;
                v = y * (1 - r); // roughly unit gain per section
            }
            x[i] = (float) v;
        }
        double peak = 0;
        for (float v : x) {
            peak = Math.max(peak, Math.abs(v));
        }
        for (int i = 0; i < n; i++) {
            x[i] *= (float) (0.3 / peak);
        }
        return x;
    }

    /** A sine {@code seconds} long (the PSOLA tests think in seconds). */
    public static float[] sineSeconds(double rate, double seconds, double hz, double amplitude) {
        return sine(hz, (int) rate, (int) (rate * seconds), amplitude);
    }

    public static float[] noise(double rate, double seconds, double rms, long seed) {
        Random random = new Random(seed);
        float[] x = new float[(int) (rate * seconds)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rms * random.nextGaussian());
        }
        return x;
    }
}
