package org.voxmorph.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.voxmorph.audio.FloatRingBuffer;
import org.voxmorph.audio.RealtimeThreads;
import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.StagedProcessor;
import org.voxmorph.chain.StreamSpec;

/**
 * The fixed-hop block loop: takes hops from the input ring, runs the chain, puts the result in the
 * output ring. Live mode runs it on its own worker thread; offline conversion and benchmarks call
 * {@link #processOneHop} directly, so both go through the very same code.
 */
public final class Engine implements AutoCloseable {
    private final StagedProcessor chain;
    private final int sampleRate;
    private final int hop;
    private final FloatRingBuffer input;
    private final FloatRingBuffer output;
    private final AudioBlock block;
    private final LevelMeter inputMeter = new LevelMeter();
    private final LevelMeter outputMeter = new LevelMeter();
    private final long hopNanos;
    /** Plays in place of blocks a failed processor spoiled, so the output fades instead of jumping. */
    private final LateFill failedFill;

    // Written by the worker only; read by anyone for status.
    private volatile long blocks;
    private volatile long slowBlocks;
    private volatile long failedBlocks;
    private volatile long busyNanos;
    private volatile long lastBlockNanos;

    private volatile boolean running;
    private volatile boolean dropBacklog;
    private DriftCorrector drift;
    private Thread worker;

    /**
     * @param ringFrames capacity of each ring; live mode wants a few hundred ms, offline a few hops
     */
    public Engine(StagedProcessor chain, int sampleRate, int hopFrames, int ringFrames) {
        if (hopFrames < 1) {
            throw new IllegalArgumentException("block size must be at least 1 frame, not " + hopFrames);
        }
        this.chain = chain;
        this.sampleRate = sampleRate;
        this.hop = hopFrames;
        this.input = new FloatRingBuffer(Math.max(ringFrames, 2 * hopFrames));
        this.output = new FloatRingBuffer(Math.max(ringFrames, 2 * hopFrames));
        this.block = new AudioBlock(hopFrames);
        this.hopNanos = TimeUnit.SECONDS.toNanos(1) * hopFrames / sampleRate;
        this.failedFill = new LateFill(sampleRate);
        chain.prepare(new StreamSpec(sampleRate, hopFrames));
    }

    public StagedProcessor chain() { return chain; }
    public int sampleRate() { return sampleRate; }
    public int hopFrames() { return hop; }
    public FloatRingBuffer input() { return input; }
    public FloatRingBuffer output() { return output; }
    public LevelMeter inputMeter() { return inputMeter; }
    public LevelMeter outputMeter() { return outputMeter; }

    /** The delay the chain's processors declare, in samples (what an impulse measures offline). */
    public int latencySamples() {
        return chain.latencySamples();
    }

    public double latencyMillis() {
        return 1000.0 * latencySamples() / sampleRate;
    }

    /**
     * Live mode with input and output on different clocks: processed hops pass through the drift
     * corrector on their way to the output ring. Set before {@link #start}.
     */
    public void correctDrift(DriftCorrector corrector) {
        this.drift = corrector;
    }

    /**
     * Worker: if a whole hop is waiting and there is room for the result, processes it.
     *
     * @return whether a hop was processed
     */
    public boolean processOneHop() {
        if (dropBacklog) {
            dropBacklog = false;
            input.skip(Math.max(0, input.available() - hop));
        }
        int room = drift == null ? hop : drift.maxOutput(hop);
        if (input.available() < hop || output.free() < room) {
            return false;
        }
        long start = System.nanoTime();
        float[] x = block.samples();
        input.read(x, 0, hop);
        block.setFrames(hop);
        inputMeter.measure(x, hop);
        chain.process(block);
        if (chain.lastBlockFailed()) {
            failedFill.fill(x, 0, hop);
            failedBlocks++;
        } else {
            failedFill.resume(x, 0, hop);
        }
        outputMeter.measure(x, hop);
        if (drift == null) {
            output.write(x, 0, hop);
        } else {
            drift.write(x, hop, output);
        }
        long took = System.nanoTime() - start;
        lastBlockNanos = took;
        busyNanos += took;
        if (took > hopNanos) {
            slowBlocks++;
        }
        blocks++;
        return true;
    }

    /**
     * Any thread: the input waiting is stale (the output went on without it, playing the late
     * fallback); the worker drops all but the latest hop before its next one.
     */
    public void dropInputBacklog() {
        dropBacklog = true;
        wake();
    }

    /** Starts the live worker thread. Capture code calls {@link #wake} after writing input. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        worker = new Thread(this::runWorker, "voxmorph-engine");
        worker.setDaemon(true);
        worker.setPriority(Thread.MAX_PRIORITY);
        worker.start();
    }

    private void runWorker() {
        RealtimeThreads.promoteCurrentThread(RealtimeThreads.WORKER_PRIORITY);
        // Without a wake-up the worker still polls a few times per hop, so a missed wake costs little.
        long idleNanos = Math.max(100_000, hopNanos / 4);
        while (running) {
            if (!processOneHop()) {
                LockSupport.parkNanos(this, idleNanos);
            }
        }
    }

    /** Any thread (the capture thread): new input is waiting. Never blocks. */
    public void wake() {
        Thread w = worker;
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    public synchronized void stop() {
        running = false;
        Thread w = worker;
        worker = null;
        if (w != null) {
            LockSupport.unpark(w);
            try {
                w.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public boolean isRunning() {
        return running;
    }

    public long blocks() { return blocks; }

    /** Hops whose processing took longer than the hop lasts: the chain was slower than real time. */
    public long slowBlocks() { return slowBlocks; }

    /**
     * Hops a failed processor spoiled (see {@link Chain#failures}): the fill played instead, never
     * the unconverted input.
     */
    public long failedBlocks() { return failedBlocks; }

    /** Total time spent processing, for CPU load. */
    public long busyNanos() { return busyNanos; }

    public long lastBlockNanos() { return lastBlockNanos; }

    public long hopNanos() { return hopNanos; }

    @Override
    public void close() {
        stop();
        chain.close();
    }
}
