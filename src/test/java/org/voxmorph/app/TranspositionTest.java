package org.voxmorph.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxmorph.audio.file.FileBackend;
import org.voxmorph.chain.Slot;
import org.voxmorph.chain.VoiceControl;
import org.voxmorph.dsp.Measure;
import org.voxmorph.dsp.NsdfPitch;
import org.voxmorph.dsp.Speech;
import org.voxmorph.engine.LiveSettings;

/**
 * A transposition lands on the output pitch: {@code --pitch 4} (and the panel's pitch control at
 * +4) moves the output's median pitch by 4 semitones against the same voice without it, also
 * where the voice itself sets the pitch (a neural model, the anonymizer), in convert and through
 * the panel's control API. Pitch is measured with the test-side NSDF tracker, not the YIN the
 * shifter uses, on a VCTK speaker nothing was trained on.
 */
class TranspositionTest {
    private static final Path SPEECH = Path.of("../shared/speech/vctk_p226/p226_003.wav");
    private static final double TOLERANCE_ST = 0.3;

    private static String previousModels;

    @TempDir
    Path dir;

    /** The shipped model, whatever fixture folder a test before this one pointed the models at. */
    @BeforeAll
    static void useShippedModels() {
        previousModels = System.getProperty("voxmorph.models");
        System.setProperty("voxmorph.models", "models");
    }

    @AfterAll
    static void restoreModels() {
        if (previousModels == null) {
            System.clearProperty("voxmorph.models");
        } else {
            System.setProperty("voxmorph.models", previousModels);
        }
    }

    @AfterEach
    void clear() {
        System.clearProperty("voxmorph.config");
        System.clearProperty(FileBackend.INPUT_PROPERTY);
    }

    /** Median pitch of the output's voiced 64 ms frames, past the first second (models adapt, devices settle). */
    static double medianPitch(float[] y, int rate) {
        NsdfPitch tracker = new NsdfPitch(rate);
        int frame = (int) (0.064 * rate);
        int hop = rate / 100;
        List<Double> pitches = new ArrayList<>();
        for (int i = rate; i + frame <= y.length; i += hop) {
            double energy = 0;
            for (int k = i; k < i + frame; k++) {
                energy += y[k] * y[k];
            }
            if (Math.sqrt(energy / frame) < 0.01) {
                continue;
            }
            double hz = tracker.pitchHz(y, i, frame);
            if (hz > 50 && hz < 600) {
                pitches.add(hz);
            }
        }
        assertTrue(pitches.size() > 50, "voiced frames: " + pitches.size());
        return Measure.median(pitches);
    }

    private static double semitones(double fromHz, double toHz) {
        double st = 12 * Math.log(toHz / fromHz) / Math.log(2);
        System.out.printf("transposition: %.1f Hz -> %.1f Hz = %+.2f st%n", fromHz, toHz, st);
        return st;
    }

    private double convertedPitch(String... voice) throws Exception {
        Path out = dir.resolve("out" + System.nanoTime() + ".wav");
        List<String> args = new ArrayList<>(List.of("convert", SPEECH.toString(), out.toString(), "--no-watermark"));
        args.addAll(List.of(voice));
        CliTest.Run r = CliTest.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        return medianPitch(Speech.readWav(out), 16000);
    }

    @Test
    void pitchFourMovesAModelsOutputByFourSemitonesInConvert() throws Exception {
        double plain = convertedPitch("--model", "voxmorph-voices");
        double up = convertedPitch("--model", "voxmorph-voices", "--pitch", "4");
        assertEquals(4, semitones(plain, up), TOLERANCE_ST, plain + " Hz -> " + up + " Hz");
    }

    @Test
    void pitchFourMovesADspVoiceByFourSemitonesInConvert() throws Exception {
        double plain = convertedPitch("--preset", "anonymize");
        double up = convertedPitch("--preset", "anonymize", "--pitch", "4");
        assertEquals(4, semitones(plain, up), TOLERANCE_ST, plain + " Hz -> " + up + " Hz");
    }

    /** The panel's controller, on the file backend looping the same speech, recorded as the panel records. */
    private double panelPitch(String preset, String model, double pitch) throws Exception {
        System.setProperty("voxmorph.config", dir.resolve("config").toString());
        System.setProperty(FileBackend.INPUT_PROPERTY, SPEECH.toString());
        LiveSettings s = new LiveSettings("file", null, null, false, null, false, 10, preset, model, 0, null, Map.of());
        try (LiveSession session = new LiveSession()) {
            session.start(s);
            if (pitch != 0) {
                session.setControl(VoiceControl.PITCH, pitch);
                long deadline = System.nanoTime() + 20_000_000_000L;
                while (VoiceControl.PITCH.find(session.chain()) == null && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                // The voice stage transposes its own output: no shifter (and its delay) is added.
                List<String> ids = session.chain().slots().stream().map(Slot::id).toList();
                Slot voice = session.chain().slots().stream()
                        .filter(v -> v.id().equals("model") || v.id().equals("anonymize")).findFirst().orElseThrow();
                assertTrue(!ids.contains("pitch-shift") && VoiceControl.PITCH.find(session.chain())
                        == voice.processor().parameters().get("pitch"), "the voice stage takes the pitch: " + ids);
            }
            Path folder = java.nio.file.Files.createDirectories(dir.resolve("rec" + System.nanoTime()));
            session.startRecording(folder, false);
            Thread.sleep(6500);
            List<Path> files = session.stopRecording();
            return medianPitch(Speech.readWav(files.get(0)), 16000);
        }
    }

    @Test
    void thePanelsPitchControlMovesTheOutputByFourSemitonesToo() throws Exception {
        double modelPlain = panelPitch("passthrough", "voxmorph-voices", 0);
        double modelUp = panelPitch("passthrough", "voxmorph-voices", 4);
        assertEquals(4, semitones(modelPlain, modelUp), TOLERANCE_ST, "model: " + modelPlain + " Hz -> " + modelUp + " Hz");
        double dspPlain = panelPitch("anonymize", null, 0);
        double dspUp = panelPitch("anonymize", null, 4);
        assertEquals(4, semitones(dspPlain, dspUp), TOLERANCE_ST, "anonymize: " + dspPlain + " Hz -> " + dspUp + " Hz");
    }
}
