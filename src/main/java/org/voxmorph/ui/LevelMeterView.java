package org.voxmorph.ui;

import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;

/** A horizontal meter: the RMS level as a bar, the peak as a thin line, over -60..0 dBFS. */
final class LevelMeterView extends Region {
    static final double FLOOR_DB = -60;
    private final Rectangle back = new Rectangle();
    private final Rectangle rmsBar = new Rectangle();
    private final Rectangle peakLine = new Rectangle();
    private double peakDb = FLOOR_DB;
    private double rmsDb = FLOOR_DB;

    LevelMeterView() {
        back.setFill(Color.web("#20252b"));
        rmsBar.setFill(Color.web("#3fbf7f"));
        peakLine.setFill(Color.web("#f2c94c"));
        getChildren().addAll(back, rmsBar, peakLine);
        setMinHeight(14);
        setPrefHeight(14);
        setPrefWidth(260);
    }

    void show(double peak, double rms) {
        peakDb = Math.max(FLOOR_DB, Math.min(0, peak));
        rmsDb = Math.max(FLOOR_DB, Math.min(0, rms));
        rmsBar.setFill(peakDb > -1 ? Color.web("#e5534b") : Color.web("#3fbf7f"));
        requestLayout();
    }

    double peakDb() { return peakDb; }

    double rmsDb() { return rmsDb; }

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        double h = getHeight();
        back.setWidth(w);
        back.setHeight(h);
        rmsBar.setWidth(w * fraction(rmsDb));
        rmsBar.setHeight(h);
        peakLine.setX(Math.max(0, w * fraction(peakDb) - 2));
        peakLine.setWidth(2);
        peakLine.setHeight(h);
    }

    private static double fraction(double db) {
        return (db - FLOOR_DB) / -FLOOR_DB;
    }
}
