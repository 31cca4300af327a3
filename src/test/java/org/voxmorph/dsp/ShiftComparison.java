package org.voxmorph.dsp;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.voxmorph.audio.WavWriter;

/**
 * The pitch-shift comparison table: Voxmorph's shifter and rubberband (as a reference) on VCTK
 * speech, measured with {@link ShiftQuality}. Run by {@code tools/measure-pitch-shift.sh}.
 *
 * <p>Arguments: {@code RATE SHIFTS UTTERANCES METHODS}, e.g. {@code 16000 -12,12 003,008 voxmorph,rubberband-r3}.
 * At 48 kHz the 16 kHz files are resampled up first.
 */
public final class ShiftComparison {
    private static final String[] SPEAKERS = {"p225", "p226", "p227", "p228"};

    private ShiftComparison() {
    }

    public static void main(String[] args) throws Exception {
        int rate = Integer.parseInt(args[0]);
        String[] shifts = args[1].split(",");
        String[] utterances = args[2].split(",");
        String[] methods = args[3].split(",");
        System.out.println("| method | shift (st) | rate | frames on target, worst speaker | mean | at the original pitch | "
                + "odd/even leak median (dB), worst speaker | pooled | frames leak > -10 dB | source-voiced frames unvoiced |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (String method : methods) {
            for (String s : shifts) {
                double semitones = Double.parseDouble(s);
                double ratio = Math.pow(2, semitones / 12);
                double worstShare = 1;
                double meanShare = 0;
                double meanOriginal = 0;
                double worstLeak = -1000;
                double unvoiced = 0;
                List<Double> pooled = new ArrayList<>();
                for (String speaker : SPEAKERS) {
                    int both = 0;
                    double on = 0;
                    double orig = 0;
                    double lost = 0;
                    List<Double> leaks = new ArrayList<>();
                    for (String u : utterances) {
                        float[] in = Speech.vctk(speaker, u);
                        if (rate != 16000) {
                            in = Resampler.resample(in, 16000, rate);
                        }
                        float[][] out = new float[1][];
                        int latency = run(method, in, rate, semitones, out);
                        ShiftQuality.Result r = ShiftQuality.measure(in, out[0], rate, latency, ratio);
                        both += r.frames();
                        on += r.onTarget() * r.frames();
                        orig += r.atOriginal() * r.frames();
                        lost += r.unvoicedShare();
                        for (double v : r.leakDb()) {
                            leaks.add(v);
                        }
                    }
                    double share = on / both;
                    double leak = Measure.median(leaks);
                    System.err.printf("%s %+.0f %s: %.1f%% on target (%d frames), %.1f%% at original, leak %.1f dB%n",
                            method, semitones, speaker, 100 * share, both, 100 * orig / both, leak);
                    worstShare = Math.min(worstShare, share);
                    meanShare += share / SPEAKERS.length;
                    meanOriginal += orig / both / SPEAKERS.length;
                    unvoiced += lost / utterances.length / SPEAKERS.length;
                    if (!leaks.isEmpty()) {
                        worstLeak = Math.max(worstLeak, leak);
                    }
                    pooled.addAll(leaks);
                }
                long loud = pooled.stream().filter(v -> v > -10).count();
                System.out.printf("| %s | %+.0f | %d | %.1f %% | %.1f %% | %.1f %% | %s | %s | %s | %.1f %% |%n", method, semitones,
                        rate / 1000, 100 * worstShare, 100 * meanShare, 100 * meanOriginal,
                        pooled.isEmpty() ? "n/a" : String.format("%.1f", worstLeak),
                        pooled.isEmpty() ? "n/a" : String.format("%.1f", Measure.median(pooled)),
                        pooled.isEmpty() ? "n/a" : String.format("%.1f %%", 100.0 * loud / pooled.size()), 100 * unvoiced);
            }
        }
    }

    /** Shifts {@code in}; returns the delay of {@code out[0]} behind {@code in}, in samples. */
    static int run(String method, float[] in, int rate, double semitones, float[][] out) throws Exception {
        if (method.equals("voxmorph")) {
            PsolaPitchShifter shifter = new PsolaPitchShifter(rate);
            shifter.setShift(Math.pow(2, semitones / 12), 1.0);
            float[] y = java.util.Arrays.copyOf(in, in.length + shifter.latencySamples());
            int block = rate / 100;
            for (int i = 0; i < y.length; i += block) {
                shifter.process(y, i, Math.min(block, y.length - i));
            }
            out[0] = y;
            return shifter.latencySamples();
        }
        if (method.startsWith("rubberband")) {
            // rubberband-r3 / rubberband-r2: the finer or faster engine, formants preserved (-F).
            Path dir = Files.createTempDirectory("rb");
            Path a = dir.resolve("in.wav");
            Path b = dir.resolve("out.wav");
            WavWriter.write16(a, in, rate);
            Process p = new ProcessBuilder("rubberband", method.endsWith("r3") ? "-3" : "-2", "-F", "-q",
                    "-p", Double.toString(semitones), a.toString(), b.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("rubberband failed");
            }
            out[0] = Speech.readWav(b);
            Files.delete(a);
            Files.delete(b);
            Files.delete(dir);
            return 0;
        }
        throw new IllegalArgumentException("unknown method " + method);
    }
}
