package org.voxmorph.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Measured responses against the analog prototypes, evaluated at the bilinear-warped frequency
 * (where the digital filter matches its prototype exactly).
 */
class FilterResponseTest {
    private static final double[] PROBES = {0.125, 0.25, 0.5, 0.8, 1, 1.25, 2, 4, 8};

    /** Gain in dB of a steady tone through the filter. */
    private static double measuredDb(DoubleUnaryOperator filter, double hz, int rate) {
        int n = rate; // one second; the first half lets the filter settle
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = (float) filter.applyAsDouble(0.5 * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return Signals.db(Signals.toneAmplitude(y, n / 2, n, hz, rate) / 0.5);
    }

    /** |(b2 s^2 + b1 s + b0) / (a2 s^2 + a1 s + a0)| at s = j w. */
    private static double sectionDb(double w, double b2, double b1, double b0, double a2, double a1, double a0) {
        return Signals.db(Math.hypot(b0 - b2 * w * w, b1 * w) / Math.hypot(a0 - a2 * w * w, a1 * w));
    }

    private static double warped(double hz, double centreHz, int rate) {
        return Math.tan(Math.PI * hz / rate) / Math.tan(Math.PI * centreHz / rate);
    }

    @ParameterizedTest
    @CsvSource({"true,2,100,48000", "true,4,100,48000", "true,2,300,16000", "true,4,300,16000",
            "false,2,3400,16000", "false,4,3400,16000", "false,4,8000,48000", "false,2,1000,48000"})
    void butterworthMatchesItsPrototype(boolean highPass, int order, double cutoffHz, int rate) {
        double[] qs = order == 2 ? new double[] {Math.sqrt(0.5)}
                : new double[] {1 / (2 * Math.cos(Math.PI / 8)), 1 / (2 * Math.cos(3 * Math.PI / 8))};
        double worst = 0;
        for (double probe : PROBES) {
            double hz = cutoffHz * probe;
            if (hz >= 0.45 * rate) {
                continue;
            }
            ButterworthFilter f = new ButterworthFilter(highPass, rate, cutoffHz, order);
            double w = warped(hz, cutoffHz, rate);
            double expected = 0;
            for (double q : qs) {
                expected += highPass ? sectionDb(w, 1, 0, 0, 1, 1 / q, 1) : sectionDb(w, 0, 0, 1, 1, 1 / q, 1);
            }
            // The classic Butterworth magnitude: the cascade of the pole pairs is 1 / sqrt(1 + w^(2n)).
            double butterworth = -10 * Math.log10(1 + Math.pow(highPass ? 1 / w : w, 2 * order));
            assertEquals(butterworth, expected, 1e-9);
            double measured = measuredDb(f::process, hz, rate);
            worst = Math.max(worst, Math.abs(measured - expected));
            assertEquals(expected, measured, 0.02, (highPass ? "high" : "low") + "-pass order " + order + " at " + hz + " Hz");
        }
        System.out.printf("%s-pass order %d at %.0f Hz/%d: worst deviation %.4f dB%n",
                highPass ? "high" : "low", order, cutoffHz, rate, worst);
    }

    private enum Band { LOW_SHELF, PEAK, HIGH_SHELF }

    /** The RBJ cookbook's analog prototypes, in dB at normalised frequency w. */
    private static double prototypeDb(Band band, double w, double gainDb, double q) {
        double a = Math.pow(10, gainDb / 40);
        double k = Math.sqrt(a) / q;
        return switch (band) {
            case LOW_SHELF -> Signals.db(a) + sectionDb(w, 1, k, a, a, k, 1);
            case HIGH_SHELF -> Signals.db(a) + sectionDb(w, a, k, 1, 1, k, a);
            case PEAK -> sectionDb(w, 1, a / q, 1, 1, 1 / (a * q), 1);
        };
    }

    @ParameterizedTest
    @CsvSource({"LOW_SHELF,200,6", "LOW_SHELF,300,-8", "PEAK,1500,-9", "PEAK,2500,5", "HIGH_SHELF,6000,4", "HIGH_SHELF,3000,-10"})
    void eqBandsMatchTheirPrototypes(Band band, double centreHz, double gainDb) {
        int rate = 48000;
        double q = band == Band.PEAK ? 2 : Math.sqrt(0.5); // the shelves use slope 1, i.e. Q = 1/sqrt(2)
        double worst = 0;
        for (double probe : PROBES) {
            ThreeBandEq eq = new ThreeBandEq(rate);
            eq.setLowShelf(band == Band.LOW_SHELF ? centreHz : 200, band == Band.LOW_SHELF ? gainDb : 0);
            eq.setPeak(band == Band.PEAK ? centreHz : 1500, band == Band.PEAK ? gainDb : 0, q);
            eq.setHighShelf(band == Band.HIGH_SHELF ? centreHz : 6000, band == Band.HIGH_SHELF ? gainDb : 0);
            double hz = centreHz * probe;
            if (hz >= 0.45 * rate) {
                continue;
            }
            double expected = prototypeDb(band, warped(hz, centreHz, rate), gainDb, q);
            double measured = measuredDb(eq::process, hz, rate);
            worst = Math.max(worst, Math.abs(measured - expected));
            assertEquals(expected, measured, 0.02, band + " at " + hz + " Hz");
        }
        // At its centre a shelf gives half its gain and a peak all of it.
        assertEquals(band == Band.PEAK ? gainDb : gainDb / 2, prototypeDb(band, 1, gainDb, q), 1e-9);
        System.out.printf("%s %+.0f dB at %.0f Hz: worst deviation %.4f dB%n", band, gainDb, centreHz, worst);
    }
}
