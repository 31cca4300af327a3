package org.voxmorph.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.voxmorph.chain.ProcessorRegistry;
import org.voxmorph.chain.Chain;
import org.voxmorph.dsp.Fft;

/**
 * Why the late fill is the converted voice dying away, measured against the other privacy-safe
 * choices on real speech through {@code anonymize}: 60 ms gaps every 400 ms are filled by each
 * candidate behind the bridge's 2 ms crossfade, and each edge is scored for
 * <ul>
 *   <li>click energy: the second difference (a +12 dB/octave meter of sudden change) in the 4 ms
 *       after the edge, relative to the same on the uninterrupted converted voice, in dB;</li>
 *   <li>spectral continuity: log-spectral distance between the 20 ms before the edge and the 20 ms
 *       after it (the uninterrupted voice changes too; lower is closer to what was being said).</li>
 * </ul>
 * None of the three is the input, so all are safe; the choice is how the edge sounds. Measured
 * (50 edges, VCTK p225-p228 sentence 003): silence click -6.2 dB / distance 38.3 dB (no click, but
 * the word is cut off), comfort noise +20.4 dB / 28.2 dB (a hiss burst), the fading voice -0.1 dB
 * / 9.8 dB (no more sudden change than the voice itself has, and the closest spectrum).
 */
class LateFillTest {
    static final int RATE = 16000;
    static final int GAP = RATE * 60 / 1000;
    static final int EVERY = RATE * 400 / 1000;
    static final int FADE = RATE * 2 / 1000;

    enum Candidate { SILENCE, COMFORT_NOISE, FADING_VOICE }

    record Score(double clickDb, double lsdDb) {}

    @Test
    void theFadingVoiceIsTheSmoothestEdge() throws Exception {
        double[][] sums = new double[Candidate.values().length][2];
        int edges = 0;
        for (String speaker : new String[] {"p225", "p226", "p227", "p228"}) {
            float[] in = TestSignals.speechAt("vctk_" + speaker + "/" + speaker + "_003.wav", RATE);
            float[] converted;
            Chain chain = new Chain("a", java.util.List.of(ProcessorRegistry.builtIn().get("anonymize").create()),
                    java.util.List.of("anonymize"));
            try (Engine engine = new Engine(chain, RATE, 160, RATE)) {
                converted = OfflineRenderer.render(engine, in, null);
            }
            for (int start = EVERY; start + GAP + 2 * EVERY / 4 < converted.length; start += EVERY) {
                if (rms(converted, start - 320, start) < 0.01) {
                    continue; // a pause: every fill is silent there
                }
                edges++;
                for (Candidate c : Candidate.values()) {
                    Score s = score(converted, start, c);
                    sums[c.ordinal()][0] += s.clickDb();
                    sums[c.ordinal()][1] += s.lsdDb();
                }
            }
        }
        for (Candidate c : Candidate.values()) {
            System.out.printf("late fill %-14s click %+6.1f dB  spectral distance %5.1f dB  (%d edges, VCTK p225-p228)%n",
                    c, sums[c.ordinal()][0] / edges, sums[c.ordinal()][1] / edges, edges);
        }
        double[] fading = sums[Candidate.FADING_VOICE.ordinal()];
        assertTrue(fading[0] / edges < 1.0, "the fading voice changes no more suddenly than the voice itself");
        assertTrue(sums[Candidate.COMFORT_NOISE.ordinal()][0] / edges > 6.0, "the meter hears the noise burst");
        for (Candidate c : new Candidate[] {Candidate.SILENCE, Candidate.COMFORT_NOISE}) {
            assertTrue(fading[1] < sums[c.ordinal()][1] - 10, "fading voice is spectrally closer than " + c);
        }
    }

    /** The converted voice with a gap at {@code start} filled by the candidate, scored at its edge. */
    static Score score(float[] converted, int start, Candidate c) {
        float[] y = converted.clone();
        float[] fill = new float[GAP + FADE];
        switch (c) {
            case SILENCE -> { }
            case COMFORT_NOISE -> {
                // White noise at the level the voice had in the 20 ms before: a comfort-noise generator.
                Random r = new Random(start);
                double level = rms(converted, start - 320, start);
                for (int i = 0; i < fill.length; i++) {
                    fill[i] = (float) (level * r.nextGaussian());
                }
            }
            case FADING_VOICE -> {
                LateFill f = new LateFill(RATE);
                f.remember(converted, 0, start);
                f.fill(fill, 0, fill.length);
            }
        }
        // The bridge's equal-power crossfade from the voice into the fill, then the fill.
        for (int i = 0; i < GAP; i++) {
            double g = i < FADE ? Math.cos(0.5 * Math.PI * (i + 0.5) / FADE) : 0;
            y[start + i] = (float) (g * converted[start + i] + Math.sqrt(1 - g * g) * fill[i]);
        }
        int click = RATE * 4 / 1000;
        double made = secondDifferenceEnergy(y, start, start + click);
        double natural = secondDifferenceEnergy(converted, start, start + click);
        double clickDb = 10 * Math.log10((made + 1e-9) / (natural + 1e-9));
        return new Score(clickDb, lsd(y, start - 320, start));
    }

    static double secondDifferenceEnergy(float[] x, int from, int to) {
        double e = 0;
        for (int i = from; i < to; i++) {
            double d = x[i] - 2 * x[i - 1] + x[i - 2];
            e += d * d;
        }
        return e;
    }

    /** Log-spectral distance (dB) between the 320-sample frames at {@code a} and {@code b} (Hann, floor at -80 dB). */
    static double lsd(float[] x, int a, int b) {
        double[] pa = power(x, a);
        double[] pb = power(x, b);
        double sum = 0;
        for (int k = 1; k < pa.length; k++) {
            double d = 10 * Math.log10(Math.max(pa[k], 1e-8)) - 10 * Math.log10(Math.max(pb[k], 1e-8));
            sum += d * d;
        }
        return Math.sqrt(sum / (pa.length - 1));
    }

    static double[] power(float[] x, int from) {
        int n = 512;
        double[] re = new double[n];
        double[] im = new double[n];
        for (int i = 0; i < 320; i++) {
            re[i] = x[from + i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / 320));
        }
        new Fft(n).transform(re, im, false);
        double[] p = new double[n / 2];
        for (int k = 0; k < p.length; k++) {
            p[k] = re[k] * re[k] + im[k] * im[k];
        }
        return p;
    }

    static double rms(float[] x, int from, int to) {
        double e = 0;
        for (int i = from; i < to; i++) {
            e += x[i] * x[i];
        }
        return Math.sqrt(e / (to - from));
    }
}
