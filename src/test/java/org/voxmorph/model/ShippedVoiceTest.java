package org.voxmorph.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.voxmorph.chain.BlockRunner;
import org.voxmorph.chain.StreamSpec;
import org.voxmorph.dsp.Measure;
import org.voxmorph.dsp.NsdfPitch;
import org.voxmorph.dsp.Speech;

/**
 * The built-in neural voice in {@code models/voxmorph-voices} (trained by tools/train/train.py),
 * through the real {@code model} processor and ONNX Runtime, on real VCTK speech it never saw.
 */
class ShippedVoiceTest {
    private static final Path SHIPPED = Path.of("models");
    private static final String ID = "voxmorph-voices";
    private static final int RATE = 16000;
    private static String previousModels;

    @BeforeAll
    static void useShippedModels() {
        previousModels = System.getProperty("voxmorph.models");
        System.setProperty("voxmorph.models", SHIPPED.toString());
    }

    @AfterAll
    static void restore() {
        if (previousModels == null) {
            System.clearProperty("voxmorph.models");
        } else {
            System.setProperty("voxmorph.models", previousModels);
        }
    }

    private static ModelProcessor processor(int rate, int speaker) {
        System.setProperty("voxmorph.models", SHIPPED.toString());
        ModelProcessor p = new ModelProcessor();
        p.parameters().get("model").setText(ID);
        p.parameters().get("speaker").set(speaker);
        p.prepare(new StreamSpec(rate, 4096));
        return p;
    }

    /** Three utterances that let the runner learn the source's pitch range, then the measured one. */
    private static float[] warmUpThen(String speaker, String measured, int[] start) throws IOException {
        List<float[]> parts = new ArrayList<>();
        for (String u : new String[] {"008", "011", "016"}) {
            parts.add(Speech.vctk(speaker, u));
        }
        parts.add(Speech.vctk(speaker, measured));
        int total = parts.stream().mapToInt(a -> a.length).sum();
        float[] all = new float[total];
        int pos = 0;
        for (float[] p : parts) {
            start[0] = pos;
            System.arraycopy(p, 0, all, pos, p.length);
            pos += p.length;
        }
        return all;
    }

    @Test
    void packageIsCheckedSmallAndOffersNamedVoices() throws IOException {
        ModelPackage pkg = ModelPackage.read(SHIPPED.resolve(ID));
        assertTrue(pkg.speakers().size() >= 4, "voices: " + pkg.speakers());
        assertEquals(pkg.speakers().size(), pkg.speakerF0().size(), "a pitch range per voice");
        assertEquals("mel-cepstrum", pkg.vocoder().type());
        long bytes = 0;
        for (ModelPackage.FileEntry f : pkg.files()) {
            bytes += pkg.bytes(f).length;   // checks the sha256 too
        }
        assertTrue(bytes <= 25_000_000, "package size " + bytes);
        assertTrue(Files.isRegularFile(SHIPPED.resolve(ID).resolve("README.md")), "the model card");
    }

    @Test
    void importingTheBareGraphRebuildsTheSameManifest(@org.junit.jupiter.api.io.TempDir Path dir) {
        ModelPackage shipped = ModelPackage.read(SHIPPED.resolve(ID));
        ModelPackage again = ModelImporter.importModel(SHIPPED.resolve(ID).resolve("stream.onnx"), null, null, "again", 0, null, dir);
        assertEquals(shipped.latencySamples(), again.latencySamples());
        assertEquals(shipped.speakers(), again.speakers());
        assertEquals(shipped.speakerF0(), again.speakerF0());
        assertEquals(shipped.vocoder(), again.vocoder());
    }

    /** Median pitch of the measured utterance's output, and the per-hop log energies of input and output. */
    private record Run(double medianHz, double[] inEnergy, double[] outEnergy) {
    }

    private static Run convert(String source, String utterance, int speaker) throws IOException {
        int[] start = new int[1];
        float[] x = warmUpThen(source, utterance, start);
        ModelProcessor p = processor(RATE, speaker);
        float[] y = BlockRunner.run(p, x, 512, b -> 512);
        int latency = p.latencySamples();
        p.close();
        NsdfPitch tracker = new NsdfPitch(RATE);
        List<Double> pitches = new ArrayList<>();
        int hops = (x.length - start[0] - latency) / 160;
        double[] in = new double[hops];
        double[] out = new double[hops];
        for (int h = 0; h < hops; h++) {
            int i = start[0] + 160 * h;
            in[h] = logEnergy(x, i);
            out[h] = logEnergy(y, i + latency);
            if (i + latency + 1024 <= y.length) {
                double hz = tracker.pitchHz(y, i + latency, 1024);
                if (hz > 0) {
                    pitches.add(hz);
                }
            }
        }
        assertTrue(pitches.size() > 50, "voiced output hops: " + pitches.size());
        return new Run(Measure.median(pitches), in, out);
    }

    private static double logEnergy(float[] x, int from) {
        double e = 1e-8;
        for (int i = from; i < from + 160 && i < x.length; i++) {
            e += x[i] * x[i];
        }
        return Math.log(e);
    }

    private static double correlation(double[] a, double[] b) {
        int n = Math.min(a.length, b.length);
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += a[i] / n;
            mb += b[i] / n;
        }
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < n; i++) {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return ab / Math.sqrt(aa * bb);
    }

    @Test
    void outputPitchLandsInEachTargetsRangeAndContentFollowsTheInput() throws IOException {
        ModelPackage pkg = ModelPackage.read(SHIPPED.resolve(ID));
        for (String source : new String[] {"p225", "p226"}) {
            double[] other = convert(source, "019", 0).inEnergy();
            for (int speaker : new int[] {0, 2}) {
                Run r = convert(source, "003", speaker);
                double target = Math.exp(pkg.speakerF0().get(speaker).meanLnHz());
                double semitones = 12 * Math.log(r.medianHz() / target) / Math.log(2);
                System.out.printf("shipped voice %s -> %s: output median %.1f Hz, target %.1f Hz (%.1f semitones)%n",
                        source, pkg.speakers().get(speaker), r.medianHz(), target, semitones);
                assertEquals(0, semitones, 2.5, source + " as " + pkg.speakers().get(speaker));
                double follows = correlation(r.inEnergy(), r.outEnergy());
                double unrelated = correlation(other, r.outEnergy());
                System.out.printf("  energy envelope correlation with its input %.2f, with another sentence %.2f%n", follows, unrelated);
                assertTrue(follows > 0.6, "content follows the input: r = " + follows);
                assertTrue(unrelated < 0.3, "and not any speech: r = " + unrelated);
            }
        }
    }

    @Test
    void streamsTheSameWhateverTheBlockSizes() throws IOException {
        float[] x = TestModels.toRate(Speech.vctk("p227", "003"), 48000);
        ModelProcessor p = processor(48000, 1);
        float[] a = BlockRunner.run(p, x, 4096, b -> 4096);
        p.reset();
        float[] b = BlockRunner.run(p, x, 4096, k -> 1 + (k * 2654435) % 997);
        p.close();
        assertTrue(TestModels.maxAbsDiff(a, b) < 1e-4, "block-size dependence " + TestModels.maxAbsDiff(a, b));
        assertTrue(p.latencySamples() <= 0.040 * 48000, "latency " + p.latencySamples() + " samples at 48 kHz");
    }
}
