package org.voxmorph.dsp;

import java.util.ArrayList;
import java.util.List;

/**
 * How low the odd/even meter ({@link ShiftQuality#leakDb}) can read on speech-like pitch: a clean
 * harmonic signal that follows Praat's pitch track of each VCTK source times the ratio (no trace of
 * the original pitch), measured exactly as a shifter's output is. Args: RATE SHIFTS UTTERANCES.
 */
public final class LeakMeterCheck {
    private LeakMeterCheck() {
    }

    public static void main(String[] args) throws Exception {
        int rate = Integer.parseInt(args[0]);
        for (String s : args[1].split(",")) {
            double st = Double.parseDouble(s);
            double ratio = Math.pow(2, st / 12);
            StringBuilder line = new StringBuilder(String.format("%+.0f st, clean synthetic at the new pitch: median per speaker", st));
            StringBuilder shaped = new StringBuilder(String.format("%+.0f st, synthetic at the new pitch with the source's own spectral envelope: median per speaker", st));
            StringBuilder natural = new StringBuilder(String.format("%+.0f st, the real voice itself as if it were the output: median per speaker", st));
            for (String speaker : new String[] {"p225", "p226", "p227", "p228"}) {
                List<Double> leaks = new ArrayList<>();
                List<Double> own = new ArrayList<>();
                List<Double> ideal = new ArrayList<>();
                for (String u : args[2].split(",")) {
                    float[] in = Speech.vctk(speaker, u);
                    if (rate != 16000) {
                        in = Resampler.resample(in, 16000, rate);
                    }
                    ShiftQuality.Track track = ShiftQuality.praat(in, rate, 75, 600);
                    float[] out = harmonics(track, in.length, rate, ratio);
                    for (double v : ShiftQuality.measure(in, out, rate, 0, ratio).leakDb()) {
                        leaks.add(v);
                    }
                    for (double v : ShiftQuality.measure(in, shaped(in, track, rate, ratio), rate, 0, ratio).leakDb()) {
                        ideal.add(v);
                    }
                    // The source read as a shifted voice: its own pitch is the new one, its pitch
                    // divided by the ratio the original, on the same steady voiced frames.
                    double[] hz = track.hz();
                    for (int i = 1; i + 1 < hz.length; i++) {
                        if (hz[i] > 0 && hz[i - 1] > 0 && hz[i + 1] > 0 && Math.abs(hz[i - 1] / hz[i] - 1) < 0.03
                                && Math.abs(hz[i + 1] / hz[i] - 1) < 0.03) {
                            double v = ShiftQuality.leakDb(in, rate, (int) Math.round(track.time(i) * rate), hz[i] / ratio, ratio);
                            if (!Double.isNaN(v)) {
                                own.add(v);
                            }
                        }
                    }
                }
                line.append(String.format(" %s %.1f dB", speaker, Measure.median(leaks)));
                shaped.append(String.format(" %s %.1f dB", speaker, Measure.median(ideal)));
                natural.append(String.format(" %s %.1f dB", speaker, Measure.median(own)));
            }
            System.out.println(line);
            System.out.println(shaped);
            System.out.println(natural);
        }
    }

    /**
     * What a perfect shifter that keeps formants would give: harmonics at the track's pitch times
     * {@code ratio}, each as loud as the source's LPC envelope (order 18, 32 ms, every 10 ms) at
     * its frequency, silent where unvoiced.
     */
    static float[] shaped(float[] x, ShiftQuality.Track track, int rate, double ratio) {
        int hop = (int) Math.round(ShiftQuality.STEP * rate);
        int n = (int) Math.round(0.032 * rate);
        int order = 18;
        int frames = x.length / hop + 1;
        double[][] lpc = new double[frames][];
        double[] gain = new double[frames];
        for (int f = 0; f < frames; f++) {
            int from = f * hop - n / 2;
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                int j = from + i;
                w[i] = j >= 0 && j < x.length ? x[j] * (0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 0.5) / n)) : 0;
            }
            double[] r = new double[order + 1];
            for (int k = 0; k <= order; k++) {
                for (int i = k; i < n; i++) {
                    r[k] += w[i] * w[i - k];
                }
            }
            r[0] = r[0] * 1.0001 + 1e-12;
            double[] a = new double[order + 1];
            a[0] = 1;
            double e = r[0];
            for (int i = 1; i <= order; i++) {
                double acc = r[i];
                for (int j = 1; j < i; j++) {
                    acc += a[j] * r[i - j];
                }
                double k = -acc / e;
                double[] prev = a.clone();
                for (int j = 1; j < i; j++) {
                    a[j] = prev[j] + k * prev[i - j];
                }
                a[i] = k;
                e *= 1 - k * k;
            }
            lpc[f] = a;
            gain[f] = Math.sqrt(Math.max(e, 1e-20) / n);
        }
        float[] y = new float[x.length];
        double phase = 0;
        double[] amps = new double[256];
        int ampFrame = -1;
        for (int i = 0; i < x.length; i++) {
            double t = i / (double) rate;
            double pos = (t - track.firstTime()) / ShiftQuality.STEP;
            int k = (int) Math.floor(pos);
            double a0 = k >= 0 && k < track.hz().length ? track.hz()[k] : 0;
            double b0 = k + 1 >= 0 && k + 1 < track.hz().length ? track.hz()[k + 1] : 0;
            double f0 = a0 > 0 && b0 > 0 ? a0 + (b0 - a0) * (pos - k) : 0;
            if (f0 <= 0) {
                continue;
            }
            double hz = f0 * ratio;
            phase += 2 * Math.PI * hz / rate;
            int f = Math.min(frames - 1, i / hop);
            if (f != ampFrame) {
                ampFrame = f;
                for (int h = 1; h < amps.length && h * hz < 4000; h++) {
                    double w = 2 * Math.PI * h * hz / rate;
                    double re = 0;
                    double im = 0;
                    for (int j = 0; j < lpc[f].length; j++) {
                        re += lpc[f][j] * Math.cos(w * j);
                        im -= lpc[f][j] * Math.sin(w * j);
                    }
                    amps[h] = gain[f] / Math.sqrt(re * re + im * im);
                }
            }
            double v = 0;
            for (int h = 1; h < amps.length && h * hz < 4000; h++) {
                v += amps[h] * Math.sin(h * phase);
            }
            y[i] = (float) v;
        }
        return y;
    }

    /** Harmonics up to 4 kHz falling 6 dB per octave, at the track's pitch times {@code ratio}, silent where unvoiced. */
    static float[] harmonics(ShiftQuality.Track track, int length, int rate, double ratio) {
        float[] y = new float[length];
        double phase = 0;
        double amp = 0;
        for (int i = 0; i < length; i++) {
            double t = i / (double) rate;
            double pos = (t - track.firstTime()) / ShiftQuality.STEP;
            int k = (int) Math.floor(pos);
            double a = k >= 0 && k < track.hz().length ? track.hz()[k] : 0;
            double b = k + 1 >= 0 && k + 1 < track.hz().length ? track.hz()[k + 1] : 0;
            double f = a > 0 && b > 0 ? a + (b - a) * (pos - k) : Math.max(a, b);
            amp += ((f > 0 ? 0.1 : 0) - amp) * 0.005;
            if (f <= 0) {
                continue;
            }
            double hz = f * ratio;
            phase += 2 * Math.PI * hz / rate;
            double v = 0;
            for (int h = 1; h * hz < 4000; h++) {
                v += Math.sin(h * phase) / h;
            }
            y[i] = (float) (amp * v);
        }
        return y;
    }
}
