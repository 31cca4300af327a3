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
    /**
     * Held so it is not collected: quiets JavaFX's start-up warning that it runs from the classpath
     * rather than the module path, which is how we run it on purpose.
     */
    private static final java.util.logging.Logger JAVAFX_LOG = java.util.logging.Logger.getLogger("javafx");

    private PanelWindow() {}

    /** JavaFX could not start here (no usable display, graphics libraries missing): one line saying why. */
    public static final class CannotOpen extends Exception {
        CannotOpen(String why) {
            super(why);
        }
    }

    public static void show(LiveControl control, Path settingsFile, Path recordings)
            throws InterruptedException, CannotOpen {
        CountDownLatch closed = new CountDownLatch(1);
        Platform.setImplicitExit(false);
        JAVAFX_LOG.setLevel(java.util.logging.Level.SEVERE);
        try {
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
        } catch (RuntimeException | LinkageError e) {
            throw new CannotOpen(e.getMessage() == null ? e.toString() : e.getMessage());
        }
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
