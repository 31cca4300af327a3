package org.voxmorph.engine;

import java.util.Arrays;
import java.util.Random;

/**
 * Measures a chain's real delay from outside: clicks and short chirps are sent through it and
 * found again in the output. A quiet noise bed keeps gates open, as a voice would.
 */
public final class LatencyProbe {
    private static final double SPACING_MS = 200;
    private static final double SEARCH_MS = 150;

    public record Result(double impulseMs, double chirpMs, int impulses, int chirps) {}

    private LatencyProbe() {}

    /** Sends the probe through the engine's chain (offline, same block loop) and measures. */
    public static Result measure(Engine engine) {
        int rate = engine.sampleRate();
        int spacing = (int) (SPACING_MS * rate / 1000);
        int search = (int) (SEARCH_MS * rate / 1000);
        Random rnd = new Random(7);
        int clicks = 24;
        int chirps = 8;
        int chirpLen = rate / 40;
        float[] chirp = chirp(rate, chirpLen);
        int lead = rate / 2;
        int length = lead + (clicks + chirps + 1) * spacing + search;
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (0.02 * rnd.nextGaussian());
        }
        int[] clickAt = new int[clicks];
        int[] chirpAt = new int[chirps];
        int pos = lead;
        for (int c = 0; c < clicks; c++) {
            // Irregular spacing so that no periodic structure in the chain can alias the answer.
            pos += spacing / 2 + rnd.nextInt(spacing / 2);
            clickAt[c] = pos;
            x[pos] = 0.9f;
        }
        for (int c = 0; c < chirps; c++) {
            pos += spacing;
            chirpAt[c] = pos;
            for (int i = 0; i < chirpLen; i++) {
                x[pos + i] += chirp[i];
            }
        }
        float[] y = OfflineRenderer.renderRaw(engine, x, search);

        double[] clickDelays = new double[clicks];
        for (int c = 0; c < clicks; c++) {
            int best = clickAt[c];
            for (int i = clickAt[c]; i < clickAt[c] + search && i < y.length; i++) {
                if (Math.abs(y[i]) > Math.abs(y[best])) {
                    best = i;
                }
            }
            clickDelays[c] = best - clickAt[c];
        }
        double[] chirpDelays = new double[chirps];
        float[] envIn = envelope(x, rate);
        float[] envOut = envelope(y, rate);
        for (int c = 0; c < chirps; c++) {
            // A chain that keeps the waveform (filters, gates, limiters) is timed by matched filtering;
            // one that reshapes it (pitch and formant shifters) by where its envelope lines up best.
            Lag wave = bestLag(x, y, chirpAt[c], chirpLen, search);
            // The envelope window reaches one chirp length either side, so the bump standing out
            // of the quiet bed is what lines up, even where a shifter reshapes the bump itself.
            if (wave.correlation >= 0.5) {
                chirpDelays[c] = wave.lag;
            } else {
                int coarse = bestLag(envIn, envOut, chirpAt[c] - chirpLen, 3 * chirpLen, search).lag;
                // A shifter may split the chirp's energy into several bumps; their centre of
                // energy still sits where the chirp's did, delayed by the chain.
                int from = chirpAt[c] - chirpLen;
                chirpDelays[c] = centroid(envOut, from + coarse, 3 * chirpLen) + coarse - centroid(envIn, from, 3 * chirpLen);
            }
        }
        return new Result(1000 * median(clickDelays) / rate, 1000 * median(chirpDelays) / rate, clicks, chirps);
    }

    /** A Hann-windowed linear sweep 300 Hz to 3 kHz: speech band, so every voice chain passes it. */
    private static float[] chirp(int rate, int n) {
        float[] c = new float[n];
        double f0 = 300;
        double f1 = 3000;
        double dur = (double) n / rate;
        for (int i = 0; i < n; i++) {
            double t = (double) i / rate;
            double phase = 2 * Math.PI * (f0 * t + 0.5 * (f1 - f0) / dur * t * t);
            double w = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / (n - 1));
            c[i] = (float) (0.6 * w * Math.sin(phase));
        }
        return c;
    }

    /**
     * Rectified and smoothed over 1 ms: pitch and formant shifters change the waveform but keep the
     * envelope in place, so envelopes line up where waveforms would not.
     */
    private static float[] envelope(float[] x, int rate) {
        float[] e = new float[x.length];
        double a = Math.exp(-1.0 / (0.001 * rate));
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s = a * s + (1 - a) * Math.abs(x[i]);
            e[i] = (float) s;
        }
        // Run backwards too so smoothing adds no delay of its own.
        s = 0;
        for (int i = x.length - 1; i >= 0; i--) {
            s = a * s + (1 - a) * e[i];
            e[i] = (float) s;
        }
        return e;
    }

    private record Lag(int lag, double correlation) {}

    /** Where in the window the energy above its quietest part is centred, relative to the window start. */
    private static double centroid(float[] env, int start, int len) {
        double floor = Double.MAX_VALUE;
        for (int i = start; i < start + len; i++) {
            floor = Math.min(floor, (double) env[i] * env[i]);
        }
        double sum = 0;
        double moment = 0;
        for (int i = start; i < start + len; i++) {
            double e = (double) env[i] * env[i] - floor;
            sum += e;
            moment += e * (i - start);
        }
        return sum > 0 ? moment / sum : len / 2.0;
    }

    /** The lag at which out best matches the stretch of in, by normalised correlation. */
    private static Lag bestLag(float[] in, float[] out, int start, int len, int maxLag) {
        double meanIn = 0;
        for (int i = start; i < start + len; i++) {
            meanIn += in[i];
        }
        meanIn /= len;
        double energyIn = 0;
        for (int i = start; i < start + len; i++) {
            energyIn += (in[i] - meanIn) * (in[i] - meanIn);
        }
        Lag best = new Lag(0, Double.NEGATIVE_INFINITY);
        for (int lag = 0; lag < maxLag && start + len + lag <= out.length; lag++) {
            double meanOut = 0;
            for (int i = start; i < start + len; i++) {
                meanOut += out[i + lag];
            }
            meanOut /= len;
            double dot = 0;
            double energyOut = 0;
            for (int i = start; i < start + len; i++) {
                double o = out[i + lag] - meanOut;
                dot += (in[i] - meanIn) * o;
                energyOut += o * o;
            }
            double r = dot / Math.sqrt(energyIn * energyOut + 1e-30);
            if (r > best.correlation) {
                best = new Lag(lag, r);
            }
        }
        return best;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
