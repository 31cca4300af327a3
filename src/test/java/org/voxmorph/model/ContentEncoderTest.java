package org.voxmorph.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxmorph.dsp.ContentNet;
import org.voxmorph.dsp.FrameAnalysis;
import org.voxmorph.dsp.Speech;

/**
 * The shipped content encoder (models/voxmorph-content) on real speech it never trained on: the
 * four VCTK speakers of ../shared/speech, who read the same sentences.
 */
class ContentEncoderTest {
    static final String[] SPEAKERS = {"p225", "p226", "p227", "p228"};
    static final String[] SENTENCES = {"003", "021"};

    /** Content (or, for the baseline, MFCC 1..19) vectors of the active 10 ms frames of one clip. */
    static List<float[]> vectors(float[] x, ContentNet net, boolean mfcc) {
        FrameAnalysis analysis = new FrameAnalysis(16000);
        ContentNet.Encoder encoder = net.encoder();
        int bands = FrameAnalysis.BANDS;
        float[] history = new float[net.context() * bands];
        java.util.Arrays.fill(history, FrameAnalysis.silentLogMel());
        double[] envelope = new double[FrameAnalysis.GRID];
        List<float[]> out = new ArrayList<>();
        List<Double> levels = new ArrayList<>();
        for (int at = 0; at + analysis.frameSamples() <= x.length; at += 160) {
            analysis.analyse(x, at, envelope);
            System.arraycopy(history, bands, history, 0, history.length - bands);
            analysis.logMel(history, history.length - bands);
            float[] v;
            if (mfcc) {
                v = new float[19];
                for (int c = 1; c <= 19; c++) {
                    for (int b = 0; b < bands; b++) {
                        v[c - 1] += (float) (history[history.length - bands + b] * Math.cos(Math.PI * c * (b + 0.5) / bands));
                    }
                }
            } else {
                v = new float[net.dimensions()];
                encoder.encode(history, 0, v);
            }
            out.add(v);
            levels.add(analysis.level());
        }
        double loud = levels.stream().mapToDouble(Double::doubleValue).sorted().toArray()[(int) (0.95 * (levels.size() - 1))];
        List<float[]> active = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            if (levels.get(i) > loud - 3 * Math.log(10)) { // within 30 dB of the loud frames
                active.add(out.get(i));
            }
        }
        return active;
    }

    /** Each speaker's vectors standardised by that speaker's own mean and spread, as the converter does. */
    static void normalise(List<List<float[]>> clipsOfOneSpeaker) {
        int d = clipsOfOneSpeaker.get(0).get(0).length;
        double[] mean = new double[d];
        double[] sq = new double[d];
        int n = 0;
        for (List<float[]> clip : clipsOfOneSpeaker) {
            for (float[] v : clip) {
                for (int c = 0; c < d; c++) {
                    mean[c] += v[c];
                    sq[c] += v[c] * v[c];
                }
                n++;
            }
        }
        for (int c = 0; c < d; c++) {
            mean[c] /= n;
            sq[c] = Math.sqrt(Math.max(1e-12, sq[c] / n - mean[c] * mean[c]));
        }
        for (List<float[]> clip : clipsOfOneSpeaker) {
            for (float[] v : clip) {
                for (int c = 0; c < d; c++) {
                    v[c] = (float) ((v[c] - mean[c]) / sq[c]);
                }
            }
        }
    }

    /**
     * For every frame of speaker A's sentence X: is its nearest frame among speaker B's readings of
     * X and Y one of B's X? What the converter does (nearest frames of another voice), scored by
     * whether the words agree.
     */
    static double sameSentenceRetrieval(List<float[]> ax, List<float[]> bx, List<float[]> by) {
        int hits = 0;
        for (float[] q : ax) {
            double bestX = nearest(q, bx);
            double bestY = nearest(q, by);
            hits += bestX < bestY ? 1 : 0;
        }
        return hits / (double) ax.size();
    }

    private static double nearest(float[] q, List<float[]> pool) {
        double best = Double.POSITIVE_INFINITY;
        for (float[] v : pool) {
            double d = 0;
            for (int c = 0; c < q.length; c++) {
                double e = q[c] - v[c];
                d += e * e;
            }
            best = Math.min(best, d);
        }
        return best;
    }

    static double[] retrieval(boolean mfcc) throws Exception {
        ContentNet net = ContentModel.shared();
        List<List<List<float[]>>> all = new ArrayList<>();
        for (String s : SPEAKERS) {
            List<List<float[]>> clips = new ArrayList<>();
            for (String u : SENTENCES) {
                clips.add(vectors(Speech.vctk(s, u), net, mfcc));
            }
            normalise(clips);
            all.add(clips);
        }
        List<Double> scores = new ArrayList<>();
        for (int a = 0; a < SPEAKERS.length; a++) {
            for (int b = 0; b < SPEAKERS.length; b++) {
                if (a != b) {
                    for (int x = 0; x < 2; x++) {
                        scores.add(sameSentenceRetrieval(all.get(a).get(x), all.get(b).get(x), all.get(b).get(1 - x)));
                    }
                }
            }
        }
        return scores.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void sameWordsFromAnotherSpeakerLieNearerThanInMfccSpace() throws Exception {
        double[] content = retrieval(false);
        double[] mfcc = retrieval(true);
        double meanContent = java.util.Arrays.stream(content).average().orElseThrow();
        double meanMfcc = java.util.Arrays.stream(mfcc).average().orElseThrow();
        double worstContent = java.util.Arrays.stream(content).min().orElseThrow();
        System.out.printf("nearest frame from the same sentence (24 speaker pairs x sentences; chance about 0.5): content %.3f"
                + " (worst %.3f), MFCC %.3f (worst %.3f)%n", meanContent, worstContent, meanMfcc,
                java.util.Arrays.stream(mfcc).min().orElseThrow());
        assertTrue(meanContent > meanMfcc + 0.03, "content space " + meanContent + " vs MFCC " + meanMfcc);
        assertTrue(meanContent > 0.62, "content space retrieval " + meanContent); // 0.65 measured
        int better = 0;
        for (int i = 0; i < content.length; i++) {
            better += content[i] > mfcc[i] ? 1 : 0;
        }
        assertTrue(better >= content.length * 3 / 4, "content beats MFCC in " + better + " of " + content.length + " cases");
    }

    @Test
    void javaNetworkIsTheOnnxGraphOnRealSpeech() throws Exception {
        Path folder = ModelsFolder.shipped(ContentModel.MODEL_ID);
        ModelPackage pkg = ModelPackage.read(folder);
        ContentNet net = ContentModel.shared();
        float[] x = Speech.vctk("p227", "003");
        FrameAnalysis analysis = new FrameAnalysis(16000);
        int bands = FrameAnalysis.BANDS;
        double[] envelope = new double[FrameAnalysis.GRID];
        float[] history = new float[net.context() * bands];
        float[] java = new float[net.dimensions()];
        double worst = 0;
        double largest = 0;
        int checked = 0;
        for (int at = 0, frame = 0; at + analysis.frameSamples() <= x.length; at += 160, frame++) {
            analysis.analyse(x, at, envelope);
            System.arraycopy(history, bands, history, 0, history.length - bands);
            analysis.logMel(history, history.length - bands);
            if (frame >= net.context() && frame % 37 == 0) {
                net.encoder().encode(history, 0, java);
                float[] onnx = ContentModel.runGraph(folder.resolve("content.onnx"), pkg.bytes(pkg.file("content-encoder")),
                        history.clone(), net.context());
                for (int i = 0; i < java.length; i++) {
                    worst = Math.max(worst, Math.abs(java[i] - onnx[i]));
                    largest = Math.max(largest, Math.abs(onnx[i]));
                }
                checked++;
            }
        }
        assertTrue(checked >= 5, "frames checked: " + checked);
        assertTrue(worst < 1e-3 * largest, "Java vs ONNX Runtime: largest difference " + worst + " (values up to " + largest + ")");
    }

    @Test
    void aPackageWhoseWeightsAreNotItsGraphIsRefused(@TempDir Path dir) throws Exception {
        Path shipped = ModelsFolder.shipped(ContentModel.MODEL_ID);
        for (String f : new String[] {"model.json", "content.onnx", "content.weights"}) {
            Files.copy(shipped.resolve(f), dir.resolve(f));
        }
        byte[] w = Files.readAllBytes(dir.resolve("content.weights"));
        int at = w.length - 4; // the last content value's bias
        int bits = java.nio.ByteBuffer.wrap(w, at, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        java.nio.ByteBuffer.wrap(w, at, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putInt(Float.floatToIntBits(Float.intBitsToFloat(bits) + 5f));
        Files.write(dir.resolve("content.weights"), w);
        String json = Files.readString(dir.resolve("model.json"))
                .replace(ModelPackage.sha256(Files.readAllBytes(shipped.resolve("content.weights"))), ModelPackage.sha256(w));
        Files.writeString(dir.resolve("model.json"), json);
        ModelException e = org.junit.jupiter.api.Assertions.assertThrows(ModelException.class, () -> ContentModel.open(dir));
        assertTrue(e.getMessage().contains("disagrees"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}
