package org.voxmorph.voice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.voxmorph.chain.BlockRunner;
import org.voxmorph.chain.StreamSpec;
import org.voxmorph.dsp.MatchingSet;
import org.voxmorph.dsp.Speech;
import org.voxmorph.model.ModelPackage;
import org.voxmorph.model.ModelProcessor;

/**
 * The shipped frame-matching voices ({@code models/voxmorph-frames}) through the {@code model}
 * processor, as {@code --model voxmorph-frames --speaker K} runs them: a real VCTK speaker comes
 * out at each voice's own pitch, the four voices are clearly apart, the words keep their shape,
 * and {@code --pitch} moves the output by that many semitones.
 */
class BuiltInVoicesTest {
    static final Path SHIPPED = Path.of("models").toAbsolutePath();
    static final String ID = "voxmorph-frames";
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

    private static float[] convert(float[] x, int speaker, double semitones) {
        ModelProcessor p = new ModelProcessor();
        p.parameters().get("model").setText(ID);
        p.parameters().get("speaker").set(speaker);
        p.parameters().get("pitch").set(semitones);
        p.prepare(new StreamSpec(16000, 4096));
        int latency = p.latencySamples();
        float[] padded = java.util.Arrays.copyOf(x, x.length + latency);
        float[] y = BlockRunner.run(p, padded, 4096, b -> 441);
        p.close();
        return java.util.Arrays.copyOfRange(y, latency, y.length);
    }

    /** Source speech with the converter warmed up on three other sentences of the same speaker. */
    private static float[] session(String speaker, int voice, double semitones) throws Exception {
        float[][] parts = {Speech.vctk(speaker, "008"), Speech.vctk(speaker, "011"), Speech.vctk(speaker, "016"),
            Speech.vctk(speaker, "003")};
        int total = 0;
        for (float[] p : parts) {
            total += p.length;
        }
        float[] all = new float[total];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        float[] out = convert(all, voice, semitones);
        return java.util.Arrays.copyOfRange(out, total - parts[3].length, total);
    }

    @Test
    void fourDistinctVoicesAtTheirOwnPitchKeepingTheWords() throws Exception {
        ModelPackage pkg = ModelPackage.read(SHIPPED.resolve(ID));
        assertTrue(pkg.speakers().size() >= 4, "at least four built-in voices");
        float[] source = Speech.vctk("p226", "003");
        double[][] spectra = new double[4][];
        for (int k = 0; k < 4; k++) {
            MatchingSet set = MatchingSet.fromBytes(pkg.bytes(pkg.files().get(k)));
            float[] out = session("p226", k, 0);
            double f0 = VoiceMetrics.medianF0(out);
            double wanted = Math.exp(set.logF0Centre());
            double shape = VoiceMetrics.bandEnvelopeCorrelation(source, out);
            spectra[k] = VoiceMetrics.longTermSpectrumDb(out);
            System.out.printf("%s: median F0 %.0f Hz (voice %.0f Hz), band-shape correlation %.2f%n", pkg.speakers().get(k), f0,
                    wanted, shape);
            assertEquals(0, Math.log(f0 / wanted), Math.log(1.06), pkg.speakers().get(k) + ": pitch " + f0 + " vs " + wanted);
            assertTrue(shape > 0.6, pkg.speakers().get(k) + ": band-envelope correlation " + shape);
        }
        for (int a = 0; a < 4; a++) {
            for (int b = a + 1; b < 4; b++) {
                double lsd = VoiceMetrics.logSpectralDistance(spectra[a], spectra[b]);
                System.out.printf("%s vs %s: long-term spectra %.1f dB apart%n", pkg.speakers().get(a), pkg.speakers().get(b), lsd);
                assertTrue(lsd > 1.5, pkg.speakers().get(a) + " and " + pkg.speakers().get(b) + " sound alike: " + lsd + " dB");
            }
        }
    }

    @Test
    void pitchTransposesTheOutputByThatManySemitones() throws Exception {
        double plain = VoiceMetrics.medianF0(session("p227", 2, 0));
        double up = VoiceMetrics.medianF0(session("p227", 2, 4));
        System.out.printf("slt: median F0 %.1f Hz, with --pitch 4: %.1f Hz (%.2f semitones)%n", plain, up,
                12 * Math.log(up / plain) / Math.log(2));
        assertEquals(4, 12 * Math.log(up / plain) / Math.log(2), 0.5);
    }

    @Test
    void aFramesFileIsCheckedLikeAnyModelFileAndOnlyAFramesPackageMayHoldOne(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path copy = dir.resolve(ID);
        java.nio.file.Files.createDirectories(copy);
        for (String f : new String[] {"model.json", "awb.frames", "rms.frames", "slt.frames", "kal.frames"}) {
            java.nio.file.Files.copy(SHIPPED.resolve(ID).resolve(f), copy.resolve(f));
        }
        byte[] bytes = java.nio.file.Files.readAllBytes(copy.resolve("slt.frames"));
        bytes[bytes.length / 2] ^= 1;
        java.nio.file.Files.write(copy.resolve("slt.frames"), bytes);
        ModelPackage pkg = ModelPackage.read(copy);
        org.voxmorph.model.ModelException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.voxmorph.model.ModelException.class, () -> pkg.bytes(pkg.files().get(2)));
        assertTrue(e.getMessage().contains("slt.frames") && e.getMessage().contains("sha256"), e.getMessage());

        String manifest = java.nio.file.Files.readString(copy.resolve("model.json"));
        java.nio.file.Files.writeString(copy.resolve("model.json"), manifest.replace("\"voxmorph-frames\"", "\"voxmorph-stream\""));
        e = org.junit.jupiter.api.Assertions.assertThrows(org.voxmorph.model.ModelException.class, () -> ModelPackage.read(copy));
        assertTrue(e.getMessage().contains("only .onnx files"), e.getMessage());
    }
}
