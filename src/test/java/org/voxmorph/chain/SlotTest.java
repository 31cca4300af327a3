package org.voxmorph.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Bypass crossfades to the dry signal delayed by the processor's latency: no click, no echo. */
class SlotTest {
    static final int RATE = 48000;

    /** Delays by a fixed number of samples and inverts: wet and dry differ, latency is known. */
    static final class DelayInvert implements Processor {
        final float[] line;
        int pos;

        DelayInvert(int delay) {
            line = new float[delay];
        }

        @Override public void prepare(StreamSpec spec) {}
        @Override public int latencySamples() { return line.length; }
        @Override public ParameterSet parameters() { return ParameterSet.empty(); }

        @Override
        public void process(AudioBlock block) {
            float[] x = block.samples();
            for (int i = 0; i < block.frames(); i++) {
                float out = -line[pos];
                line[pos] = x[i];
                pos = (pos + 1) % line.length;
                x[i] = out;
            }
        }
    }

    /** Throws on prepare, like a model that cannot load. */
    static final class Broken implements Processor {
        @Override public void prepare(StreamSpec spec) { throw new IllegalStateException("model.onnx: checksum mismatch"); }
        @Override public void process(AudioBlock block) { throw new AssertionError("never called"); }
        @Override public int latencySamples() { return 0; }
        @Override public ParameterSet parameters() { return ParameterSet.empty(); }
    }

    @Test
    void bypassCrossfadesWithoutAJumpAndKeepsTheDelay() {
        Chain chain = new Chain("t", List.of(new DelayInvert(100)), List.of("delay-invert"));
        chain.prepare(new StreamSpec(RATE, 256));
        AudioBlock block = new AudioBlock(256);
        int n = 256 * 187;
        float[] out = new float[n];
        for (int start = 0; start < n; start += 256) {
            if (start == 256 * 60) {
                chain.setBypassAll(true);
            }
            if (start == 256 * 130) {
                chain.setBypassAll(false);
            }
            for (int i = 0; i < 256; i++) {
                block.samples()[i] = (float) (0.5 * Math.sin(2 * Math.PI * 200 * (start + i) / RATE));
            }
            block.setFrames(256);
            chain.process(block);
            System.arraycopy(block.samples(), 0, out, start, 256);
        }
        double maxStep = 0;
        for (int i = 1; i < n; i++) {
            maxStep = Math.max(maxStep, Math.abs(out[i] - out[i - 1]));
        }
        // A 200 Hz sine of amplitude 0.5 steps at most 0.013; a hard switch to the inverted signal would step ~1.
        assertTrue(maxStep < 0.03, "largest step " + maxStep);
        // Fully bypassed: the input, delayed by the declared 100 samples, not inverted.
        int i = 256 * 100;
        assertEquals(0.5 * Math.sin(2 * Math.PI * 200 * (i - 100) / RATE), out[i], 1e-5);
        assertEquals(100, chain.latencySamples());
    }

    @Test
    void aProcessorThatCannotPrepareFailsItsBlocksAndSaysWhyNeverPassingTheInput() {
        Chain chain = new Chain("t", List.of(new Broken()), List.of("model"));
        chain.prepare(new StreamSpec(RATE, 64));
        assertEquals(List.of("model: model.onnx: checksum mismatch (silent instead)"), chain.failures());
        AudioBlock block = new AudioBlock(64);
        block.samples()[3] = 0.25f;
        block.setFrames(64);
        chain.process(block);
        assertEquals(0f, block.samples()[3]);
        assertTrue(chain.lastBlockFailed());
        assertEquals(1, chain.failedBlocks());
        assertEquals(0, chain.latencySamples());
    }
}
