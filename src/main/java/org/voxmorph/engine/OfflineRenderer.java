package org.voxmorph.engine;

import org.voxmorph.audio.FloatRingBuffer;

/**
 * Runs a recording through an {@link Engine} as fast as it can: writes the input into the engine's
 * input ring, lets the same block loop live mode uses process it hop by hop, and collects the
 * output ring. The result is aligned with the input (the chain's latency is removed) and has the
 * input's length. {@link #stream} works a block at a time, so a recording of any length takes
 * bounded memory.
 */
public final class OfflineRenderer {

    /** Called now and then with how many input samples are done. */
    public interface Progress {
        void update(long done, long total);
    }

    /** Where the input comes from, a block at a time. */
    public interface Input<E extends Exception> {
        /** @return samples read into dst from off, at most max; 0 at the end */
        int read(float[] dst, int off, int max) throws E;
    }

    /** Where the output goes, a block at a time. */
    public interface Output<E extends Exception> {
        void write(float[] src, int off, int n) throws E;
    }

    private OfflineRenderer() {}

    /** The converted recording, aligned with the input and as long as it. */
    public static float[] render(Engine engine, float[] input, Progress progress) {
        return run(engine, input, engine.latencySamples(), engine.latencySamples(), input.length, progress);
    }

    /**
     * The raw output, delay included: {@code input.length + tail} samples, the chain's latency not
     * removed. For measuring that latency.
     */
    public static float[] renderRaw(Engine engine, float[] input, int tail) {
        return run(engine, input, tail, 0, input.length + tail, null);
    }

    /**
     * Streams {@code frames} input samples through the engine into {@code output}: exactly
     * {@code frames} samples, aligned with the input (the chain's latency removed).
     */
    public static <E extends Exception> void stream(Engine engine, Input<E> input, long frames, Output<E> output,
            Progress progress) throws E {
        int latency = engine.latencySamples();
        pump(engine, input, frames, latency, latency, frames, output, progress);
    }

    private static float[] run(Engine engine, float[] input, int tail, int dropFromStart, int outLength, Progress progress) {
        float[] out = new float[outLength];
        int[] pos = {0, 0};
        Input<RuntimeException> in = (dst, off, max) -> {
            int n = Math.min(max, input.length - pos[0]);
            System.arraycopy(input, pos[0], dst, off, n);
            pos[0] += n;
            return n;
        };
        Output<RuntimeException> sink = (src, off, n) -> {
            System.arraycopy(src, off, out, pos[1], n);
            pos[1] += n;
        };
        pump(engine, in, input.length, tail, dropFromStart, outLength, sink, progress);
        return out;
    }

    /**
     * Feeds {@code frames} input samples and {@code tail} zeros, hop-aligned; drops the first
     * {@code dropFromStart} output samples and passes on the next {@code outLength}.
     */
    private static <E extends Exception> void pump(Engine engine, Input<E> input, long frames, int tail, int dropFromStart,
            long outLength, Output<E> output, Progress progress) throws E {
        int hop = engine.hopFrames();
        long needIn = frames + tail;
        long feedTotal = (needIn + hop - 1) / hop * hop;
        float[] chunk = new float[Math.max(hop, engine.input().capacity() / 2)];
        FloatRingBuffer in = engine.input();
        FloatRingBuffer res = engine.output();
        long fed = 0;
        long read = 0;
        long produced = 0;
        long passed = 0;
        long lastReport = -1;
        while (produced < needIn) {
            int n = (int) Math.min(Math.min(in.free(), chunk.length), feedTotal - fed);
            int got = 0;
            while (got < n && read < frames) {
                int r = input.read(chunk, got, (int) Math.min(n - got, frames - read));
                if (r <= 0) {
                    frames = read; // the input ended early: what is there is all there is
                    break;
                }
                got += r;
                read += r;
            }
            java.util.Arrays.fill(chunk, got, n, 0f);
            in.write(chunk, 0, n);
            fed += n;
            while (engine.processOneHop()) {
                int m = res.read(chunk, 0, Math.min(res.available(), chunk.length));
                int skip = (int) Math.max(0, Math.min(m, dropFromStart - produced));
                int keep = (int) Math.min(m - skip, outLength - passed);
                if (keep > 0) {
                    output.write(chunk, skip, keep);
                    passed += keep;
                }
                produced += m;
            }
            if (progress != null && produced / 48000 != lastReport) {
                lastReport = produced / 48000;
                progress.update(Math.min(frames, Math.max(0, produced - dropFromStart)), frames);
            }
        }
        if (progress != null) {
            progress.update(frames, frames);
        }
    }
}
