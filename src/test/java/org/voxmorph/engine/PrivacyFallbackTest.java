package org.voxmorph.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.voxmorph.audio.FileDevice;
import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.Chain;
import org.voxmorph.chain.ParameterSet;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorRegistry;
import org.voxmorph.chain.StreamSpec;

/**
 * A privacy user masks their voice with {@code anonymize}; a slow or failing stage after it must
 * never let their own voice out. Measured by the windowed cross-correlation of what was played
 * with the dry input at every delay a fallback to the input could have (0 to two hops and the
 * crossfade: the bridge keeps no more of the input). The converted voice itself comes later, after
 * the chain's latency: anonymize copies unvoiced sounds (s, f) unchanged, so at that delay it may
 * correlate; that is the voice processor's business, not the fallback's.
 */
class PrivacyFallbackTest {
    static final int RATE = 16000;
    static final int HOP = 160;
    /** 40 ms windows, half overlapping. */
    static final int WINDOW = 640;
    /** The longest delay a late fallback to the input could have (see the class comment). */
    static final int DRY_LAGS = 2 * HOP + RATE / 500;
    /**
     * The dry input played in a window correlates at 1.0 (see the bypassed control); anonymize's
     * own output reached at most 0.72 / 0.85 / 0.78 on VCTK p225 / p226 / p227 sentence 003.
     */
    static final double DRY_LIKE = 0.95;

    /** Sleeps 80 ms every 25th block: three late hops at a time on the live worker. */
    static final class Slow implements Processor {
        int blocks;
        @Override public void prepare(StreamSpec spec) {}
        @Override public int latencySamples() { return 0; }
        @Override public ParameterSet parameters() { return ParameterSet.empty(); }
        @Override public void process(AudioBlock block) {
            if (++blocks % 25 == 0) {
                try {
                    Thread.sleep(80);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Breaks at block {@code at}: throws, or (like a model gone bad) makes NaN. */
    static final class Failing implements Processor {
        final int at;
        final boolean nan;
        int blocks;
        Failing(int at, boolean nan) { this.at = at; this.nan = nan; }
        @Override public void prepare(StreamSpec spec) {}
        @Override public int latencySamples() { return 0; }
        @Override public ParameterSet parameters() { return ParameterSet.empty(); }
        @Override public void process(AudioBlock block) {
            if (++blocks >= at) {
                if (!nan) {
                    throw new IllegalStateException("stage broke");
                }
                block.samples()[block.frames() / 2] = Float.NaN;
            }
        }
    }

    static Chain anonymizeThen(Processor stage) throws Exception {
        Processor anonymize = ProcessorRegistry.builtIn().get("anonymize").create();
        return new Chain("anonymize", List.of(anonymize, stage), List.of("anonymize", "stage"));
    }

    static float[] speech() throws Exception {
        return TestSignals.speechAt("vctk_p225/p225_003.wav", RATE);
    }

    @Test
    void aSlowStageOnTheLiveWorkerNeverPlaysTheDryVoice() throws Exception {
        float[] in = speech();
        try (Engine engine = new Engine(anonymizeThen(new Slow()), RATE, HOP, RATE)) {
            DeviceBridge bridge = new DeviceBridge(engine, HOP, DeviceBridge.LatePolicy.PASSTHROUGH);
            FileDevice device = new FileDevice(bridge, in, RATE, HOP);
            engine.start();
            device.run();
            engine.stop();
            float[] out = device.recorded();
            assertTrue(bridge.lateBlocks() >= 20, "late blocks: " + bridge.lateBlocks());
            double worst = worstDryCorrelation(in, out, device.framesDone(), DRY_LAGS);
            assertTrue(worst < DRY_LIKE, "a window of the output matches the dry input: correlation " + worst);
        }
    }

    @Test
    void aStageThatThrowsOrMakesNaNFallsSilentNeverDry() throws Exception {
        for (boolean nan : new boolean[] {false, true}) {
            float[] in = speech();
            int failAt = 100;
            try (Engine engine = new Engine(anonymizeThen(new Failing(failAt, nan)), RATE, HOP, RATE)) {
                float[] out = runWithStalls(engine, in);
                assertEquals(1, engine.chain().failures().size(), "one line: " + engine.chain().failures());
                String line = engine.chain().failures().get(0);
                assertTrue(line.startsWith("stage: ") && line.contains(nan ? "NaN" : "stage broke"), line);
                int periods = in.length / HOP;
                assertTrue(engine.failedBlocks() >= periods - failAt - 2, "failed blocks counted: " + engine.failedBlocks());
                // The voice dies away within the fill's fade, then silence: nothing of the input.
                int silentFrom = (failAt + 8) * HOP + engine.latencySamples();
                double after = 0;
                for (int i = silentFrom; i < out.length; i++) {
                    after = Math.max(after, Math.abs(out[i]));
                }
                assertEquals(0, after, 0, "silent after the failure (NaN: " + nan + ")");
                double worst = worstDryCorrelation(in, out, out.length, DRY_LAGS);
                assertTrue(worst < DRY_LIKE, "correlation with the dry input " + worst);
            }
        }
    }

    @Test
    void stallsOnAConvertingChainNeverPlayTheDryVoiceButTheMeterCatchesItWhenBypassed() throws Exception {
        float[] in = speech();
        for (boolean bypassed : new boolean[] {false, true}) {
            Chain chain = anonymizeThen(new Slow());
            // Bypassed, the chain converts nothing: the user chose their own voice, and a late block may play it.
            chain.setBypassAll(bypassed);
            try (Engine engine = new Engine(chain, RATE, HOP, RATE)) {
                DeviceBridge[] bridge = new DeviceBridge[1];
                float[] out = runWithStalls(engine, in, bridge);
                assertTrue(bridge[0].lateBlocks() >= 30, "late blocks " + bridge[0].lateBlocks());
                double worst = worstDryCorrelation(in, out, out.length, DRY_LAGS);
                if (bypassed) {
                    assertTrue(worst > 0.95, "the meter sees the dry voice: " + worst);
                } else {
                    assertTrue(worst < DRY_LIKE, "correlation with the dry input " + worst);
                }
            }
        }
    }

    static float[] runWithStalls(Engine engine, float[] in) {
        return runWithStalls(engine, in, new DeviceBridge[1]);
    }

    /** Device periods of one hop; the worker stalls for 10 hops in every 50, as under a CPU hog. */
    static float[] runWithStalls(Engine engine, float[] in, DeviceBridge[] bridgeOut) {
        DeviceBridge bridge = new DeviceBridge(engine, HOP, DeviceBridge.LatePolicy.PASSTHROUGH);
        bridgeOut[0] = bridge;
        int periods = in.length / HOP;
        float[] out = new float[periods * HOP];
        for (int p = 0; p < periods; p++) {
            bridge.capture(in, p * HOP, HOP);
            if (p % 50 < 40) {
                while (engine.processOneHop()) {
                    // the worker catches up
                }
            }
            bridge.render(out, p * HOP, HOP);
        }
        return out;
    }

    /**
     * The highest normalised correlation between any window of the output (with sound in it) and
     * the dry input delayed by 0..maxLag samples, both pre-emphasised so that the low-frequency
     * hum of voiced speech cannot look alike by chance.
     */
    static double worstDryCorrelation(float[] in, float[] out, int length, int maxLag) {
        float[] pi = preEmphasis(in);
        float[] po = preEmphasis(out);
        double worst = 0;
        for (int w = maxLag; w + WINDOW <= length; w += WINDOW / 2) {
            double level = 0;
            double eo = 0;
            for (int i = w; i < w + WINDOW; i++) {
                level += out[i] * out[i];
                eo += po[i] * po[i];
            }
            if (level < WINDOW * 1e-6) {
                continue; // below -60 dBFS: nothing audible to compare
            }
            for (int d = 0; d <= maxLag; d++) {
                double c = 0;
                double ei = 0;
                for (int i = w; i < w + WINDOW; i++) {
                    float x = pi[i - d];
                    c += po[i] * x;
                    ei += x * x;
                }
                if (ei > 0) {
                    worst = Math.max(worst, Math.abs(c) / Math.sqrt(eo * ei));
                }
            }
        }
        return worst;
    }

    static float[] preEmphasis(float[] x) {
        float[] y = new float[x.length];
        for (int i = 1; i < x.length; i++) {
            y[i] = x[i] - 0.95f * x[i - 1];
        }
        return y;
    }
}
