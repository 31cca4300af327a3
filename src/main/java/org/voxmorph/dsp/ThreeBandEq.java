package org.voxmorph.dsp;

/** Low shelf, one peaking band and a high shelf in series; each band is redesigned only when its settings change. */
public final class ThreeBandEq {
    private final double rate;
    private final Biquad low = new Biquad();
    private final Biquad mid = new Biquad();
    private final Biquad high = new Biquad();
    private double lowHz = Double.NaN;
    private double lowDb;
    private double midHz = Double.NaN;
    private double midDb;
    private double midQ;
    private double highHz = Double.NaN;
    private double highDb;

    public ThreeBandEq(double rate) {
        this.rate = rate;
    }

    public void setLowShelf(double hz, double db) {
        if (hz != lowHz || db != lowDb) {
            lowHz = hz;
            lowDb = db;
            low.setLowShelf(rate, hz, db);
        }
    }

    public void setPeak(double hz, double db, double q) {
        if (hz != midHz || db != midDb || q != midQ) {
            midHz = hz;
            midDb = db;
            midQ = q;
            mid.setPeak(rate, hz, q, db);
        }
    }

    public void setHighShelf(double hz, double db) {
        if (hz != highHz || db != highDb) {
            highHz = hz;
            highDb = db;
            high.setHighShelf(rate, hz, db);
        }
    }

    public double process(double x) {
        return high.process(mid.process(low.process(x)));
    }

    public void reset() {
        low.reset();
        mid.reset();
        high.reset();
    }
}
