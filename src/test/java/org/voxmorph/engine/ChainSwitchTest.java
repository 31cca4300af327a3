package org.voxmorph.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.Chain;
import org.voxmorph.chain.StreamSpec;
import org.voxmorph.chain.builtin.GainProcessor;

class ChainSwitchTest {
    private static final int RATE = 16000;
    private static final int BLOCK = 160;

    private static Chain gain(double db) {
        GainProcessor g = new GainProcessor();
        g.parameters().get("gainDb").set(db);
        return TestChains.of(g);
    }

    @Test
    void switchingChainsMidSignalCrossfadesWithoutAJump() {
        Chain loud = gain(0);
        Chain quiet = gain(-20);
        ChainSwitch sw = new ChainSwitch(loud, RATE);
        StreamSpec spec = new StreamSpec(RATE, BLOCK);
        sw.prepare(spec);
        quiet.prepare(spec);
        AudioBlock block = new AudioBlock(BLOCK);
        double phaseStep = 2 * Math.PI * 200 / RATE;
        double largestStep = 0;
        float previous = 0;
        long t = 0;
        for (int b = 0; b < 60; b++) {
            if (b == 20) {
                sw.offer(quiet);
            }
            float[] x = block.samples();
            for (int i = 0; i < BLOCK; i++) {
                x[i] = (float) (0.5 * Math.sin(phaseStep * t++));
            }
            block.setFrames(BLOCK);
            sw.process(block);
            for (int i = 0; i < BLOCK; i++) {
                if (b > 0 || i > 0) {
                    largestStep = Math.max(largestStep, Math.abs(x[i] - previous));
                }
                previous = x[i];
            }
        }
        // The sine itself moves at most 0.5 * 2pi * 200 / 16000 = 0.039 per sample; a hard switch
        // from 0.5 to 0.05 amplitude would jump by up to 0.45.
        assertTrue(largestStep < 0.045, "largest step " + largestStep);
        float peak = 0;
        for (int i = 0; i < BLOCK; i++) {
            peak = Math.max(peak, Math.abs(block.samples()[i]));
        }
        assertEquals(0.05, peak, 0.005, "after the fade only the new chain plays");
        assertSame(quiet, sw.current());
        assertSame(loud, sw.takeRetired(), "the old chain is handed back for closing");
        assertNull(sw.takeRetired());
    }

    @Test
    void tapsCarryTheInputAndTheOutput() {
        ChainSwitch sw = new ChainSwitch(gain(-6), RATE);
        sw.prepare(new StreamSpec(RATE, BLOCK));
        AudioBlock block = new AudioBlock(BLOCK);
        java.util.Arrays.fill(block.samples(), 0.5f);
        block.setFrames(BLOCK);
        sw.process(block);
        float[] in = new float[BLOCK];
        float[] out = new float[BLOCK];
        assertEquals(BLOCK, sw.inputTap().read(in, 0, BLOCK));
        assertEquals(BLOCK, sw.outputTap().read(out, 0, BLOCK));
        assertEquals(0.5, in[BLOCK - 1], 1e-6);
        assertEquals(0.5 * Math.pow(10, -6 / 20.0), out[BLOCK - 1], 1e-3);
    }
}
