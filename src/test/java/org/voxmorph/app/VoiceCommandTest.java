package org.voxmorph.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxmorph.audio.WavWriter;
import org.voxmorph.dsp.NsdfPitch;
import org.voxmorph.dsp.Speech;

/** voice enroll/list/show/delete, --voice on convert, refusals, and complete erasure. */
class VoiceCommandTest {
    static final String[] ENROLL = {"008", "011", "016", "019", "021", "022", "023", "024"};
    static final String CONSENT = "I, the p228 reader, consent to my voice being used in this test";

    @TempDir
    Path dir;

    static List<String> clips(String speaker) {
        List<String> paths = new ArrayList<>();
        for (String u : ENROLL) {
            paths.add(Speech.ROOT.resolve("vctk_" + speaker).resolve(speaker + "_" + u + ".wav").toString());
        }
        return paths;
    }

    static String[] args(List<String> head, String... tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(Arrays.asList(tail));
        return all.toArray(String[]::new);
    }

    private static double medianF0(float[] x) {
        NsdfPitch tracker = new NsdfPitch(16000);
        List<Double> f0 = new ArrayList<>();
        for (int s = 0; s + 1024 <= x.length; s += 160) {
            double hz = tracker.pitchHz(x, s, 1024);
            if (hz >= 50 && hz <= 500) {
                f0.add(hz);
            }
        }
        f0.sort(null);
        return f0.get(f0.size() / 2);
    }

    private static List<Path> filesUnder(Path root) throws Exception {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void embedPrintsTheSpeakerEncodersVectorAndRefusesAMissingFile() throws Exception {
        CliTest.Run r = CliTest.run("voice", "embed", "--json", clips("p228").get(0));
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertTrue(j.path("kind").asText().startsWith("voxmorph-speaker@"), r.out());
        assertEquals(256, j.path("files").get(0).path("embedding").size(), r.out());
        Path missing = dir.resolve("missing.wav");
        r = CliTest.run("voice", "embed", missing.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains(missing.toString()) && r.err().lines().count() == 1, r.err());
        // The encoder is a model package but not a voice: convert refuses it with one line.
        String previous = System.getProperty("voxmorph.models");
        System.setProperty("voxmorph.models", "models"); // the shipped models (other tests point elsewhere)
        try {
            r = CliTest.run("convert", clips("p228").get(0), dir.resolve("out.wav").toString(), "--model", "voxmorph-speaker");
        } finally {
            if (previous == null) {
                System.clearProperty("voxmorph.models");
            } else {
                System.setProperty("voxmorph.models", previous);
            }
        }
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("is a speaker encoder, not a voice"), r.err());
        assertFalse(Files.exists(dir.resolve("out.wav")));
    }

    @Test
    void enrollListShowConvertAndDeleteLeavesNothingBehind() throws Exception {
        Path voices = dir.resolve("voices");
        List<String> enroll = new ArrayList<>(List.of("voice", "enroll"));
        enroll.addAll(clips("p228"));
        CliTest.Run r = CliTest.run(args(enroll, "--name", "robin", "--consent-text", CONSENT, "--voices-dir", voices.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("enrolled robin:"), r.out());
        // The profile and the frames the converter matches against (erased together by delete).
        assertEquals(List.of(voices.resolve("robin.frames"), voices.resolve("robin.voice.json")), filesUnder(voices));
        String json = Files.readString(voices.resolve("robin.voice.json"));
        assertTrue(json.contains(CONSENT) && json.contains("\"sha256\"") && json.contains("\"date\""), json);

        r = CliTest.run("voice", "list", "--voices-dir", voices.toString());
        assertTrue(r.out().startsWith("robin "), r.out());
        r = CliTest.run("voice", "show", "robin", "--voices-dir", voices.toString());
        assertTrue(r.out().contains("p228_008.wav") && r.out().contains("typed: \"" + CONSENT), r.out());
        assertTrue(r.out().contains("embedding  voxmorph-speaker@") && r.out().contains("256 values, norm 1.000"), r.out());

        // A male source converted toward the enrolled female voice lands near her pitch.
        Path out = dir.resolve("converted.wav");
        String source = Speech.ROOT.resolve("vctk_p227/p227_003.wav").toString();
        r = CliTest.run("convert", source, out.toString(), "--voice", "robin", "--voices-dir", voices.toString());
        assertEquals(0, r.code(), r.err());
        double before = medianF0(Speech.readWav(Path.of(source)));
        double after = medianF0(Speech.readWav(out));
        assertTrue(after > 1.4 * before, "median F0 " + before + " Hz became " + after + " Hz");

        List<Path> everything = filesUnder(dir);
        r = CliTest.run("voice", "delete", "robin", "--voices-dir", voices.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of(), filesUnder(voices), "files of the deleted voice remain");
        List<Path> left = new ArrayList<>(everything);
        left.remove(voices.resolve("robin.voice.json"));
        left.remove(voices.resolve("robin.frames"));
        assertEquals(left, filesUnder(dir), "only the voice's own files should have gone, and nothing else was written");
        r = CliTest.run("convert", source, out.toString(), "--voice", "robin", "--voices-dir", voices.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no voice named 'robin'"), r.err());
    }

    /** A damaged or hostile profile in the voices folder: one line naming it, exit 2, for show and convert alike. */
    @Test
    void damagedProfilesAreRefusedInOneLine() throws Exception {
        Path voices = Files.createDirectories(dir.resolve("voices"));
        String source = Speech.ROOT.resolve("vctk_p227/p227_003.wav").toString();
        String[][] cases = {
            {"huge", "{\"version\": 2, \"pad\": \"" + "x".repeat(2 << 20) + "\"}", "too big for a voice profile"},
            {"deep", "[".repeat(100_000), "not valid JSON"},
            {"typed", "{\"version\": \"two\", \"pitch\": []}", "not a readable voice profile (version has the wrong type or shape)"},
            {"empty", "", "not a version"},
        };
        for (String[] c : cases) {
            Path f = voices.resolve(c[0] + ".voice.json");
            Files.writeString(f, c[1]);
            for (String[] cmd : new String[][] {{"voice", "show", c[0]},
                    {"convert", source, dir.resolve("out.wav").toString(), "--voice", c[0]}}) {
                CliTest.Run r = CliTest.run(args(List.of(cmd), "--voices-dir", voices.toString()));
                assertEquals(2, r.code(), c[0] + " " + cmd[0] + ": " + r.out() + r.err());
                assertEquals(1, r.err().strip().lines().count(), r.err());
                assertTrue(r.err().contains(f.toString()) && r.err().contains(c[2]), c[0] + ": " + r.err());
            }
            assertFalse(Files.exists(dir.resolve("out.wav")));
        }
    }

    /** Enrolls one prepared clip (plus enough good speech) and expects a refusal naming it. */
    private void refused(float[] bad, String expected) throws Exception {
        Path clip = dir.resolve("bad.wav");
        WavWriter.write16(clip, bad, 16000);
        Path voices = dir.resolve("voices");
        List<String> enroll = new ArrayList<>(List.of("voice", "enroll", clip.toString()));
        enroll.addAll(clips("p225"));
        CliTest.Run r = CliTest.run(args(enroll, "--name", "x", "--consent-text", CONSENT, "--voices-dir", voices.toString()));
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().startsWith("voxmorph: ") && r.err().contains(expected), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(voices.resolve("x.voice.json")));
    }

    @Test
    void silenceClippingAndNoiseAreRefusedOneLineEach() throws Exception {
        float[] speech = Speech.vctk("p225", "003");
        refused(new float[16000 * 5], "bad.wav: silent");
        float[] clipped = speech.clone();
        for (int i = 0; i < clipped.length; i++) {
            clipped[i] = Math.max(-1, Math.min(1, clipped[i] * 12));
        }
        refused(clipped, "bad.wav: clipped");
        float[] noisy = speech.clone();
        Random random = new Random(1);
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += (float) (0.05 * random.nextGaussian()); // about 9 dB SNR
        }
        refused(noisy, "bad.wav: too noisy");
    }

    @Test
    void tooLittleSpeechIsRefused() throws Exception {
        Path excerpt = dir.resolve("excerpt.wav");
        WavWriter.write16(excerpt, Arrays.copyOfRange(Speech.vctk("p225", "008"), 8000, 8000 + 3 * 16000), 16000);
        CliTest.Run r = CliTest.run("voice", "enroll", excerpt.toString(), "--name", "short", "--consent-text", CONSENT,
                "--voices-dir", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("too little speech: 3.0 s in all"), r.err());
        assertFalse(Files.exists(dir.resolve("short.voice.json")));
    }

    @Test
    void consentIsRequiredAndMustBeReal() throws Exception {
        List<String> enroll = new ArrayList<>(List.of("voice", "enroll"));
        enroll.addAll(clips("p225"));
        CliTest.Run r = CliTest.run(args(enroll, "--name", "a", "--voices-dir", dir.toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--consent-audio") && r.err().contains("--consent-text"), r.err());
        r = CliTest.run(args(enroll, "--name", "a", "--consent-text", "ok fine", "--voices-dir", dir.toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--consent-text must be a statement"), r.err());
        Path quiet = dir.resolve("consent.wav");
        WavWriter.write16(quiet, new float[16000 * 3], 16000);
        r = CliTest.run(args(enroll, "--name", "a", "--consent-audio", quiet.toString(), "--voices-dir", dir.toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no speech heard in the consent clip"), r.err());
        assertEquals(List.of(quiet), filesUnder(dir));

        String consentClip = Speech.ROOT.resolve("vctk_p225/p225_003.wav").toString();
        r = CliTest.run(args(enroll, "--name", "a", "--consent-audio", consentClip, "--voices-dir", dir.toString()));
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(dir.resolve("a.voice.json")).contains("\"kind\" : \"audio\""));
    }
}
