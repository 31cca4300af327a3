package org.voxmorph.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.ParameterSet;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.StreamSpec;

/**
 * Ten simulated minutes with the microphone's clock 0.1% off the output device's: with the drift
 * corrector the output ring stays near its target and never under- or overruns; without it the
 * same run drifts away (the control that shows the test can fail).
 */
class DriftCorrectorTest {
    static final int RATE = 48000;
    static final int HOP = 480;
    static final int CAPTURE_PERIOD = 480;
    static final int RENDER_PERIOD = 512;
    static final double SECONDS = 600;
    static final double AMP = 0.5;
    static final double MAX_STEP = AMP * 2 * Math.PI * 220 / RATE + 0.04;

    /** Starting, the output may be late once or twice while the devices' phases settle: not drift. */
    static final double START_SECONDS = 5;

    /** @param late late blocks after the first {@link #START_SECONDS} */
    record Run(long late, long overflows, int maxFillAfterSettling, int minSlack, double ratio, double maxStep) {}

    /** Halves the signal: any processor will do, this one shows the output is the engine's. */
    static final class Half implements Processor {
        @Override public void prepare(StreamSpec spec) {}
        @Override public int latencySamples() { return 0; }
        @Override public ParameterSet parameters() { return ParameterSet.empty(); }
        @Override public void process(AudioBlock block) {
            float[] x = block.samples();
            for (int i = 0; i < block.frames(); i++) {
                x[i] *= 0.5f;
            }
        }
    }

    /** Runs the devices in simulated time: capture ticks on the input clock, render on the output's. */
    static Run simulate(double inputClock, boolean corrected) {
        try (Engine engine = new Engine(TestChains.of(new Half()), RATE, HOP, RATE)) {
            DeviceBridge bridge = new DeviceBridge(engine, 4096, DeviceBridge.LatePolicy.PASSTHROUGH);
            DriftCorrector corrector = new DriftCorrector(bridge, new CubicRateResampler(HOP), HOP,
                    DriftCorrector.defaultTargetSlack(RATE));
            if (corrected) {
                engine.correctDrift(corrector);
            }
            float[] in = new float[CAPTURE_PERIOD];
            float[] out = new float[RENDER_PERIOD];
            double capturePeriod = CAPTURE_PERIOD / (RATE * inputClock);
            double renderPeriod = (double) RENDER_PERIOD / RATE;
            double nextCapture = 0;
            double nextRender = 0.004;  // the output starts a little after the input, as devices do
            long phase = 0;
            int maxFill = 0;
            int minSlack = Integer.MAX_VALUE;
            double maxStep = 0;
            float last = 0;
            long lateAtStart = -1;
            while (Math.min(nextCapture, nextRender) < SECONDS) {
                if (nextCapture <= nextRender) {
                    for (int i = 0; i < CAPTURE_PERIOD; i++) {
                        in[i] = (float) (AMP * Math.sin(2 * Math.PI * 220 * phase++ / (RATE * inputClock)));
                    }
                    bridge.capture(in, 0, CAPTURE_PERIOD);
                    while (engine.processOneHop()) {
                        // the worker keeps up
                    }
                    nextCapture += capturePeriod;
                } else {
                    if (lateAtStart < 0 && nextRender > START_SECONDS) {
                        lateAtStart = bridge.lateBlocks();
                    }
                    boolean settled = nextRender > 60;
                    if (settled) {
                        maxFill = Math.max(maxFill, bridge.outputFill());
                        minSlack = Math.min(minSlack, bridge.outputFill() - RENDER_PERIOD);
                    }
                    bridge.render(out, 0, RENDER_PERIOD);
                    if (nextRender > 1) {  // after the start, where the bridge plays the dry input
                        maxStep = Math.max(maxStep, Math.abs(out[0] - last));
                        maxStep = Math.max(maxStep, LatePolicyTest.maxStep(out, 0, RENDER_PERIOD));
                    }
                    last = out[RENDER_PERIOD - 1];
                    nextRender += renderPeriod;
                }
            }
            return new Run(bridge.lateBlocks() - lateAtStart, bridge.inputOverflows(), maxFill, minSlack, corrector.ratio(), maxStep);
        }
    }

    @Test
    void fastMicrophoneNeverOverrunsAndKeepsTheDelay() {
        Run r = simulate(1.001, true);
        assertEquals(0, r.late(), "underruns (late blocks)");
        assertEquals(0, r.overflows(), "input overruns");
        // Fill before a read: one render period plus the slack target, plus a hop that may have just arrived.
        int bound = RENDER_PERIOD + DriftCorrector.defaultTargetSlack(RATE) + HOP + 150;
        assertTrue(r.maxFillAfterSettling() < bound, "output fill stays near target: " + r);
        // The ratio ripples by about 1e-4 as the periods slide past each other.
        assertEquals(1 / 1.001, r.ratio(), 3e-4, "the stretch found is the clock ratio");
        assertTrue(r.maxStep() < MAX_STEP, "no glitch: " + r);
    }

    @Test
    void slowMicrophoneNeverUnderruns() {
        Run r = simulate(0.999, true);
        assertEquals(0, r.late(), "underruns (late blocks): " + r);
        assertEquals(0, r.overflows());
        assertTrue(r.minSlack() >= 96, "spare output before each read stays above the crossfade reserve: " + r);
        assertEquals(1 / 0.999, r.ratio(), 3e-4);
    }

    @Test
    void withoutCorrectionTheSameClocksDriftAway() {
        Run fast = simulate(1.001, false);
        assertTrue(fast.maxFillAfterSettling() > 20000, "latency grows by 48 frames a second: " + fast);
        Run slow = simulate(0.999, false);
        assertTrue(slow.late() > 0, "a slow microphone underruns: " + slow);
    }
}
