package org.voxmorph.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EngineTest {
    static final int RATE = 48000;

    static java.util.List<String> presets() throws Exception {
        return TestChains.shippedPresetNames();
    }

    /** The hop path (engine worker) and the device path (bridge) must not allocate at all. */
    @ParameterizedTest
    @MethodSource("presets")
    void tenThousandBlocksAllocateNothing(String preset) throws Exception {
        int hop = 480;
        float[] speech = TestSignals.speechAt("vctk_p226/p226_003.wav", RATE);
        try (Engine engine = new Engine(TestChains.preset(preset), RATE, hop, 16 * hop)) {
            DeviceBridge bridge = new DeviceBridge(engine, 1024, DeviceBridge.LatePolicy.PASSTHROUGH);
            float[] in = new float[hop];
            float[] out = new float[hop];
            ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            long tid = Thread.currentThread().getId();
            runBlocks(engine, bridge, speech, in, out, 3000);
            long before = threads.getThreadAllocatedBytes(tid);
            runBlocks(engine, bridge, speech, in, out, 10_000);
            long allocated = threads.getThreadAllocatedBytes(tid) - before;
            assertEquals(10_000 + 3000, engine.blocks());
            // The smallest Java object is 16 bytes, so one allocation per block would show as >= 160,000
            // bytes; the JIT compiler itself may charge a few hundred bytes to the thread, hence < 1 byte/block.
            assertTrue(allocated < 10_000, preset + ": 10,000 blocks allocated " + allocated + " bytes");
        }
    }

    private static void runBlocks(Engine engine, DeviceBridge bridge, float[] speech, float[] in, float[] out, int n) {
        int pos = (int) (engine.blocks() * in.length % (speech.length - in.length));
        for (int b = 0; b < n; b++) {
            System.arraycopy(speech, pos, in, 0, in.length);
            pos = (pos + in.length) % (speech.length - in.length);
            bridge.capture(in, 0, in.length);
            engine.processOneHop();
            bridge.render(out, 0, out.length);
        }
    }

    /** Same file, four hop sizes: the same output sample for sample. */
    @ParameterizedTest
    @MethodSource("presets")
    void outputDoesNotDependOnBlockSize(String preset) throws Exception {
        var audio = TestSignals.speech("vctk_p227/p227_003.wav");
        float[] reference = null;
        for (int hop : new int[] {64, 160, 480, 1024}) {
            float[] out;
            try (Engine engine = new Engine(TestChains.preset(preset), audio.sampleRate(), hop, 16384)) {
                out = OfflineRenderer.render(engine, audio.samples(), null);
            }
            assertEquals(audio.samples().length, out.length);
            if (reference == null) {
                reference = out;
            } else {
                double diff = TestSignals.maxAbsDiff(reference, out, 0, out.length);
                assertTrue(diff <= 1e-4, preset + ": hop " + hop + " differs from hop 64 by " + diff);
            }
        }
    }
}
