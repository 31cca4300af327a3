package org.voxmorph.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.voxmorph.dsp.Fft;
import org.voxmorph.dsp.SpectralDenoiser;

/**
 * Test-side noise and meters for the noise suppressor: noises we make (fan, mains hum, keyboard
 * clicks, babble from other speakers in ../shared), mixing at a speech-active SNR, segmental SNR,
 * the band-envelope correlation of {@link IntelligibilityTest} and the spectral flatness of the
 * residual noise in the pauses. None of it shares code with {@link SpectralDenoiser}.
 */
final class NoisySpeech {
    static final String[] NOISES = {"fan", "hum", "keyboard", "babble"};
    private static final double FRAME_S = 0.02;

    private NoisySpeech() {
    }

    /** {@code seconds} of the named noise at RMS 0.1. */
    static float[] noise(String kind, int rate, int n, long seed) throws Exception {
        Random rnd = new Random(seed);
        float[] x = new float[n];
        switch (kind) {
            case "fan" -> {
                // Broadband rumble falling off above a few hundred Hz, plus a little hiss and the blade tone.
                double a = Math.exp(-2 * Math.PI * 300 / rate);
                double low = 0;
                for (int i = 0; i < n; i++) {
                    double w = rnd.nextGaussian();
                    low = a * low + (1 - a) * w;
                    x[i] = (float) (8 * low + 0.15 * w + 0.3 * Math.sin(2 * Math.PI * 120 * i / rate));
                }
            }
            case "hum" -> {
                for (int i = 0; i < n; i++) {
                    double v = 0;
                    for (int h = 1; h <= 12; h++) {
                        v += Math.sin(2 * Math.PI * 50 * h * i / rate + h * 0.7) / h;
                    }
                    x[i] = (float) v;
                }
            }
            case "keyboard" -> {
                // Key clicks: 3 ms bright bursts, 60-300 ms apart, each with its own level.
                int i = 0;
                while (i < n) {
                    i += (int) ((0.06 + 0.24 * rnd.nextDouble()) * rate);
                    double amp = 0.5 + rnd.nextDouble();
                    int len = (int) (0.003 * rate);
                    double prev = 0;
                    for (int k = 0; k < 4 * len && i + k < n; k++) {
                        double w = rnd.nextGaussian();
                        x[i + k] += (float) (amp * (w - prev) * Math.exp(-k / (double) len));
                        prev = w;
                    }
                }
            }
            case "babble" -> {
                // Four LibriSpeech talkers at once (none of them is the VCTK speaker under test).
                String[] talkers = {"libri_devclean_174", "libri_devclean_1919", "libri_devclean_2086", "libri_devclean_2412"};
                for (String t : talkers) {
                    Path wav;
                    try (Stream<Path> files = Files.list(TestSignals.SPEECH.resolve(t))) {
                        wav = files.filter(p -> p.toString().endsWith(".wav")).sorted().findFirst().orElseThrow();
                    }
                    float[] s = TestSignals.speechAt(TestSignals.SPEECH.relativize(wav).toString(), rate);
                    double r = rms(s, 0, s.length);
                    int start = rnd.nextInt(s.length);
                    for (int i = 0; i < n; i++) {
                        x[i] += (float) (s[(start + i) % s.length] / r);
                    }
                }
            }
            default -> throw new IllegalArgumentException(kind);
        }
        double r = rms(x, 0, n);
        for (int i = 0; i < n; i++) {
            x[i] *= (float) (0.1 / r);
        }
        return x;
    }

    static double rms(float[] x, int from, int to) {
        double e = 0;
        for (int i = from; i < to; i++) {
            e += x[i] * x[i];
        }
        return Math.sqrt(e / Math.max(1, to - from));
    }

    /** Frames (20 ms) where the clean speech is within 40 dB of its loudest frame. */
    static boolean[] active(float[] clean, int rate) {
        int f = (int) (FRAME_S * rate);
        int frames = clean.length / f;
        double[] e = new double[frames];
        double loudest = 0;
        for (int k = 0; k < frames; k++) {
            e[k] = rms(clean, k * f, (k + 1) * f);
            loudest = Math.max(loudest, e[k]);
        }
        boolean[] a = new boolean[frames];
        for (int k = 0; k < frames; k++) {
            a[k] = e[k] > loudest * 0.01;
        }
        return a;
    }

    /** Speech-active RMS. */
    static double activeRms(float[] x, boolean[] active, int rate, int delay) {
        int f = (int) (FRAME_S * rate);
        double e = 0;
        int n = 0;
        for (int k = 0; k < active.length; k++) {
            if (active[k] && (k + 1) * f + delay <= x.length) {
                for (int i = k * f; i < (k + 1) * f; i++) {
                    e += x[i + delay] * x[i + delay];
                }
                n += f;
            }
        }
        return Math.sqrt(e / n);
    }

    /** clean + noise scaled to {@code snrDb} against the clean speech's active RMS. */
    static float[] mix(float[] clean, float[] noise, double snrDb, int rate) {
        double s = activeRms(clean, active(clean, rate), rate, 0);
        double g = s / rms(noise, 0, noise.length) / Math.pow(10, snrDb / 20);
        float[] y = new float[clean.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (clean[i] + g * noise[i]);
        }
        return y;
    }

    /** Segmental SNR (dB) of {@code test}, {@code delay} samples late, against {@code clean}: active 20 ms frames, each clipped to -10..35 dB. */
    static double segmentalSnr(float[] clean, float[] test, int delay, int rate) {
        return segmentalSnr(clean, test, delay, rate, active(clean, rate));
    }

    /**
     * The active frames the noise reaches: where {@code noisy} is below the 35 dB ceiling. A sparse
     * noise (clicks) leaves most frames at the ceiling, where any processing at all (even taking
     * out the reference's own room tone) can only lose; these frames show what it does to the noise.
     */
    static boolean[] reached(float[] clean, float[] noisy, int rate) {
        int f = (int) (FRAME_S * rate);
        boolean[] a = active(clean, rate);
        for (int k = 0; k < a.length; k++) {
            if (a[k]) {
                double s = 0;
                double e = 0;
                for (int i = k * f; i < (k + 1) * f; i++) {
                    double d = noisy[i] - clean[i];
                    s += clean[i] * clean[i];
                    e += d * d;
                }
                a[k] = 10 * Math.log10(s / (e + 1e-20)) < 35;
            }
        }
        return a;
    }

    /** Segmental SNR over the frames {@code frames} marks. */
    static double segmentalSnr(float[] clean, float[] test, int delay, int rate, boolean[] frames) {
        int f = (int) (FRAME_S * rate);
        boolean[] a = frames;
        double sum = 0;
        int n = 0;
        for (int k = 0; k < a.length; k++) {
            if (!a[k] || (k + 1) * f + delay > test.length) {
                continue;
            }
            double s = 0;
            double e = 0;
            for (int i = k * f; i < (k + 1) * f; i++) {
                double d = test[i + delay] - clean[i];
                s += clean[i] * clean[i];
                e += d * d;
            }
            sum += Math.max(-10, Math.min(35, 10 * Math.log10(s / (e + 1e-20))));
            n++;
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * Mean spectral flatness (geometric over arithmetic mean of the power spectrum, 100 Hz-6 kHz) of
     * {@code x} over the 32 ms frames where the clean speech is quiet (pauses): 1 for white noise,
     * lower for coloured noise, and lower still when a suppressor leaves isolated tonal fragments
     * (musical noise).
     */
    static double pauseFlatness(float[] clean, float[] x, int delay, int rate) {
        int f = (int) (FRAME_S * rate);
        boolean[] a = active(clean, rate);
        int n = 512;
        while (n < 0.032 * rate) {
            n *= 2;
        }
        Fft fft = new Fft(n);
        double[] re = new double[n];
        double[] im = new double[n];
        double sum = 0;
        int count = 0;
        int lo = (int) Math.ceil(100.0 * n / rate);
        int hi = (int) Math.min(n / 2 - 1, Math.floor(6000.0 * n / rate));
        for (int k = 1; k + 1 < a.length; k++) {
            if (a[k - 1] || a[k] || a[k + 1]) {
                continue;
            }
            int from = k * f + delay - n / 2;
            if (from < 0 || from + n > x.length) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                re[i] = x[from + i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / n));
                im[i] = 0;
            }
            fft.transform(re, im, false);
            double logSum = 0;
            double linSum = 0;
            for (int b = lo; b <= hi; b++) {
                double p = re[b] * re[b] + im[b] * im[b] + 1e-24;
                logSum += Math.log(p);
                linSum += p;
            }
            int m = hi - lo + 1;
            sum += Math.exp(logSum / m) / (linSum / m);
            count++;
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** The denoiser run over {@code x} in 10 ms blocks, tail flushed; output is {@code latency} late. */
    static float[] denoise(float[] x, int rate, double reductionDb) {
        SpectralDenoiser d = new SpectralDenoiser(rate);
        d.setReductionDb(reductionDb);
        float[] y = java.util.Arrays.copyOf(x, x.length + d.latencySamples());
        int block = rate / 100;
        for (int i = 0; i < y.length; i += block) {
            d.process(y, i, Math.min(block, y.length - i));
        }
        return y;
    }

    /** One row of the table: what the denoiser does to {@code clean} mixed with {@code kind} at {@code snr}. */
    record Row(String noise, double snr, double segSnrIn, double segSnrOut, double envIn, double envOut,
               double flatIn, double flatOut, double noiseDropDb, double reachedIn, double reachedOut) {
        double improvement() {
            return segSnrOut - segSnrIn;
        }
    }

    static Row measure(float[] clean, String kind, double snr, int rate, long seed) throws Exception {
        return measure(clean, kind, snr, rate, seed, classical(rate), kind);
    }

    /**
     * A suppressor under measurement: its output for the signal named {@code key} (input {@code x}),
     * {@link #latency()} samples late and that much longer than the input.
     */
    interface Suppressor {
        float[] run(String key, float[] x) throws Exception;

        int latency();
    }

    /** The shipped classical denoiser at reductionDb 20. */
    static Suppressor classical(int rate) {
        return new Suppressor() {
            public float[] run(String key, float[] x) {
                return denoise(x, rate, 20);
            }

            public int latency() {
                return new SpectralDenoiser(rate).latencySamples();
            }
        };
    }

    /** Writes every input to {@code dir/KEY.f32} (little-endian float32) for an outside suppressor; returns it unchanged. */
    static Suppressor dumper(Path dir) {
        return new Suppressor() {
            public float[] run(String key, float[] x) throws Exception {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * x.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(x);
                Files.write(dir.resolve(key + ".f32"), b.array());
                return x;
            }

            public int latency() {
                return 0;
            }
        };
    }

    /** An outside suppressor's outputs, read from {@code dir/KEY.SUFFIX.f32}, {@code latency} samples late. */
    static Suppressor files(Path dir, String suffix, int latency) {
        return new Suppressor() {
            public float[] run(String key, float[] x) throws Exception {
                Path f = dir.resolve(key + "." + suffix + ".f32");
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(f)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                float[] y = new float[b.remaining() / 4];
                b.asFloatBuffer().get(y);
                if (y.length != x.length + latency) {
                    throw new IllegalStateException(f + ": " + y.length + " samples, expected " + (x.length + latency));
                }
                return y;
            }

            public int latency() {
                return latency;
            }
        };
    }

    /** One row, with {@code suppressor} running the noisy mix and the noise alone, both named after {@code key}. */
    static Row measure(float[] clean, String kind, double snr, int rate, long seed, Suppressor suppressor, String key) throws Exception {
        float[] noise = noise(kind, rate, clean.length, seed);
        float[] noisy = mix(clean, noise, snr, rate);
        float[] out = suppressor.run(key, noisy);
        int delay = suppressor.latency();
        float[] aligned = java.util.Arrays.copyOfRange(out, delay, out.length);
        // Noise alone through the same suppressor at the same level: how far the noise floor came down.
        double g = activeRms(clean, active(clean, rate), rate, 0) / rms(noise, 0, noise.length) / Math.pow(10, snr / 20);
        float[] scaled = new float[noise.length];
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] = (float) (g * noise[i]);
        }
        float[] residual = suppressor.run(key + "_noise", scaled);
        int half = scaled.length / 2; // after the tracker has settled
        double drop = 20 * Math.log10(rms(residual, half + delay, residual.length) / rms(scaled, half, scaled.length));
        return new Row(kind, snr, segmentalSnr(clean, noisy, 0, rate), segmentalSnr(clean, out, delay, rate),
                IntelligibilityTest.envelopeCorrelation(clean, noisy, rate),
                IntelligibilityTest.envelopeCorrelation(clean, aligned, rate),
                pauseFlatness(clean, noisy, 0, rate), pauseFlatness(clean, out, delay, rate), drop,
                segmentalSnr(clean, noisy, 0, rate, reached(clean, noisy, rate)),
                segmentalSnr(clean, out, delay, rate, reached(clean, noisy, rate)));
    }

    private static final String[] SPEAKERS = {"p225", "p226", "p227", "p228"};
    private static final String[] UTTERANCES = {"003", "008"};
    private static final double[] SNRS = {0, 5, 10, 20};

    /**
     * Means over the 8 evaluation utterances: seg SNR in, out, env in, out, flatness in, out, noise
     * drop, reached in, out; then the lowest and highest segmental SNR improvement of one utterance.
     */
    static double[] mean(String kind, double snr, int rate, Suppressor suppressor) throws Exception {
        double[] acc = new double[9];
        double lowest = Double.POSITIVE_INFINITY;
        double highest = Double.NEGATIVE_INFINITY;
        int count = 0;
        for (String speaker : SPEAKERS) {
            for (String u : UTTERANCES) {
                float[] clean = TestSignals.speechAt("vctk_" + speaker + "/" + speaker + "_" + u + ".wav", rate);
                Row r = measure(clean, kind, snr, rate, speaker.hashCode() + u.hashCode(), suppressor,
                        String.format("%s_%.0f_%s_%s", kind, snr, speaker, u));
                double[] v = {r.segSnrIn(), r.segSnrOut(), r.envIn(), r.envOut(), r.flatIn(), r.flatOut(), r.noiseDropDb(),
                    r.reachedIn(), r.reachedOut()};
                for (int i = 0; i < v.length; i++) {
                    acc[i] += v[i];
                }
                lowest = Math.min(lowest, r.improvement());
                highest = Math.max(highest, r.improvement());
                count++;
            }
        }
        for (int i = 0; i < acc.length; i++) {
            acc[i] /= count;
        }
        double[] out = java.util.Arrays.copyOf(acc, 11);
        out[9] = lowest;
        out[10] = highest;
        return out;
    }

    /** Clean speech (utterance 003 of each speaker) through {@code suppressor}: envelope correlation, level change, segmental SNR. */
    static double[] cleanPassthrough(String speaker, int rate, Suppressor suppressor) throws Exception {
        float[] x = TestSignals.speechAt("vctk_" + speaker + "/" + speaker + "_003.wav", rate);
        float[] y = suppressor.run("clean_" + speaker, x);
        int delay = suppressor.latency();
        boolean[] a = active(x, rate);
        return new double[] {IntelligibilityTest.envelopeCorrelation(x, java.util.Arrays.copyOfRange(y, delay, y.length), rate),
            20 * Math.log10(activeRms(y, a, rate, delay) / activeRms(x, a, rate, 0)), segmentalSnr(x, y, delay, rate)};
    }

    /**
     * The full table for tools/measure-denoise.sh: every noise × SNR on two utterances of each VCTK speaker.
     * With {@code dump DIR}: writes every evaluation input to DIR/KEY.f32 for an outside suppressor
     * (tools/train/denoise_net.py). With {@code compare DIR SUFFIX LATENCY}: the classical denoiser
     * against that suppressor's outputs DIR/KEY.SUFFIX.f32, LATENCY samples late, on the same meters.
     */
    public static void main(String[] args) throws Exception {
        int rate = 16000;
        if (args.length == 2 && args[0].equals("dump")) {
            Path dir = Path.of(args[1]);
            Files.createDirectories(dir);
            Suppressor dump = dumper(dir);
            for (String kind : NOISES) {
                for (double snr : SNRS) {
                    mean(kind, snr, rate, dump);
                }
            }
            for (String speaker : SPEAKERS) {
                cleanPassthrough(speaker, rate, dump);
            }
            return;
        }
        if (args.length == 4 && args[0].equals("compare")) {
            compare(classical(rate), files(Path.of(args[1]), args[2], Integer.parseInt(args[3])), rate);
            return;
        }
        Suppressor suppressor = classical(rate);
        System.out.println("| noise | SNR in | segmental SNR in → out (dB) | improvement | frames the noise reaches: in → out | envelope correlation noisy → denoised | pause flatness noisy → denoised | noise alone: level change |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String kind : NOISES) {
            for (double snr : SNRS) {
                double[] acc = mean(kind, snr, rate, suppressor);
                System.out.printf("| %s | %.0f dB | %.1f → %.1f | %+.1f | %.1f → %.1f | %.3f → %.3f | %.3f → %.3f | %.1f dB |%n", kind, snr,
                        acc[0], acc[1], acc[1] - acc[0], acc[7], acc[8], acc[2], acc[3], acc[4], acc[5], acc[6]);
            }
        }
        for (String speaker : SPEAKERS) {
            double[] c = cleanPassthrough(speaker, rate, suppressor);
            System.out.printf("clean %s: envelope correlation %.3f, speech-active level %+.2f dB, segmental SNR %.1f dB%n", speaker, c[0], c[1], c[2]);
        }
    }

    /** One table, two suppressors side by side (a / b) on every noise × SNR, then clean passthrough. */
    static void compare(Suppressor a, Suppressor b, int rate) throws Exception {
        System.out.println("| noise | SNR in | segmental SNR in → out: classical / net (dB) | improvement: classical / net (one utterance's lowest..highest) | frames the noise reaches: in → classical / net | envelope correlation: noisy → classical / net | pause flatness: noisy → classical / net | noise alone: level change classical / net |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (String kind : NOISES) {
            for (double snr : SNRS) {
                double[] x = mean(kind, snr, rate, a);
                double[] y = mean(kind, snr, rate, b);
                System.out.printf("| %s | %.0f dB | %.1f → %.1f / %.1f | %+.1f (%+.1f..%+.1f) / %+.1f (%+.1f..%+.1f) | %.1f → %.1f / %.1f | %.3f → %.3f / %.3f | %.3f → %.3f / %.3f | %.1f / %.1f dB |%n",
                        kind, snr, x[0], x[1], y[1], x[1] - x[0], x[9], x[10], y[1] - y[0], y[9], y[10], x[7], x[8], y[8], x[2], x[3], y[3], x[4], x[5], y[5], x[6], y[6]);
            }
        }
        for (String speaker : SPEAKERS) {
            double[] c = cleanPassthrough(speaker, rate, a);
            double[] d = cleanPassthrough(speaker, rate, b);
            System.out.printf("clean %s: envelope correlation %.3f / %.3f, speech-active level %+.2f / %+.2f dB, segmental SNR %.1f / %.1f dB%n",
                    speaker, c[0], d[0], c[1], d[1], c[2], d[2]);
        }
    }
}
