package org.voxmorph.ui;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;
import org.voxmorph.app.LiveSession;
import org.voxmorph.audio.WavWriter;

/**
 * The panel on a real sound server: the private PulseAudio server of tools/start-pulseaudio.sh
 * (the test run exports its PULSE_SERVER), a tone played into the test microphone with paplay,
 * the Java Sound backend. The meters must show what the devices deliver, as the CLI's status
 * line does, and a server that goes away and comes back is said and survived.
 */
@ExtendWith(ApplicationExtension.class)
class ControlPanelPulseAudioTest {
    private static final String MIC_SINK = "voxmorph_test_mic";

    @TempDir
    static Path temp;

    private LiveSession session;
    private ControlPanel panel;
    private Process player;

    @BeforeAll
    static void needsTheServer() throws Exception {
        assumeTrue(System.getenv("PULSE_SERVER") != null, "no private PulseAudio server (eval \"$(tools/start-pulseaudio.sh)\")");
        assumeTrue(run("pactl", "info") == 0, "the PulseAudio server does not answer");
    }

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    @Start
    void start(Stage stage) throws Exception {
        System.setProperty("voxmorph.config", temp.resolve("config").toString());
        Path settings = temp.resolve("panel.json");
        Files.writeString(settings, "{\"backend\":\"javasound\",\"input\":\"pulse:" + MIC_SINK + ".monitor\","
                + "\"output\":\"pulse:voxmorph_test_out\",\"preset\":\"deep\",\"blockMs\":10,\"speaker\":0}",
                StandardCharsets.UTF_8);
        session = new LiveSession();
        panel = new ControlPanel(session, settings, temp.resolve("recordings"));
        stage.setScene(new Scene(panel.root()));
        stage.show();
    }

    @AfterEach
    void stop() throws Exception {
        if (player != null) {
            player.destroy();
            player.waitFor(5, TimeUnit.SECONDS);
        }
        panel.dispose();
        session.close();
        System.clearProperty("voxmorph.config");
    }

    private static void waitUntil(String what, double seconds, BooleanSupplier condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor((long) (seconds * 1000), TimeUnit.MILLISECONDS, condition::getAsBoolean);
        } catch (java.util.concurrent.TimeoutException e) {
            // said below, with what was expected
        }
        assertTrue(condition.getAsBoolean(), what);
    }

    /** A 200 Hz tone at -12 dBFS, 60 s long, played into the test microphone. */
    private void playTone() throws Exception {
        int rate = 48000;
        float[] tone = new float[60 * rate];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.25 * Math.sin(2 * Math.PI * 200 * i / rate));
        }
        Path wav = temp.resolve("tone.wav");
        WavWriter.write16(wav, tone, rate);
        player = new ProcessBuilder("paplay", "--latency-msec=10", "-d", MIC_SINK, wav.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    private void startEngine(FxRobot robot) throws Exception {
        waitUntil("the javasound backend listed", 20,
                () -> "javasound".equals(robot.lookup("#backend").queryComboBox().getValue()));
        playTone();
        robot.clickOn("#startStop");
        waitUntil("engine running: " + robot.lookup("#problem").queryAs(Label.class).getText(), 20, session::isRunning);
    }

    /** Within a few seconds of Start, as the CLI's status line does (PulseAudio may hold new streams ~2 s). */
    @Test
    void metersMoveOnPulseAudio(FxRobot robot) throws Exception {
        startEngine(robot);
        long started = System.nanoTime();
        waitUntil("input meter shows the -12 dBFS tone: " + panel.inputMeter().peakDb(), 5,
                () -> Math.abs(panel.inputMeter().peakDb() + 12) < 1.5);
        waitUntil("output meter moved: " + panel.outputMeter().peakDb(), 5, () -> panel.outputMeter().peakDb() > -30);
        System.out.printf("panel meters moved %.1f s after the engine started%n", (System.nanoTime() - started) / 1e9);
        Label status = robot.lookup("#status").queryAs(Label.class);
        waitUntil("status line running: " + status.getText(), 5, () -> status.getText().startsWith("Latency"));
    }

    /**
     * The same device loss the CLI's live mode survives (LivePulseAudioTest), through the panel: the
     * server goes away for three seconds; the panel says so, and the voice comes back by itself.
     */
    @Test
    void aServerRestartIsShownAndSurvived(FxRobot robot) throws Exception {
        startEngine(robot);
        waitUntil("input meter moved", 5, () -> panel.inputMeter().peakDb() > -20);
        run("pulseaudio", "--kill");
        Label problem = robot.lookup("#problem").queryAs(Label.class);
        waitUntil("the loss is said: " + problem.getText(), 8, () -> problem.getText().contains("reopening when it is back"));
        Thread.sleep(1000);
        assertTrue(run("bash", "tools/start-pulseaudio.sh") == 0, "the server restarts");
        waitUntil("the devices are back: " + session.status().problem(), 15, () -> session.status().problem() == null);
        playTone();
        waitUntil("input meter shows the tone again: " + panel.inputMeter().peakDb(), 10,
                () -> Math.abs(panel.inputMeter().peakDb() + 12) < 1.5);
        assertTrue(session.isRunning());
    }
}
