package org.voxmorph.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.ParameterSet;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.StreamSpec;

/**
 * A chain slower than real time is covered by a fill (the converted voice dying away), counted,
 * never a glitch, and never the unconverted input unless the chain converts nothing.
 */
class LatePolicyTest {
    static final int RATE = 48000;
    static final int HOP = 480;
    static final double AMP = 0.8;
    /** Largest step a 220 Hz sine of this amplitude takes, plus what a 2 ms equal-power fade may add. */
    static final double MAX_STEP = AMP * 2 * Math.PI * 220 / RATE + 0.04;

    /** Halves the signal, and sleeps now and then: the deliberately slow processor. */
    static final class HalfAndSlow implements Processor {
        final int sleepEvery;
        final int sleepMillis;
        int blocks;

        HalfAndSlow(int sleepEvery, int sleepMillis) {
            this.sleepEvery = sleepEvery;
            this.sleepMillis = sleepMillis;
        }

        @Override public void prepare(StreamSpec spec) {}
        @Override public int latencySamples() { return 0; }
        @Override public ParameterSet parameters() { return ParameterSet.empty(); }

        @Override
        public void process(AudioBlock block) {
            if (sleepEvery > 0 && ++blocks % sleepEvery == 0) {
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            float[] x = block.samples();
            for (int i = 0; i < block.frames(); i++) {
                x[i] *= 0.5f;
            }
        }
    }

    /**
     * Input that arrives in a burst (a sound server that was late hands over 100 ms at once): a
     * backend that renders one period per period of input at once outruns the engine and plays
     * the fill; one that first asks {@link DeviceBridge#ready} renders only finished output, so
     * nothing is late and every period of the burst is played, in order.
     */
    @Test
    void aBackendThatAsksReadyDoesNotOutrunTheEngineAfterABurst() {
        for (boolean asks : new boolean[] {false, true}) {
            try (Engine engine = new Engine(TestChains.of(new HalfAndSlow(0, 0)), RATE, HOP, RATE)) {
                DeviceBridge bridge = new DeviceBridge(engine, HOP, DeviceBridge.LatePolicy.PASSTHROUGH);
                int periods = 400;
                float[] in = TestSignals.sine(220, AMP, RATE, periods * HOP);
                float[] out = new float[in.length];
                int rendered = 0;
                for (int p = 0; p < periods; p++) {
                    boolean burst = p >= 200 && p < 210;
                    bridge.capture(in, p * HOP, HOP);
                    if (burst && p < 209) {
                        continue; // the server holds the input back, then hands over ten periods at once
                    }
                    // What the device thread owes: one period of output per period of input, rendered
                    // back to back; the engine worker gets to the input only when the device thread waits.
                    while (rendered <= p) {
                        if (asks && bridge.ready() < HOP) {
                            engine.processOneHop();
                            continue;
                        }
                        bridge.render(out, rendered * HOP, HOP);
                        rendered++;
                    }
                    while (engine.processOneHop()) {
                        // then it works off what came in
                    }
                }
                if (asks) {
                    assertEquals(0, bridge.lateBlocks(), "late blocks");
                    assertEquals(AMP / 2, peak(out, 205 * HOP, 215 * HOP), 0.02, "the burst is played");
                } else {
                    assertTrue(bridge.lateBlocks() > 0, "without asking, the burst is played late: " + bridge.lateBlocks());
                }
            }
        }
    }

    @Test
    void stalledConvertingChainPlaysTheFadingFillNotTheInputAndRecoversWithoutAJump() {
        try (Engine engine = new Engine(TestChains.of(new HalfAndSlow(0, 0)), RATE, HOP, RATE)) {
            DeviceBridge bridge = new DeviceBridge(engine, HOP, DeviceBridge.LatePolicy.PASSTHROUGH);
            int periods = 600;
            float[] in = TestSignals.sine(220, AMP, RATE, periods * HOP);
            float[] out = new float[in.length];
            for (int p = 0; p < periods; p++) {
                bridge.capture(in, p * HOP, HOP);
                boolean stalled = p >= 200 && p < 230;  // the chain takes 300 ms over one stretch
                if (!stalled) {
                    while (engine.processOneHop()) {
                        // work off any backlog, as the worker would
                    }
                }
                bridge.render(out, p * HOP, HOP);
            }
            assertTrue(bridge.lateBlocks() >= 30, "late blocks counted: " + bridge.lateBlocks());
            assertTrue(maxStep(out, 0, out.length) < MAX_STEP, "largest step " + maxStep(out, 0, out.length));
            // During the stall the converted voice dies away (never louder than it was), then
            // silence; afterwards the processed voice again.
            assertTrue(peak(out, 200 * HOP, 203 * HOP) <= AMP / 2 + 0.01, "fill no louder than the converted voice");
            assertEquals(0, peak(out, 205 * HOP, 229 * HOP), 1e-6);
            assertEquals(AMP / 2, peak(out, 500 * HOP, 600 * HOP), 0.02);
            assertEquals(0, bridge.inputOverflows());
        }
    }

    @Test
    void aChainThatConvertsNothingMayPlayTheInputWhenLate() {
        for (boolean bypassed : new boolean[] {false, true}) {
            // The passthrough preset (an empty chain), or every stage bypassed: the user chose their own voice.
            var chain = bypassed ? TestChains.of(new HalfAndSlow(0, 0)) : TestChains.of();
            chain.setBypassAll(bypassed);
            try (Engine engine = new Engine(chain, RATE, HOP, RATE)) {
                DeviceBridge bridge = new DeviceBridge(engine, HOP, DeviceBridge.LatePolicy.PASSTHROUGH);
                int periods = 400;
                float[] in = TestSignals.sine(220, AMP, RATE, periods * HOP);
                float[] out = new float[in.length];
                for (int p = 0; p < periods; p++) {
                    bridge.capture(in, p * HOP, HOP);
                    if (p < 200 || p >= 230) {
                        while (engine.processOneHop()) {
                            // work off any backlog
                        }
                    }
                    bridge.render(out, p * HOP, HOP);
                }
                assertTrue(bridge.lateBlocks() >= 30, "late blocks counted: " + bridge.lateBlocks());
                assertEquals(AMP, peak(out, 215 * HOP, 225 * HOP), 0.02, "bypassed " + bypassed);
                assertTrue(maxStep(out, 0, out.length) < MAX_STEP, "largest step " + maxStep(out, 0, out.length));
            }
        }
    }

    @Test
    void slowProcessorOnTheLiveWorkerIsCountedAndNeverGlitches() throws Exception {
        try (Engine engine = new Engine(TestChains.of(new HalfAndSlow(40, 60)), RATE, HOP, RATE)) {
            DeviceBridge bridge = new DeviceBridge(engine, HOP, DeviceBridge.LatePolicy.PASSTHROUGH);
            float[] in = TestSignals.sine(220, AMP, RATE, 3 * RATE);
            var device = new org.voxmorph.audio.FileDevice(bridge, in, RATE, HOP);
            engine.start();
            device.run();
            engine.stop();
            float[] out = device.recorded();
            assertTrue(engine.slowBlocks() > 0, "slow blocks seen by the engine");
            assertTrue(bridge.lateBlocks() > 0, "late blocks played from the fill");
            assertTrue(maxStep(out, 0, out.length) < MAX_STEP, "largest step " + maxStep(out, 0, out.length));
        }
    }

    @Test
    void silencePolicyFadesOutInsteadOfPassingThrough() {
        try (Engine engine = new Engine(TestChains.of(new HalfAndSlow(0, 0)), RATE, HOP, RATE)) {
            DeviceBridge bridge = new DeviceBridge(engine, HOP, DeviceBridge.LatePolicy.SILENCE);
            int periods = 300;
            float[] in = TestSignals.sine(220, AMP, RATE, periods * HOP);
            float[] out = new float[in.length];
            for (int p = 0; p < periods; p++) {
                bridge.capture(in, p * HOP, HOP);
                if (p < 100 || p >= 150) {
                    while (engine.processOneHop()) {
                        // catch up
                    }
                }
                bridge.render(out, p * HOP, HOP);
            }
            assertEquals(0, peak(out, 110 * HOP, 140 * HOP), 1e-6);
            assertEquals(AMP / 2, peak(out, 250 * HOP, 300 * HOP), 0.02);
        }
    }

    static double maxStep(float[] x, int from, int to) {
        double m = 0;
        for (int i = from + 1; i < to; i++) {
            m = Math.max(m, Math.abs(x[i] - x[i - 1]));
        }
        return m;
    }

    static double peak(float[] x, int from, int to) {
        double m = 0;
        for (int i = from; i < to; i++) {
            m = Math.max(m, Math.abs(x[i]));
        }
        return m;
    }
}
