package org.voxmorph.voice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxmorph.dsp.Speech;
import org.voxmorph.model.ModelException;

/**
 * The shipped speaker encoder on real speech it never trained on (VCTK is not in its corpus):
 * Java reproduces the training script's embedding, voices separate, and profiles keep it.
 */
class SpeakerEncoderTest {
    static final String[] SPEAKERS = {"p225", "p226", "p227", "p228"};
    static final Path MODEL = SpeakerEncoder.folder();

    @TempDir
    Path dir;

    /** A VCTK speaker's 10 utterances, sorted by name. */
    private static List<Path> utterances(String speaker) throws Exception {
        try (var files = Files.list(Speech.ROOT.resolve("vctk_" + speaker))) {
            List<Path> wavs = files.filter(f -> f.toString().endsWith(".wav")).sorted().toList();
            assertEquals(10, wavs.size());
            return wavs;
        }
    }

    private static float[] vctk(String speaker, int index) throws Exception {
        return Speech.readWav(utterances(speaker).get(index));
    }

    @Test
    void javaComputesTheEmbeddingTheTrainingScriptComputed() throws Exception {
        JsonNode check = new ObjectMapper().readTree(MODEL.resolve("model.json").toFile()).path("selfCheck");
        float[] expected = new float[check.path("embedding").size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (float) check.path("embedding").get(i).asDouble();
        }
        float[] got = SpeakerEncoder.shared().embed(Speech.readWav(Speech.ROOT.resolve(check.path("clip").asText())));
        assertEquals(256, expected.length);
        assertArrayEquals(expected, got, 2e-4f, "front end or graph differs from tools/train/speaker_encoder.py");
    }

    @Test
    void thirtySecondsOfSpeechGiveOneUnitLengthVector() throws Exception {
        List<float[]> clips = new ArrayList<>();
        int samples = 0;
        for (Path u : utterances("p226")) {
            float[] x = Speech.readWav(u);
            clips.add(x);
            samples += x.length;
        }
        float[] all = new float[30 * SpeakerEncoder.RATE];
        int at = 0;
        for (float[] x : clips) {
            int n = Math.min(x.length, all.length - at);
            System.arraycopy(x, 0, all, at, n);
            at += n;
        }
        assertTrue(samples >= all.length, "VCTK p226 has 30 s");
        float[] e = SpeakerEncoder.shared().embed(all);
        assertEquals(256, e.length);
        double norm = 0;
        for (float v : e) {
            assertTrue(Float.isFinite(v));
            norm += v * v;
        }
        assertEquals(1.0, Math.sqrt(norm), 1e-4);
        // Another 30 s of the same speaker is close; quiet audio around it changes little (silence is dropped).
        float[] padded = new float[all.length + 2 * SpeakerEncoder.RATE];
        System.arraycopy(all, 0, padded, SpeakerEncoder.RATE, all.length);
        assertTrue(SpeakerEncoder.cosine(e, SpeakerEncoder.shared().embed(padded)) > 0.99);
    }

    @Test
    void sameSpeakerScoresAboveOtherSpeakersOnHeldOutVctk() throws Exception {
        SpeakerEncoder enc = SpeakerEncoder.shared();
        float[][] models = new float[SPEAKERS.length][];
        for (int s = 0; s < SPEAKERS.length; s++) {
            List<float[]> enroll = new ArrayList<>();
            for (int u = 0; u < 5; u++) {
                enroll.add(vctk(SPEAKERS[s], u));
            }
            models[s] = enc.embed(enroll);
        }
        int correct = 0;
        double same = 0;
        double different = 0;
        StringBuilder log = new StringBuilder();
        for (int s = 0; s < SPEAKERS.length; s++) {
            for (int u = 5; u < 10; u++) {
                float[] e = enc.embed(vctk(SPEAKERS[s], u));
                int best = 0;
                for (int m = 0; m < SPEAKERS.length; m++) {
                    double c = SpeakerEncoder.cosine(e, models[m]);
                    if (m == s) {
                        same += c / 5;
                    } else {
                        different += c / 15;
                    }
                    best = c > SpeakerEncoder.cosine(e, models[best]) ? m : best;
                }
                correct += best == s ? 1 : 0;
                log.append(utterances(SPEAKERS[s]).get(u).getFileName()).append("->").append(SPEAKERS[best]).append(' ');
            }
        }
        same /= SPEAKERS.length;
        different /= SPEAKERS.length;
        assertTrue(same > different + 0.3, String.format("mean cosine same %.3f, different %.3f", same, different));
        assertTrue(correct >= 18, correct + " of 20 identified: " + log);
    }

    @Test
    void profileKeepsTheEmbeddingAndDeleteErasesIt() throws Exception {
        List<Path> clips = new ArrayList<>();
        for (int u = 0; u < 5; u++) {
            clips.add(utterances("p227").get(u));
        }
        VoiceStore store = new VoiceStore(dir);
        VoiceProfile made = Enrollment.enroll("robin", clips, ConsentRecord.ofText("I, the p227 reader, consent to this test"));
        store.save(made);
        VoiceProfile loaded = store.load("robin");
        assertEquals(SpeakerEncoder.shared().kind(), loaded.embedding().kind());
        assertTrue(loaded.embedding().kind().startsWith("voxmorph-speaker@"));
        assertArrayEquals(made.embedding().values(), loaded.embedding().values());
        assertEquals(256, loaded.embedding().values().length);
        float[] stored = new float[256];
        for (int i = 0; i < 256; i++) {
            stored[i] = (float) loaded.embedding().values()[i];
        }
        float[] own = SpeakerEncoder.shared().embed(vctk("p227", 9));
        float[] other = SpeakerEncoder.shared().embed(vctk("p226", 9));
        assertTrue(SpeakerEncoder.cosine(stored, own) > SpeakerEncoder.cosine(stored, other),
                "the stored embedding is p227's, not p226's");
        assertEquals(1, store.delete("robin"));
        assertFalse(store.exists("robin"));
        try (var left = Files.list(dir)) {
            assertEquals(0, left.count(), "erasure leaves nothing");
        }
    }

    @Test
    void aChangedGraphIsRefused() throws Exception {
        Path copy = dir.resolve(SpeakerEncoder.MODEL_ID);
        Files.createDirectories(copy);
        Files.copy(MODEL.resolve("model.json"), copy.resolve("model.json"));
        byte[] graph = Files.readAllBytes(MODEL.resolve("encoder.onnx"));
        graph[graph.length / 2] ^= 1;
        Files.write(copy.resolve("encoder.onnx"), graph);
        ModelException e = assertThrows(ModelException.class, () -> new SpeakerEncoder(copy));
        assertTrue(e.getMessage().contains("sha256"), e.getMessage());
    }
}
