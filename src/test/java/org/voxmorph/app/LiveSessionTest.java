package org.voxmorph.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxmorph.audio.WavWriter;
import org.voxmorph.audio.file.FileBackend;
import org.voxmorph.chain.Slot;
import org.voxmorph.engine.ControlException;
import org.voxmorph.engine.LiveControl;
import org.voxmorph.engine.LiveSettings;
import org.voxmorph.chain.VoiceControl;

/** The controller behind the panel, on the file backend. */
class LiveSessionTest {
    @TempDir
    Path temp;

    @BeforeEach
    void useTempFolders() throws Exception {
        System.setProperty("voxmorph.config", temp.resolve("config").toString());
        float[] tone = new float[8000];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.3 * Math.sin(2 * Math.PI * 180 * i / 16000.0));
        }
        Path wav = temp.resolve("tone.wav");
        WavWriter.write16(wav, tone, 16000);
        System.setProperty(FileBackend.INPUT_PROPERTY, wav.toString());
    }

    @AfterEach
    void clear() {
        System.clearProperty("voxmorph.config");
        System.clearProperty(FileBackend.INPUT_PROPERTY);
    }

    private static LiveSettings deep() {
        return new LiveSettings("file", null, null, false, null, false, 10, "deep", null, 0, null, Map.of());
    }

    @Test
    void aSavedPresetKeepsTheValuesAndTheCliFindsIt() throws Exception {
        try (LiveSession s = new LiveSession()) {
            s.loadVoice(deep());
            s.setControl(VoiceControl.PITCH, -9);
            s.setControl(VoiceControl.FORMANT, 0.8);
            Path file = s.saveAsPreset("low test");
            assertEquals(temp.resolve("config/presets/low test.json"), file);
            assertTrue(s.presets().contains("low test"));
        }
        VoiceOptions cli = new VoiceOptions();
        cli.preset = "low test";
        cli.noWatermark = true;
        var chain = cli.buildChain();
        assertEquals(List.of("high-pass", "noise-gate", "pitch-shift", "limiter"),
                chain.slots().stream().map(Slot::id).toList());
        assertEquals(-9, VoiceControl.PITCH.find(chain).target(), 1e-9);
        assertEquals(0.8, VoiceControl.FORMANT.find(chain).target(), 1e-9);
    }

    @Test
    void aControlLeavingNeutralAddsItsStageButStrengthAloneDoesNot() throws Exception {
        try (LiveSession s = new LiveSession()) {
            s.loadVoice(deep().withPreset("passthrough"));
            s.setControl(VoiceControl.STRENGTH, 0.5);
            s.setControl(VoiceControl.GATE, -40);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (VoiceControl.GATE.find(s.chain()) == null && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(List.of("noise-gate", "watermark", "limiter"), s.chain().slots().stream().map(Slot::id).toList(),
                    "a gate, no voice stage (strength needs a target voice), the safety limiter");
            assertEquals(-40, VoiceControl.GATE.find(s.chain()).target(), 1e-9);
        }
    }

    @Test
    void oddPresetNamesAreRefusedInPlainWords() throws Exception {
        try (LiveSession s = new LiveSession()) {
            ControlException e = assertThrows(ControlException.class, () -> s.saveAsPreset("../evil"));
            assertTrue(e.getMessage().contains("letters, digits"), e.getMessage());
        }
    }

    @Test
    void startingWithAMissingPresetSaysWhich() throws Exception {
        try (LiveSession s = new LiveSession()) {
            ControlException e = assertThrows(ControlException.class, () -> s.start(deep().withPreset("nope")));
            assertTrue(e.getMessage().contains("unknown preset 'nope'"), e.getMessage());
            assertTrue(!s.isRunning());
        }
    }

    @Test
    void theStatusReportsLevelsLatencyAndPitch() throws Exception {
        try (LiveSession s = new LiveSession()) {
            s.start(deep());
            Thread.sleep(700);
            var st = s.status();
            assertTrue(st.running());
            assertEquals(-10.5, st.inputPeakDb(), 0.5, "0.3 peak is -10.5 dBFS");
            assertTrue(st.inputRmsDb() < st.inputPeakDb());
            assertEquals(180, st.inputPitchHz(), 3, "the tone's pitch");
            // deep: 4 semitones down
            assertEquals(180 * Math.pow(2, -4 / 12.0), st.outputPitchHz(), 4);
            assertTrue(st.algorithmicLatencyMs() > 5, "the shifter's delay counts: " + st.algorithmicLatencyMs());
            assertTrue(st.deviceLatencyMs() >= 10, "at least a block: " + st.deviceLatencyMs());
            s.stop();
            assertTrue(!s.status().running());
        }
    }

    /** What the panel offers without a sound device: the voice over the bundled speech clip. */
    @Test
    void theDemoBackendRunsTheVoiceOverTheBundledClip() throws Exception {
        System.clearProperty(FileBackend.INPUT_PROPERTY);
        try (LiveSession s = new LiveSession()) {
            s.start(new LiveSettings(LiveControl.DEMO_BACKEND, null, null, false, null, false, 10, "deep", null, 0, null,
                    Map.of()));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while ((s.status().inputPitchHz() == 0 || s.status().outputPitchHz() == 0) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            var st = s.status();
            assertTrue(st.running() && st.inputPeakDb() > -40, "the clip's speech is the input: " + st);
            assertTrue(st.inputPitchHz() > 60 && st.outputPitchHz() > 0, "voiced speech in and out: " + st);
        }
    }
}
