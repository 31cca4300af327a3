package org.voxmorph.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.voxmorph.audio.ReservePolicy;

/**
 * The buffer policy alone, then through the device bridge, both on simulated time (frames played),
 * so nothing depends on the machine's clock or load: upsets grow the reserve a step at a time up
 * to its cap, a quiet spell shrinks it a step, and the latency the bridge reports follows.
 */
class ReservePolicyTest {
    static final int RATE = 48000;
    static final int HOP = 480;
    static final int FLOOR = 240;
    static final int CAP = 2400;
    static final long QUIET = 30L * RATE;
    static final long MERGE = RATE / 10;

    static ReservePolicy policy() {
        return new ReservePolicy(FLOOR, HOP, CAP, QUIET, MERGE);
    }

    /** Plays {@code seconds} of 10 ms device calls without an upset; returns the reserve after. */
    static int quiet(ReservePolicy p, double seconds) {
        int r = p.reserveFrames();
        for (long played = 0; played < seconds * RATE; played += HOP) {
            r = p.advance(HOP, false);
        }
        return r;
    }

    @Test
    void eachUpsetAddsAStepUpToTheCap() {
        ReservePolicy p = policy();
        assertEquals(FLOOR, p.reserveFrames());
        for (int k = 1; k <= 10; k++) {
            quiet(p, 0.5);
            int r = p.advance(HOP, true);
            assertEquals(Math.min(CAP, FLOOR + k * HOP), r, "after upset " + k);
        }
        assertEquals(CAP, p.reserveFrames(), "capped");
    }

    @Test
    void upsetsWithinAMergeSpanAreOneUpset() {
        ReservePolicy p = policy();
        // A late spell: five late calls in a row, 50 ms in all.
        for (int i = 0; i < 5; i++) {
            p.advance(HOP, true);
        }
        assertEquals(FLOOR + HOP, p.reserveFrames(), "one spell, one step");
        // An upset that keeps coming back is not one spell: a step per merge span.
        for (int i = 0; i < 10; i++) {
            p.advance(HOP, true);
        }
        assertEquals(FLOOR + 2 * HOP, p.reserveFrames(), "150 ms of upsets: two steps");
    }

    @Test
    void aQuietSpellGivesOneStepBackDownToTheFloor() {
        ReservePolicy p = policy();
        for (int k = 0; k < 3; k++) {
            quiet(p, 1);
            p.advance(HOP, true);
        }
        assertEquals(FLOOR + 3 * HOP, p.reserveFrames());
        assertEquals(FLOOR + 3 * HOP, quiet(p, 29.9), "not before 30 s of quiet");
        assertEquals(FLOOR + 2 * HOP, quiet(p, 0.2), "one step back at 30 s");
        assertEquals(FLOOR + 2 * HOP, quiet(p, 29.7), "the next step takes another quiet spell");
        assertEquals(FLOOR + HOP, quiet(p, 0.4));
        assertEquals(FLOOR, quiet(p, 30.1));
        assertEquals(FLOOR, quiet(p, 600), "never below the floor");
    }

    @Test
    void anUpsetRestartsTheQuietSpell() {
        ReservePolicy p = policy();
        p.advance(HOP, true);
        quiet(p, 1);
        p.advance(HOP, true);
        assertEquals(FLOOR + 2 * HOP, p.reserveFrames());
        quiet(p, 25);
        p.advance(HOP, true);  // at 26 s: the third step, and the quiet spell starts over
        assertEquals(FLOOR + 3 * HOP, quiet(p, 29.9));
        assertEquals(FLOOR + 2 * HOP, quiet(p, 0.2));
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ReservePolicy(FLOOR, 0, CAP, QUIET, MERGE));
        assertThrows(IllegalArgumentException.class, () -> new ReservePolicy(CAP + 1, HOP, CAP, QUIET, MERGE));
    }

    /**
     * Through the bridge: two devices on one clock, the engine keeping up; at 10 s the device reports
     * an xrun, at 20 s the engine stalls for 60 ms (late blocks). Each grows the reserve a step and the
     * reported output latency with it; the ring fills up to the new reserve without a late block; after
     * 30 s of quiet each step is given back, again without a late block.
     */
    @Test
    void theBridgeGrowsOnXrunsAndLateBlocksAndShrinksBackWithoutLateBlocks() {
        try (Engine engine = new Engine(TestChains.of(new DriftCorrectorTest.Half()), RATE, HOP, RATE)) {
            DeviceBridge bridge = new DeviceBridge(engine, 4096, DeviceBridge.LatePolicy.SILENCE);
            engine.correctDrift(new DriftCorrector(bridge, new CubicRateResampler(HOP), HOP,
                    DriftCorrector.defaultTargetSlack(RATE)));
            int floor = bridge.reserveFrames();
            int floorFill = -1;
            float[] in = new float[HOP];
            float[] out = new float[HOP];
            long phase = 0;
            long lateBefore = -1;
            int reserveAt15 = -1;
            int fillAt15 = -1;
            int reserveAt25 = -1;
            int targetAt25 = -1;
            int minFillAfterGrowth = Integer.MAX_VALUE;
            long lateAfterGrowth = -1;
            long lateAtEnd = -1;
            int blocks = 100 * 100;  // 100 s of 10 ms calls
            for (int b = 0; b < blocks; b++) {
                double t = b / 100.0;
                for (int i = 0; i < HOP; i++) {
                    in[i] = (float) (0.5 * Math.sin(2 * Math.PI * 220 * phase++ / RATE));
                }
                bridge.capture(in, 0, HOP);
                boolean stalled = t >= 20 && t < 20.06;
                if (!stalled) {
                    while (engine.processOneHop()) {
                        // keeps up
                    }
                }
                if (b == 500) {
                    lateBefore = bridge.lateBlocks();
                    floorFill = bridge.targetFillFrames();
                }
                if (b == 1000) {
                    bridge.noteDeviceXruns(1);
                }
                bridge.render(out, 0, HOP);
                if (b == 1500) {
                    reserveAt15 = bridge.reserveFrames();
                    fillAt15 = bridge.outputFill();
                }
                if (b == 2500) {
                    reserveAt25 = bridge.reserveFrames();
                    targetAt25 = bridge.targetFillFrames();
                    lateAfterGrowth = bridge.lateBlocks();
                }
                if (t > 25 && t < 50) {
                    minFillAfterGrowth = Math.min(minFillAfterGrowth, bridge.outputFill());
                }
            }
            lateAtEnd = bridge.lateBlocks();
            assertEquals(0, lateBefore, "no late block while settling");
            assertEquals(floor + HOP, reserveAt15, "the xrun added a step");
            // Before a read the ring holds one call plus the reserve; after it, the reserve.
            assertTrue(fillAt15 >= floor + HOP - 60, "the ring filled up to the new reserve: " + fillAt15);
            assertEquals(floor + 2 * HOP, reserveAt25, "the late spell added another step");
            assertEquals(floorFill + 2 * HOP, targetAt25, "the latency the runner reports follows");
            assertTrue(lateAfterGrowth > 0, "the stall did make late blocks");
            assertTrue(minFillAfterGrowth > floor + HOP, "the ring kept the larger reserve until quiet: " + minFillAfterGrowth);
            assertEquals(lateAfterGrowth, lateAtEnd, "no late block while growing or shrinking back");
            assertEquals(floor, bridge.reserveFrames(), "two quiet spells later, back at the floor");
            assertEquals(floorFill, bridge.targetFillFrames());
            assertTrue(bridge.outputFill() < floor + HOP, "the ring ran down to it: " + bridge.outputFill());
        }
    }
}
