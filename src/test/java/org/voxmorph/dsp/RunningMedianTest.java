package org.voxmorph.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RunningMedianTest {
    @Test
    void matchesTheSortedMedianWithinABinAndIgnoresOutliers() {
        RunningMedian m = new RunningMedian(0, 10, 1000, Double.POSITIVE_INFINITY);
        Random r = new Random(1);
        double[] values = new double[2001];
        for (int i = 0; i < values.length; i++) {
            // A skewed stream: a tenth of the values are far-off slips, as a pitch tracker's octave errors.
            values[i] = i % 10 == 0 ? 9 + r.nextDouble() : 4 + r.nextGaussian() * 0.3;
            m.add(values[i]);
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        assertEquals(sorted[values.length / 2], m.median(), 0.01);
        assertEquals(values.length, m.count());
    }

    @Test
    void forgetsWithItsMemoryAndResets() {
        RunningMedian m = new RunningMedian(0, 10, 100, 100);
        assertTrue(Double.isNaN(m.median()));
        for (int i = 0; i < 1000; i++) {
            m.add(2);
        }
        for (int i = 0; i < 60; i++) {
            m.add(7); // after ln 2 * 100 = 69 values the old ones hold less than half
        }
        assertTrue(m.median() < 3, "still the old value after 60: " + m.median());
        for (int i = 0; i < 20; i++) {
            m.add(7);
        }
        assertTrue(m.median() > 6, "the new value after 80: " + m.median());
        m.add(-5); // outside the range: counted at its end
        m.reset();
        assertEquals(0, m.count());
        m.add(5.55);
        assertEquals(5.55, m.median(), 0.1);
    }
}
