package org.voxmorph.model;

import org.voxmorph.dsp.Sola;

/**
 * Runs a non-streaming converter live: every block, the converter sees the last
 * {@code left + block + right} frames of input, and the part of its output for the block is joined
 * to the previous one with SOLA.
 *
 * <p>Timing, in engine samples with frame = 10 ms: a step runs when a block of input has arrived.
 * Its window ends at "now"; the block it emits starts {@code block + right} frames back. SOLA may
 * move that start by up to ±search samples to line up with the previous block's continuation, and
 * the first {@code crossfade} samples blend the two. The emitted block plays right after the
 * previous one, so the delay is {@code (block + right) * frame} exactly, for any signal the
 * converter renders consistently from window to window. The right context is what the converter
 * looks ahead; it must cover the SOLA search and the crossfade tail.
 */
final class SlidingWindow {

    /** Converts one window of engine-rate audio to the same span of converted audio. */
    interface Converter {
        void convert(float[] window, float[] out);
    }

    private final Converter converter;
    private final int block;
    private final int window;
    private final int nominalStart;
    private final int crossfade;
    private final int search;
    private final int latency;

    private final float[] history;
    private int historyPos;
    private int blockFill;
    private final float[] windowBuf;
    private final float[] converted;
    private final float[] tail;
    private final float[] emitted;
    private final float[] outRing;
    private int outRead;
    private int outCount;

    /**
     * @param frame      samples per 10 ms frame at the engine rate
     * @param rightFrames at least enough for {@code search + crossfade}; raised if not
     */
    SlidingWindow(int frame, int blockFrames, int leftFrames, int rightFrames, int crossfadeSamples, int searchSamples,
            Converter converter) {
        this.converter = converter;
        this.block = blockFrames * frame;
        this.crossfade = Math.min(crossfadeSamples, block);
        this.search = Math.min(searchSamples, leftFrames * frame);
        int right = Math.max(rightFrames, (int) Math.ceil((double) (search + crossfade) / frame));
        this.window = (leftFrames + blockFrames + right) * frame;
        this.nominalStart = leftFrames * frame;
        this.latency = block + right * frame;
        history = new float[window];
        windowBuf = new float[window];
        converted = new float[window];
        tail = new float[crossfade];
        emitted = new float[block];
        outRing = new float[2 * block + 1];
        reset();
    }

    int windowSamples() {
        return window;
    }

    int blockSamples() {
        return block;
    }

    int latencySamples() {
        return latency;
    }

    void process(float[] x, int n) {
        for (int i = 0; i < n; i++) {
            history[historyPos] = x[i];
            historyPos = historyPos + 1 == window ? 0 : historyPos + 1;
            if (++blockFill == block) {
                blockFill = 0;
                step();
            }
            x[i] = outRing[outRead];
            outRead = outRead + 1 == outRing.length ? 0 : outRead + 1;
            outCount--;
        }
    }

    private void step() {
        // Oldest first: the ring's write position is the oldest sample.
        int firstPart = window - historyPos;
        System.arraycopy(history, historyPos, windowBuf, 0, firstPart);
        System.arraycopy(history, 0, windowBuf, firstPart, historyPos);
        converter.convert(windowBuf, converted);
        int offset = Sola.bestOffset(tail, crossfade, converted, nominalStart - search, search);
        int start = nominalStart - search + offset;
        Sola.crossfade(tail, converted, start, emitted, 0, crossfade);
        System.arraycopy(converted, start + crossfade, emitted, crossfade, block - crossfade);
        System.arraycopy(converted, start + block, tail, 0, crossfade);
        for (int i = 0; i < block; i++) {
            outRing[(outRead + outCount) % outRing.length] = emitted[i];
            outCount++;
        }
    }

    void reset() {
        java.util.Arrays.fill(history, 0f);
        java.util.Arrays.fill(tail, 0f);
        java.util.Arrays.fill(outRing, 0f);
        historyPos = 0;
        blockFill = 0;
        outRead = 0;
        // One block of silence plays while the first block is gathered.
        outCount = block;
    }
}
