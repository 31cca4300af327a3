package org.voxmorph.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.scene.Scene;
import javafx.scene.control.ComboBox;
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
import org.voxmorph.chain.VoiceControl;
import org.voxmorph.engine.LiveSettings;

/**
 * The panel's Denoise slider on a real live session (file backend): the microphone is a
 * looping fan-like noise, and the output meter must fall when the slider is turned up. The
 * setting stays through a preset change (it is about the room, not the voice) and is saved.
 */
@ExtendWith(ApplicationExtension.class)
class ControlPanelDenoiseTest {
    private static final int RATE = 16000;

    @TempDir
    static Path temp;

    private LiveSession session;
    private ControlPanel panel;

    @Start
    void start(Stage stage) throws Exception {
        // Low rumble plus a little hiss, like a PC fan, at about -30 dBFS.
        Random rnd = new Random(11);
        float[] fan = new float[4 * RATE];
        double a = Math.exp(-2 * Math.PI * 300.0 / RATE);
        double low = 0;
        for (int i = 0; i < fan.length; i++) {
            double w = rnd.nextGaussian();
            low = a * low + (1 - a) * w;
            fan[i] = (float) (0.03 * (4 * low + 0.3 * w));
        }
        Path wav = temp.resolve("fan.wav");
        WavWriter.write16(wav, fan, RATE);
        System.setProperty(FileBackend.INPUT_PROPERTY, wav.toString());
        System.setProperty("voxmorph.config", temp.resolve("config").toString());
        Path settings = temp.resolve("panel.json");
        Files.writeString(settings, "{\"backend\":\"file\",\"preset\":\"passthrough\",\"blockMs\":10,\"speaker\":0}");
        session = new LiveSession();
        panel = new ControlPanel(session, settings, temp.resolve("recordings"));
        stage.setScene(new Scene(panel.root()));
        stage.show();
    }

    @AfterEach
    void stop() {
        panel.dispose();
        session.close();
        System.clearProperty(FileBackend.INPUT_PROPERTY);
        System.clearProperty("voxmorph.config");
    }

    private static void waitUntil(String what, BooleanSupplier condition) throws Exception {
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, condition::getAsBoolean);
        assertTrue(condition.getAsBoolean(), what);
    }

    /** The output's mean power over {@code seconds} of the engine's own meter readings, in dB. */
    private double outputDb(double seconds) throws InterruptedException {
        double power = 0;
        int n = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            double db = session.status().outputRmsDb();
            power += Math.pow(10, db / 10);
            n++;
            Thread.sleep(20);
        }
        return 10 * Math.log10(power / n);
    }

    private List<String> ids() {
        return session.chain().slots().stream().map(Slot::id).toList();
    }

    @Test
    void noiseSuppressionTakesTheFanDownAndStaysThroughAPresetChange(FxRobot robot) throws Exception {
        waitUntil("the file backend listed", () -> "file".equals(robot.lookup("#backend").queryComboBox().getValue()));
        robot.clickOn("#startStop");
        waitUntil("engine running", session::isRunning);
        Slider denoise = robot.lookup("#denoise").queryAs(Slider.class);
        assertEquals(0, denoise.getValue(), "off in passthrough");
        double off = outputDb(1.5);

        robot.interact(() -> denoise.setValue(20));
        waitUntil("denoise stage added", () -> ids().contains("denoise"));
        Thread.sleep(1500); // the noise tracker settles on the fan
        double on = outputDb(1.5);
        System.out.printf("panel denoise: output %.1f dBFS off, %.1f dBFS at 20 dB%n", off, on);
        assertTrue(off > -40, "the fan reaches the output: " + off);
        assertTrue(on < off - 10, "noise down by more than 10 dB: " + off + " -> " + on);

        @SuppressWarnings("unchecked")
        ComboBox<String> preset = robot.lookup("#preset").queryAs(ComboBox.class);
        robot.interact(() -> preset.setValue("deep"));
        waitUntil("deep chain with denoise running", () -> ids().contains("pitch-shift") && ids().contains("denoise"));
        assertEquals(20, VoiceControl.DENOISE.find(session.chain()).target(), 1e-9);
        assertEquals("denoise", ids().get(0), "noise suppression comes first");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(20, denoise.getValue(), 1e-9, "the slider shows it");

        Thread.sleep(1500);
        double onDeep = outputDb(1.5);
        robot.interact(() -> denoise.setValue(0));
        Thread.sleep(300);
        double offDeep = outputDb(1.5);
        System.out.printf("panel denoise, deep: output %.1f dBFS at 20 dB, %.1f dBFS off%n", onDeep, offDeep);
        assertTrue(offDeep > onDeep + 8, "turned off, the fan comes back: " + onDeep + " -> " + offDeep);

        robot.interact(() -> denoise.setValue(25));
        panel.saveSettings();
        LiveSettings saved = new PanelSettings(temp.resolve("panel.json")).load();
        assertEquals(25, saved.controls().get(VoiceControl.DENOISE), 1e-9);
    }
}
