package org.voxmorph.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ParameterTest {

    @Test
    void floatGlidesLinearlyOverTwentyMillisecondsOneStepPerSample() {
        Parameter p = Parameter.ofFloat("gainDb", -60, 24, 0, "dB");
        p.prepare(48000);
        p.set(-12);
        double previous = 0;
        int samples = 0;
        double v;
        do {
            v = p.next();
            assertTrue(Math.abs(v - previous) <= 12.0 / 960 + 1e-9, "step " + (v - previous));
            previous = v;
            samples++;
        } while (v != -12);
        assertEquals(960, samples);
    }

    @Test
    void aNewValueMidGlideContinuesFromWhereItIs() {
        Parameter p = Parameter.ofFloat("x", 0, 10, 0, "");
        p.prepare(1000);
        p.set(10);
        for (int i = 0; i < 10; i++) {
            p.next();
        }
        double mid = p.current();
        assertEquals(5.0, mid, 1e-9);
        p.set(0);
        double next = p.next();
        assertTrue(Math.abs(next - mid) < 0.3, "continuous: " + mid + " -> " + next);
        assertEquals(0.0, p.advance(100), 1e-12);
    }

    @Test
    void valuesOutsideTheRangeAreRefusedWithTheRangeInTheMessage() {
        Parameter p = Parameter.ofFloat("semitones", -24, 24, 0, "st");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.set(30));
        assertEquals("semitones = 30.0 is outside -24.0..24.0 st", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.set(Double.NaN));
        Parameter c = Parameter.ofChoice("tracker", List.of("yin", "mpm"), "yin");
        assertThrows(IllegalArgumentException.class, () -> c.setChoice("crepe"));
        c.setChoice("mpm");
        c.next();
        assertEquals("mpm", c.asChoice());
    }

    @Test
    void concurrentSettersNeverLeaveAValueOutsideTheRange() throws Exception {
        Parameter p = Parameter.ofFloat("x", -1, 1, 0, "");
        p.prepare(48000);
        Thread ui = new Thread(() -> {
            for (int i = 0; i < 200_000; i++) {
                p.set(i % 2 == 0 ? 1 : -1);
            }
        });
        ui.start();
        double min = 0;
        double max = 0;
        while (ui.isAlive()) {
            double v = p.next();
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        ui.join();
        assertTrue(min >= -1 && max <= 1, min + ".." + max);
    }
}
