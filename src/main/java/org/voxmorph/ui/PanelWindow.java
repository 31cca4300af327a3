package org.voxmorph.ui;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.voxmorph.engine.LiveControl;

/**
 * Opens the control panel and returns when its window is closed. JavaFX is started with
 * {@link Platform#startup} rather than an {@code Application} subclass, so it runs from a plain
 * classpath ({@code java -jar}) without the module path.
 */
public final class PanelWindow {
    private PanelWindow() {}

    public static void show(LiveControl control, Path settingsFile, Path recordings) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Platform.setImplicitExit(false);
        Platform.startup(() -> {
            ControlPanel panel = new ControlPanel(control, settingsFile, recordings);
            Stage stage = new Stage();
            stage.setTitle("Voxmorph");
            stage.setScene(new Scene(panel.root()));
            stage.setOnHidden(e -> {
                panel.saveSettings();
                panel.dispose();
                closed.countDown();
            });
            stage.show();
        });
        closed.await();
        Platform.exit();
    }

    /** Whether a window can be shown: a display on Linux and the BSDs; Windows and macOS always have one. */
    public static boolean displayAvailable() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        if (os.startsWith("windows") || os.startsWith("mac")) {
            return true;
        }
        return notBlank(System.getenv("DISPLAY")) || notBlank(System.getenv("WAYLAND_DISPLAY"));
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
