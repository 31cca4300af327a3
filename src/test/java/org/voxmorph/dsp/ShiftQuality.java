package org.voxmorph.dsp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.voxmorph.audio.WavWriter;

/**
 * Test-side meters for a pitch shift, independent of the shifter: Praat's pitch tracker (run as
 * the {@code praat} program, {@code To Pitch} with its default method, octave cost and voicing
 * threshold) and a harmonic-leak meter that asks how much of the original pitch's own harmonics
 * are still in the output.
 */
public final class ShiftQuality {
    /** Praat's frame step (its default for a 75 Hz floor). */
    static final double STEP = 0.01;

    private static final String PITCH_SCRIPT = String.join("\n",
            "form pitch",
            "  sentence wav",
            "  real floor",
            "  real ceiling",
            "  sentence out",
            "endform",
            "s = Read from file: wav$",
            "p = To Pitch: 0.01, floor, ceiling",
            "n = Get number of frames",
            "t1 = Get time from frame number: 1",
            "writeFileLine: out$, t1",
            "for i to n",
            "  f = Get value in frame: i, \"Hertz\"",
            "  if f = undefined",
            "    f = 0",
            "  endif",
            "  appendFileLine: out$, f",
            "endfor",
            "");

    private ShiftQuality() {
    }

    /** A Praat pitch track: {@code hz[i]} at time {@code firstTime + i * STEP} seconds, 0 where unvoiced. */
    record Track(double firstTime, double[] hz) {
        /** The pitch at {@code seconds} (nearest frame), 0 if unvoiced or outside. */
        double at(double seconds) {
            int i = (int) Math.round((seconds - firstTime) / STEP);
            return i < 0 || i >= hz.length ? 0 : hz[i];
        }

        double time(int i) {
            return firstTime + i * STEP;
        }

        /** The pitch at {@code seconds}, linear between the two frames around it; 0 unless both are voiced. */
        double interpolated(double seconds) {
            double pos = (seconds - firstTime) / STEP;
            int i = (int) Math.floor(pos);
            if (i < 0 || i + 1 >= hz.length || hz[i] <= 0 || hz[i + 1] <= 0) {
                return 0;
            }
            return hz[i] + (hz[i + 1] - hz[i]) * (pos - i);
        }
    }

    /**
     * Praat's {@code To Pitch (ac)} with every default except the range, which follows the shift
     * (floor 75 Hz × ratio below 1, ceiling 600 Hz × ratio above 1) so the intended pitch is in it.
     */
    static Track praat(float[] x, int rate, double floor, double ceiling) throws Exception {
        Path dir = Files.createTempDirectory("praat");
        try {
            Path wav = dir.resolve("in.wav");
            Path script = dir.resolve("pitch.praat");
            Path out = dir.resolve("pitch.txt");
            WavWriter.write16(wav, clip(x), rate);
            Files.writeString(script, PITCH_SCRIPT);
            Process p = new ProcessBuilder("praat", "--run", script.toString(), wav.toString(),
                    Double.toString(floor), Double.toString(ceiling), out.toString())
                    .redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("praat failed: " + log);
            }
            List<String> lines = Files.readAllLines(out);
            double[] hz = new double[lines.size() - 1];
            for (int i = 0; i < hz.length; i++) {
                hz[i] = Double.parseDouble(lines.get(i + 1).trim());
            }
            return new Track(Double.parseDouble(lines.get(0).trim()), hz);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    private static float[] clip(float[] x) {
        float[] y = x.clone();
        for (int i = 0; i < y.length; i++) {
            y[i] = Math.max(-1f, Math.min(1f, y[i]));
        }
        return y;
    }

    /** What one shifted utterance measured. */
    record Result(int frames, double onTarget, double atOriginal, double unvoicedShare, double[] leakDb) {
        double medianLeakDb() {
            if (leakDb.length == 0) {
                return Double.NaN;
            }
            double[] a = leakDb.clone();
            Arrays.sort(a);
            return a[a.length / 2];
        }

        /** Share of frames whose leak is above {@code db}. */
        double leakAbove(double db) {
            return leakDb.length == 0 ? Double.NaN : Arrays.stream(leakDb).filter(v -> v > db).count() / (double) leakDb.length;
        }
    }

    /**
     * Measures {@code out} (the shifter's output, {@code latency} samples behind {@code in}) against
     * the intended pitch ratio. Frame share: of the frames Praat calls voiced in both, how many are
     * within ±3 semitones of the source pitch × ratio ({@code atOriginal}: how many within ±1
     * semitone of the source pitch itself). Leak: see {@link #leakDb}.
     */
    static Result measure(float[] in, float[] out, int rate, int latency, double ratio)
            throws Exception {
        return measure(in, out, rate, latency, ratio, false);
    }

    /**
     * {@link #measure(float[], float[], int, int, double)}, with the leak read at the original's
     * harmonic places or, when {@code mirrored}, at their mirror images (see {@link #leakDb}).
     */
    static Result measure(float[] in, float[] out, int rate, int latency, double ratio, boolean mirrored)
            throws Exception {
        Track source = praat(in, rate, 75, 600);
        Track shifted = praat(out, rate, 75 * Math.min(1, ratio), 600 * Math.max(1, ratio));
        double delay = latency / (double) rate;
        int both = 0;
        int onTarget = 0;
        int atOriginal = 0;
        int sourceVoiced = 0;
        int lostVoicing = 0;
        List<Double> leaks = new ArrayList<>();
        for (int i = 0; i < source.hz().length; i++) {
            double f0 = source.hz()[i];
            if (f0 <= 0) {
                continue;
            }
            sourceVoiced++;
            double t = source.time(i);
            double g = shifted.at(t + delay);
            if (g <= 0) {
                lostVoicing++;
            } else {
                both++;
                double st = 12 * Math.log(g / (f0 * ratio)) / Math.log(2);
                if (Math.abs(st) <= 3) {
                    onTarget++;
                }
                if (Math.abs(12 * Math.log(g / f0) / Math.log(2)) <= 1 && Math.abs(ratio - 1) > 0.1) {
                    atOriginal++;
                }
            }
            // The leak needs a steady pitch across its window: the neighbouring frames voiced and within 3 %.
            double before = source.at(t - STEP);
            double after = source.at(t + STEP);
            if (before > 0 && after > 0 && Math.abs(before / f0 - 1) < 0.03 && Math.abs(after / f0 - 1) < 0.03) {
                double leak = WARP ? leakDb(out, rate, (int) Math.round((t + delay) * rate), f0, ratio, source, delay, mirrored)
                        : leakDb(out, rate, (int) Math.round((t + delay) * rate), f0, ratio, mirrored);
                if (!Double.isNaN(leak)) {
                    leaks.add(leak);
                }
            }
        }
        return new Result(both, onTarget / (double) Math.max(1, both), atOriginal / (double) Math.max(1, both),
                lostVoicing / (double) Math.max(1, sourceVoiced), leaks.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Highest harmonic frequency the leak meter reads. */
    static final double LEAK_MAX_HZ = 3000;

    /**
     * Energy at the source pitch's own harmonics {@code h·f0} that are not harmonics of the new
     * pitch (for an octave up, the odd ones), against the energy at the new harmonics
     * {@code k·ratio·f0}, in dB, both up to 3 kHz, from one Hann window four periods of the lower
     * of the two pitches long centred at {@code centre}. An original harmonic closer to a new one than
     * 1.5 bins of that window cannot be told apart and is left out; NaN when none is left (an
     * octave down: every original harmonic is a new one).
     */
    static double leakDb(float[] x, int rate, int centre, double f0, double ratio) {
        return leakDb(x, rate, centre, f0, ratio, false);
    }

    /**
     * The same reading, and when {@code mirrored} a control for it: each original harmonic's place
     * reflected about its nearest new harmonic (the same distance from it on the other side, so the
     * window's leakage and any noise between the new harmonics read the same), which for most
     * ratios is nobody's harmonic. Energy that is really the original pitch reads higher at its own
     * places than at the mirrored ones; broadband roughness between the new harmonics reads alike.
     * Only a control where the mirror images are not original harmonics themselves (not at ratios
     * 1/2, 3/2, 2 or 3, where the original's places are symmetric about the new harmonics).
     */
    static double leakDb(float[] x, int rate, int centre, double f0, double ratio, boolean mirrored) {
        double low = Math.min(f0, f0 * ratio);
        int n = (int) Math.round(4 * rate / low);
        int from = centre - n / 2;
        if (from < 0 || from + n > x.length) {
            return Double.NaN;
        }
        double bin = low / 4;
        double newF0 = f0 * ratio;
        double foreign = 0;
        int foreignCount = 0;
        for (int h = 1; h * f0 <= LEAK_MAX_HZ; h++) {
            double f = h * f0;
            double nearestNew = Math.max(1, Math.round(f / newF0)) * newF0;
            if (Math.abs(f - nearestNew) >= 1.5 * bin) {
                foreign += power(x, from, n, mirrored ? 2 * nearestNew - f : f, rate);
                foreignCount++;
            }
        }
        if (foreignCount == 0) {
            return Double.NaN;
        }
        double wanted = 0;
        for (int k = 1; k * newF0 <= LEAK_MAX_HZ; k++) {
            wanted += power(x, from, n, k * newF0, rate);
        }
        return 10 * Math.log10((foreign + 1e-20) / (wanted + 1e-20));
    }

    /** Whether {@link #measure} reads the leak on a window warped to the source's pitch contour (see below). */
    static boolean WARP = !Boolean.getBoolean("voxmorph.leak.unwarped");

    /**
     * {@link #leakDb(float[], int, int, double, double)} on a window read along the intended pitch
     * contour: the output is resampled so that the source's pitch track (Praat, linear between
     * frames, {@code delay} seconds behind the output) times the ratio stays at its value at the
     * centre. A window four periods of a low voice long (70 ms at 57 Hz) otherwise sees the pitch
     * move, and the upper new harmonics smear across the original ones: a perfect shift (harmonics
     * exactly at the intended pitch with the speaker's own LPC envelope) read up to -23 dB on the
     * unwarped window for p227 at -13 st, above the -25 dB bar. Warping moves the original
     * harmonics with the same contour, so what is left at their places is what the shifter put there.
     */
    static double leakDb(float[] x, int rate, int centre, double f0, double ratio, Track source, double delay) {
        return leakDb(x, rate, centre, f0, ratio, source, delay, false);
    }

    /** The contour-warped reading, at the original's places or ({@code mirrored}) their mirror images. */
    static double leakDb(float[] x, int rate, int centre, double f0, double ratio, Track source, double delay,
            boolean mirrored) {
        double g0 = source.interpolated(centre / (double) rate - delay);
        if (g0 <= 0) {
            return leakDb(x, rate, centre, f0, ratio, mirrored);
        }
        // The same window length as the unwarped reading below will take.
        int n = (int) Math.round(4 * rate / Math.min(g0, g0 * ratio));
        double[] times = new double[n];
        int mid = n / 2;
        times[mid] = centre;
        for (int i = mid + 1; i < n; i++) {
            double g = source.interpolated(times[i - 1] / rate - delay);
            times[i] = times[i - 1] + (g > 0 ? g0 / g : 1);
        }
        for (int i = mid - 1; i >= 0; i--) {
            double g = source.interpolated(times[i + 1] / rate - delay);
            times[i] = times[i + 1] - (g > 0 ? g0 / g : 1);
        }
        if (times[0] < 1 || times[n - 1] >= x.length - 2) {
            return Double.NaN;
        }
        float[] warped = new float[n];
        for (int i = 0; i < n; i++) {
            int k = (int) Math.floor(times[i]);
            double t = times[i] - k;
            warped[i] = (float) (x[k] * (1 - t) + x[k + 1] * t);
        }
        return leakDb(warped, rate, mid, g0, ratio, mirrored);
    }

    private static double power(float[] x, int from, int n, double hz, int rate) {
        double re = 0;
        double im = 0;
        double w = 2 * Math.PI * hz / rate;
        for (int i = 0; i < n; i++) {
            double win = 0.5 - 0.5 * Math.cos(2 * Math.PI * (i + 0.5) / n);
            double v = x[from + i] * win;
            re += v * Math.cos(w * i);
            im -= v * Math.sin(w * i);
        }
        return re * re + im * im;
    }
}
