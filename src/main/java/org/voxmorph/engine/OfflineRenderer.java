package org.voxmorph.engine;

import org.voxmorph.audio.FloatRingBuffer;

/**
 * Runs a whole recording through an {@link Engine} as fast as it can: writes the input into the
 * engine's input ring, lets the same block loop live mode uses process it hop by hop, and collects
 * the output ring. The result is aligned with the input (the chain's latency is removed) and has
 * the input's length.
 */
public final class OfflineRenderer {

    /** Called now and then with how many input samples are done. */
    public interface Progress {
        void update(long done, long total);
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

    private static float[] run(Engine engine, float[] input, int tail, int dropFromStart, int outLength, Progress progress) {
        int hop = engine.hopFrames();
        long needIn = (long) input.length + tail;
        long feedTotal = (needIn + hop - 1) / hop * hop;
        float[] out = new float[outLength];
        float[] chunk = new float[Math.max(hop, engine.input().capacity() / 2)];
        FloatRingBuffer in = engine.input();
        FloatRingBuffer res = engine.output();
        long fed = 0;
        long produced = 0;
        long lastReport = -1;
        while (produced < needIn) {
            int n = (int) Math.min(Math.min(in.free(), chunk.length), feedTotal - fed);
            for (int i = 0; i < n; i++) {
                long k = fed + i;
                chunk[i] = k < input.length ? input[(int) k] : 0f;
            }
            in.write(chunk, 0, n);
            fed += n;
            while (engine.processOneHop()) {
                int got = res.read(chunk, 0, Math.min(res.available(), chunk.length));
                for (int i = 0; i < got; i++) {
                    long k = produced + i - dropFromStart;
                    if (k >= 0 && k < out.length) {
                        out[(int) k] = chunk[i];
                    }
                }
                produced += got;
            }
            if (progress != null && produced / 48000 != lastReport) {
                lastReport = produced / 48000;
                progress.update(Math.min(input.length, Math.max(0, produced - dropFromStart)), input.length);
            }
        }
        if (progress != null) {
            progress.update(input.length, input.length);
        }
        return out;
    }
}
