package org.voxmorph.ui;

import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;

/** A scrolling trace of input and output pitch (log scale, 60..600 Hz) over the last few seconds. */
final class PitchTrace extends Canvas {
    private static final double LOW_HZ = 60;
    private static final double HIGH_HZ = 600;
    static final Color INPUT = Color.web("#6cb6ff");
    static final Color OUTPUT = Color.web("#f69d50");
    private final double[] input;
    private final double[] output;
    private int newest;

    PitchTrace(double width, double height, int points) {
        super(width, height);
        input = new double[points];
        output = new double[points];
        draw();
    }

    void add(double inputHz, double outputHz) {
        newest = (newest + 1) % input.length;
        input[newest] = inputHz;
        output[newest] = outputHz;
        draw();
    }

    private void draw() {
        GraphicsContext g = getGraphicsContext2D();
        double w = getWidth();
        double h = getHeight();
        g.setFill(Color.web("#20252b"));
        g.fillRect(0, 0, w, h);
        g.setStroke(Color.web("#3a424c"));
        g.setLineWidth(1);
        g.setFill(Color.web("#8b949e"));
        for (double hz : new double[] {100, 200, 400}) {
            double y = y(hz, h);
            g.strokeLine(0, y, w, y);
            g.fillText((int) hz + " Hz", 4, y - 2);
        }
        plot(g, input, INPUT, w, h);
        plot(g, output, OUTPUT, w, h);
    }

    private void plot(GraphicsContext g, double[] hz, Color color, double w, double h) {
        g.setFill(color);
        int n = hz.length;
        for (int i = 0; i < n; i++) {
            double v = hz[(newest + 1 + i) % n];
            if (v >= LOW_HZ && v <= HIGH_HZ) {
                g.fillOval(w * i / n - 1.5, y(v, h) - 1.5, 3, 3);
            }
        }
    }

    private static double y(double hz, double h) {
        return h * (1 - Math.log(hz / LOW_HZ) / Math.log(HIGH_HZ / LOW_HZ));
    }
}
