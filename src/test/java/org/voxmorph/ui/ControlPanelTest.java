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
import org.voxmorph.audio.WavWriter;
import org.voxmorph.audio.file.FileBackend;
import org.voxmorph.chain.Slot;
import org.voxmorph.engine.LiveSettings;
import org.voxmorph.engine.VoiceControl;

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
        Path settings = temp.resolve("panel.json");
        Files.writeString(settings, "{\"backend\":\"file\",\"preset\":\"deep\",\"blockMs\":10,\"speaker\":0}");
        session = new LiveSession();
        panel = new ControlPanel(session, settings, temp);
        stage.setScene(new Scene(panel.root()));
        stage.show();
    }

    @AfterEach
    void stop() {
        panel.dispose();
        session.close();
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
        robot.interact(() -> pitch.setValue(-7.5));
        assertEquals(-7.5, VoiceControl.PITCH.find(session.chain()).target(), 1e-9);
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
        session.loadVoice(new LiveSettings("file", null, null, false, null, false, 10, "deep", "no-such-model", 0, Map.of()));
        Label problem = robot.lookup("#problem").queryAs(Label.class);
        waitUntil("model failure shown", () -> problem.getText().contains("no-such-model")
                && problem.getText().contains("passing audio through"));
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
