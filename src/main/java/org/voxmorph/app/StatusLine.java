package org.voxmorph.app;

import java.util.function.LongSupplier;
import org.voxmorph.engine.DeviceBridge;
import org.voxmorph.engine.Engine;

/** The once-a-second live status: levels, latency, late and failed blocks, CPU load. */
final class StatusLine {
    private final Engine engine;
    private final DeviceBridge bridge;
    private final double deviceLatencyMs;
    private final LongSupplier xruns;
    private long lastBusy;
    private long lastTime = System.nanoTime();
    /** Failures already said (those at start are reported by the command itself). */
    private int failuresSaid;

    StatusLine(Engine engine, DeviceBridge bridge, double deviceLatencyMs) {
        this(engine, bridge, deviceLatencyMs, null);
    }

    /** @param xruns the devices' under- and overruns, for live mode; null where there is no device */
    StatusLine(Engine engine, DeviceBridge bridge, double deviceLatencyMs, LongSupplier xruns) {
        this.engine = engine;
        this.bridge = bridge;
        this.deviceLatencyMs = deviceLatencyMs;
        this.xruns = xruns;
        this.lastBusy = engine.busyNanos();
        this.failuresSaid = engine.chain().failures().size();
    }

    /** The status; a stage that failed since the last call comes first, in one line of its own. */
    String next() {
        StringBuilder news = new StringBuilder();
        var failures = engine.chain().failures();
        for (; failuresSaid < failures.size(); failuresSaid++) {
            news.append("voxmorph: ").append(failures.get(failuresSaid)).append(System.lineSeparator());
        }
        long now = System.nanoTime();
        long busy = engine.busyNanos();
        double cpu = 100.0 * (busy - lastBusy) / Math.max(1, now - lastTime);
        lastBusy = busy;
        lastTime = now;
        double bufferMs = 1000.0 * (engine.hopFrames() + bridge.targetFillFrames()) / engine.sampleRate();
        return news + String.format("in %6.1f dBFS  out %6.1f dBFS  latency %.1f ms algorithmic + %.1f ms device  "
                        + "%slate %d  failed %d  overruns %d  cpu %4.1f%%",
                engine.inputMeter().peakDb(), engine.outputMeter().peakDb(), engine.latencyMillis(),
                deviceLatencyMs + bufferMs, xruns == null ? "" : "xruns " + xruns.getAsLong() + "  ",
                bridge.lateBlocks(), engine.failedBlocks(), bridge.inputOverflows(), cpu);
    }
}
