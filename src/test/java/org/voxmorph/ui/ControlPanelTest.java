package org.voxmorph.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;
import org.voxmorph.app.LiveSession;
import org.voxmorph.audio.MonoAudio;
import org.voxmorph.audio.WavReader;
import org.voxmorph.audio.WavWriter;
import org.voxmorph.audio.file.FileBackend;
import org.voxmorph.chain.Slot;
import org.voxmorph.engine.LiveSettings;
import org.voxmorph.chain.VoiceControl;

/** The panel driving a real live session on the file backend: a looping 220 Hz tone as the microphone. */
@ExtendWith(ApplicationExtension.class)
class ControlPanelTest {
    @TempDir
    static Path temp;

    private LiveSession session;
    private ControlPanel panel;

    @Start
    void start(Stage stage) throws Exception {
        float[] tone = new float[16000];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.25 * Math.sin(2 * Math.PI * 220 * i / 16000.0)); // -12 dBFS
        }
        Path wav = temp.resolve("tone.wav");
        WavWriter.write16(wav, tone, 16000);
        System.setProperty(FileBackend.INPUT_PROPERTY, wav.toString());
        System.setProperty("voxmorph.config", temp.resolve("config").toString());
        Path settings = temp.resolve("panel.json");
        Files.writeString(settings, "{\"backend\":\"file\",\"preset\":\"deep\",\"blockMs\":10,\"speaker\":0}");
        session = new LiveSession();
        panel = new ControlPanel(session, settings, temp.resolve("recordings"));
        stage.setScene(new Scene(panel.root()));
        stage.show();
    }

    @AfterEach
    void stop() {
        panel.dispose();
        session.close();
        // Other test classes must not find a working backend on a machine without sound.
        System.clearProperty(FileBackend.INPUT_PROPERTY);
        System.clearProperty("voxmorph.config");
    }

    private static void waitUntil(String what, BooleanSupplier condition) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, condition::getAsBoolean);
        assertTrue(condition.getAsBoolean(), what);
    }

    private void startEngine(FxRobot robot) throws Exception {
        waitUntil("the file backend listed", () -> "file".equals(robot.lookup("#backend").queryComboBox().getValue()));
        robot.clickOn("#startStop");
        waitUntil("engine running", session::isRunning);
    }

    @Test
    void startAndStopDriveTheEngine(FxRobot robot) throws Exception {
        assertFalse(session.isRunning());
        startEngine(robot);
        waitUntil("button says Stop", () -> "Stop".equals(robot.lookup("#startStop").queryButton().getText()));
        robot.clickOn("#startStop");
        waitUntil("engine stopped", () -> !session.isRunning());
    }

    @Test
    void pitchSliderSetsTheParameterTheEngineRuns(FxRobot robot) throws Exception {
        startEngine(robot);
        Slider pitch = robot.lookup("#pitch").queryAs(Slider.class);
        waitUntil("deep preset's pitch shown", () -> pitch.getValue() == -4);
        robot.clickOn(pitch); // the track's middle: the thumb jumps towards 0 st
        robot.type(KeyCode.RIGHT, 3);
        assertTrue(pitch.getValue() > -4, "slider moved: " + pitch.getValue());
        assertEquals(pitch.getValue(), VoiceControl.PITCH.find(session.chain()).target(), 1e-9);
    }

    @Test
    void pitchOnAPresetWithoutAShifterAddsOne(FxRobot robot) throws Exception {
        @SuppressWarnings("unchecked")
        ComboBox<String> preset = robot.lookup("#preset").queryAs(ComboBox.class);
        startEngine(robot);
        robot.interact(() -> preset.setValue("passthrough"));
        waitUntil("passthrough running", () -> ids().isEmpty());
        Slider pitch = robot.lookup("#pitch").queryAs(Slider.class);
        robot.interact(() -> pitch.setValue(5));
        waitUntil("pitch-shift stage added", () -> ids().contains("pitch-shift"));
        assertEquals(5, VoiceControl.PITCH.find(session.chain()).target(), 1e-9);
    }

    @Test
    void theBKeyTogglesBypass(FxRobot robot) throws Exception {
        startEngine(robot);
        robot.type(KeyCode.B);
        assertTrue(session.chain().slots().stream().allMatch(Slot::isBypassed));
        robot.type(KeyCode.B);
        assertTrue(session.chain().slots().stream().noneMatch(Slot::isBypassed));
    }

    @Test
    void recordWritesTheConvertedOutput(FxRobot robot) throws Exception {
        Path folder = temp.resolve("recordings");
        startEngine(robot);
        robot.clickOn("#record");
        waitUntil("recording", () -> session.status().recordingSeconds() > 1.0);
        robot.clickOn("#record");
        waitUntil("written", () -> Files.isDirectory(folder) && list(folder).size() == 1);
        MonoAudio out = WavReader.read(list(folder).get(0));
        assertTrue(out.seconds() > 0.8, "seconds recorded: " + out.seconds());
        float peak = 0;
        for (float v : out.samples()) {
            peak = Math.max(peak, Math.abs(v));
        }
        assertTrue(peak > 0.1, "the tone is in the recording: peak " + peak);
    }

    private static List<Path> list(Path folder) {
        try (var files = Files.list(folder)) {
            return files.toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void startSavesTheSettingsForNextTime(FxRobot robot) throws Exception {
        startEngine(robot);
        LiveSettings saved = new PanelSettings(temp.resolve("panel.json")).load();
        assertEquals("file", saved.backend());
        assertEquals("deep", saved.preset());
    }

    @Test
    void choosingAPresetSwitchesTheRunningChain(FxRobot robot) throws Exception {
        startEngine(robot);
        @SuppressWarnings("unchecked")
        ComboBox<String> preset = robot.lookup("#preset").queryAs(ComboBox.class);
        robot.interact(() -> preset.setValue("robot"));
        List<String> robotChain = List.of("high-pass", "noise-gate", "ring-mod", "comb", "gain", "watermark", "limiter");
        waitUntil("robot chain running", () -> ids().equals(robotChain));
        assertTrue(session.isRunning());
    }

    private List<String> ids() {
        return session.chain().slots().stream().map(Slot::id).toList();
    }

    @Test
    void anEngineErrorShowsInTheStatusArea(FxRobot robot) throws Exception {
        startEngine(robot);
        session.loadVoice(new LiveSettings("file", null, null, false, null, false, 10, "deep", "no-such-model", 0, null, Map.of()));
        Label problem = robot.lookup("#problem").queryAs(Label.class);
        waitUntil("model failure shown", () -> problem.getText().contains("no-such-model")
                && problem.getText().contains("silent instead"));
    }

    @Test
    void metersFollowTheTestTone(FxRobot robot) throws Exception {
        assertEquals(LevelMeterView.FLOOR_DB, panel.inputMeter().peakDb());
        startEngine(robot);
        // A 0.25 sine peaks at -12 dBFS; the deep preset's shifter keeps it near that.
        waitUntil("input meter moved", () -> Math.abs(panel.inputMeter().peakDb() + 12) < 1);
        waitUntil("output meter moved", () -> panel.outputMeter().peakDb() > -30);
        assertTrue(panel.inputMeter().rmsDb() < panel.inputMeter().peakDb());
    }
}
