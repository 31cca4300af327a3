package org.voxmorph.ui;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.voxmorph.app.LiveSession;
import org.voxmorph.audio.file.FileBackend;

/**
 * Renders the panel, running the deep preset on the demo clip through the file backend, to the
 * PNG named by the first argument (tools/render-panel.sh runs it headless). With a second argument
 * {@code no-device} (run where no sound device works) it renders what a machine without one shows,
 * then runs the demo the panel offers there.
 */
public final class RenderPanel {
    private RenderPanel() {}

    public static void main(String[] args) throws Exception {
        Path png = Path.of(args[0]);
        boolean noDevice = args.length > 1 && args[1].equals("no-device");
        Path work = Files.createTempDirectory("voxmorph-render");
        if (!noDevice) {
            System.setProperty(FileBackend.INPUT_PROPERTY, "src/main/resources/demo/voxmorph-demo.wav");
        }
        Path settings = work.resolve("panel.json");
        Files.writeString(settings, "{\"backend\":\"" + (noDevice ? "" : "file")
                + "\",\"preset\":\"deep\",\"blockMs\":10,\"speaker\":0}");
        LiveSession session = new LiveSession();
        ControlPanel[] panel = new ControlPanel[1];
        Scene[] scene = new Scene[1];
        CountDownLatch shown = new CountDownLatch(1);
        Platform.startup(() -> {
            panel[0] = new ControlPanel(session, settings, work);
            scene[0] = new Scene(panel[0].root());
            Stage stage = new Stage();
            stage.setScene(scene[0]);
            stage.show();
            shown.countDown();
        });
        shown.await(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + 10_000_000_000L;
        String button = "#startStop";
        if (noDevice) {
            while (!onFx(() -> scene[0].lookup("#demo").isVisible()) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            Thread.sleep(500);
            Path before = Path.of(png.toString().replace(".png", "-before.png"));
            ImageIO.write(toBuffered(onFx(() -> scene[0].snapshot(null))), "png", before.toFile());
            System.out.println("wrote " + before);
            button = "#demo";
        } else {
            while (!"file".equals(onFx(() -> ((javafx.scene.control.ComboBox<?>) scene[0].lookup("#backend")).getValue()))
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
        String press = button;
        Platform.runLater(() -> ((Button) scene[0].lookup(press)).fire());
        while (!session.isRunning() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(5000); // let the pitch trace fill
        WritableImage image = onFx(() -> scene[0].snapshot(null));
        session.close();
        Platform.runLater(panel[0]::dispose);
        ImageIO.write(toBuffered(image), "png", png.toFile());
        System.out.println("wrote " + png + " (" + (int) image.getWidth() + "x" + (int) image.getHeight() + ")");
        Platform.exit();
    }

    private static <T> T onFx(java.util.concurrent.Callable<T> job) throws Exception {
        java.util.concurrent.FutureTask<T> task = new java.util.concurrent.FutureTask<>(job);
        Platform.runLater(task);
        return task.get(10, TimeUnit.SECONDS);
    }

    private static BufferedImage toBuffered(WritableImage image) {
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        PixelReader pixels = image.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, pixels.getArgb(x, y));
            }
        }
        return out;
    }
}
