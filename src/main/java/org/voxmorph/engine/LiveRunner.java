package org.voxmorph.engine;

import java.util.function.Consumer;
import org.voxmorph.audio.AudioBackend;
import org.voxmorph.audio.AudioDeviceException;
import org.voxmorph.audio.AudioStream;
import org.voxmorph.audio.FloatRingBuffer;
import org.voxmorph.audio.RealtimeThreads;
import org.voxmorph.audio.StreamRequest;
import org.voxmorph.chain.Chain;

/**
 * The one live path (the role of JUCE's AudioDeviceManager + AudioProcessorPlayer): given a
 * backend, the stream wanted and a voice chain, it negotiates the rate, prepares the chain at it,
 * wires engine, device bridge and drift corrector, opens and starts the devices, swaps chains while
 * running, and supervises: a device that fails or stalls is closed and reopened every second while
 * the engine runs on. The CLI's live mode, the panel and the demo all run through it; none of them
 * touches a device.
 */
public final class LiveRunner implements AutoCloseable {
    /** The most frames one device call may ask for; larger calls are split. */
    static final int MAX_DEVICE_FRAMES = 8192;
    /** How often the supervisor looks: short, so that closing never waits long for it. */
    static final long TICK_MILLIS = 50;
    /** Devices are checked for problems and stalls, and the CPU load measured, this often. */
    static final long CHECK_EVERY_NANOS = 1_000_000_000L;
    /** Devices that went away are tried again this often (a sound server is back within a second or two). */
    static final long REOPEN_EVERY_NANOS = 250_000_000L;
    /** A device that stops moving for this long is treated as gone, even if it reported nothing. */
    static final long STALL_NANOS = 2_000_000_000L;
    private static final long SWITCH_TIMEOUT_NANOS = 2_000_000_000L;

    /**
     * What the output feeds besides a device, e.g. a virtual microphone: the supervisor asks every
     * tick whether it is lost (then the devices are closed at once, so the server cannot move the
     * stream to the speakers) and repairs it before each attempt to reopen the devices.
     */
    public interface Repair {
        Repair NONE = new Repair() {};

        /** Before reopening: make the target again if it went away. A failure is retried a second later. */
        default void beforeReopen() throws AudioDeviceException {}

        /** Cheap, never blocks: null while the target is there, else one line saying it went away. */
        default String lost() {
            return null;
        }

        /** Runs the action (on any thread) the moment {@link #lost} starts saying something. */
        default void whenLost(Runnable action) {
        }
    }

    /**
     * One snapshot: levels in dBFS of the latest block (-120 for silence), the chain's and the
     * devices' delay, CPU load of the engine worker over the last second, late blocks, blocks a
     * failed stage spoiled (both played as the privacy-safe fill), the devices' xruns, input
     * overflows, and what is wrong with the devices now in one plain line (or null).
     */
    public record Status(double inputPeakDb, double inputRmsDb, double outputPeakDb, double outputRmsDb,
            double algorithmicLatencyMs, double deviceLatencyMs, double cpuPercent, long lateBlocks,
            long failedBlocks, long xruns, long inputOverflows, String problem) {}

    private final AudioBackend backend;
    private final StreamRequest request;
    private final Repair repair;
    private final Consumer<String> events;
    private final ChainSwitch chainSwitch;
    private final Engine engine;
    private final DeviceBridge bridge;
    private final Thread supervisor;
    private final Object switching = new Object();
    private volatile AudioStream stream;
    private volatile boolean closing;
    private volatile String problem;
    private volatile double cpuPercent;
    private volatile long xrunsBefore;
    /** Of those, the ones the bridge's reserve answers (see {@link AudioStream#xrunsForTheEngine}). */
    private volatile long engineXrunsBefore;
    /** The chain whose running failures have been said, and how many of them (supervisor thread). */
    private Chain failuresOf;
    private int failuresSaid;

    private LiveRunner(AudioBackend backend, StreamRequest request, Chain chain, Repair repair,
            Consumer<String> events) {
        this.backend = backend;
        this.request = request;
        this.repair = repair;
        this.events = events;
        int rate = request.sampleRate();
        int hop = request.periodFrames();
        this.chainSwitch = new ChainSwitch(chain, rate);
        this.engine = new Engine(chainSwitch, rate, hop, rate);
        this.bridge = new DeviceBridge(engine, MAX_DEVICE_FRAMES, DeviceBridge.LatePolicy.PASSTHROUGH);
        engine.correctDrift(new DriftCorrector(bridge, new CubicRateResampler(hop), hop,
                DriftCorrector.defaultTargetSlack(rate)));
        this.supervisor = new Thread(this::supervise, "voxmorph-live-supervisor");
        supervisor.setDaemon(true);
    }

    /**
     * Negotiates the rate (a rate the devices refuse is replaced by one they take, the period scaled
     * to match), prepares the chain at it, opens and starts the devices and the engine.
     *
     * @param wanted the devices, the rate wanted and the period (the engine hop) at that rate
     * @param chain  the voice, unprepared; the runner owns it from now on, and closes it also when
     *               the devices cannot be opened
     * @param events told, on the supervisor thread, each device loss and return in one plain line
     */
    public static LiveRunner start(AudioBackend backend, StreamRequest wanted, Chain chain, Repair repair,
            Consumer<String> events) throws AudioDeviceException {
        int rate;
        try {
            rate = backend.sampleRateFor(wanted);
        } catch (AudioDeviceException | RuntimeException e) {
            chain.close();
            throw e;
        }
        int period = rate == wanted.sampleRate() ? wanted.periodFrames()
                : Math.max(16, (int) Math.round((double) wanted.periodFrames() * rate / wanted.sampleRate()));
        StreamRequest request = new StreamRequest(wanted.inputDevice(), wanted.outputDevice(), wanted.monitorDevice(),
                rate, period);
        LiveRunner r = new LiveRunner(backend, request, chain, repair, events);
        System.gc();  // before any sound flows: starts all of the collector's workers (see below)
        try {
            r.stream = backend.open(request, r.bridge);
            r.engine.start();
            r.stream.start();
        } catch (AudioDeviceException | RuntimeException e) {
            r.close();
            throw e;
        }
        // Every Java thread waits at a safepoint for the JVM's "VM Thread", and through a collection
        // for the garbage collector's workers ("GC Thread#N"); at normal priority on a busy machine
        // they hold the real-time device threads up with them, for tens of milliseconds. (The full
        // collection before the devices opened started every worker, so that all are promoted.)
        RealtimeThreads.promoteThreadsNamed("VM Thread", RealtimeThreads.WORKER_PRIORITY);
        RealtimeThreads.promoteThreadsNamed("GC Thread*", RealtimeThreads.WORKER_PRIORITY);
        r.supervisor.start();
        r.repair.whenLost(r::closeLostDevices);
        return r;
    }

    /** The period (engine hop) for a block length in ms at a rate, at least 16 frames. */
    public static int periodFor(double blockMs, int sampleRate) {
        return Math.max(16, (int) Math.round(blockMs * sampleRate / 1000));
    }

    public String backendName() { return backend.name(); }

    /** What was opened: the negotiated rate and period. */
    public StreamRequest request() { return request; }

    public int sampleRate() { return request.sampleRate(); }

    public int hopFrames() { return request.periodFrames(); }

    /** The voice now running. */
    public Chain chain() {
        return chainSwitch.current();
    }

    /** What goes into the chain and what comes out, for a meter or recorder thread to drain. */
    public FloatRingBuffer inputTap() { return chainSwitch.inputTap(); }

    public FloatRingBuffer outputTap() { return chainSwitch.outputTap(); }

    /** Total time the engine worker spent processing, for CPU load. */
    public long busyNanos() { return engine.busyNanos(); }

    /**
     * Prepares the chain beside the running one and swaps it in at a block boundary with a
     * crossfade; returns once the old chain is retired and closed. One caller at a time.
     */
    public void switchTo(Chain next) throws InterruptedException {
        synchronized (switching) {
            swap(next);
        }
    }

    private void swap(Chain next) throws InterruptedException {
        next.prepare(chainSwitch.spec());
        chainSwitch.offer(next);
        long deadline = System.nanoTime() + SWITCH_TIMEOUT_NANOS;
        Chain old;
        while ((old = chainSwitch.takeRetired()) == null && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        if (old != null) {
            old.close();
        }
    }

    public Status status() {
        AudioStream s = stream;
        double deviceMs = (s == null ? 0 : s.inputLatencyMs() + s.outputLatencyMs())
                + 1000.0 * (engine.hopFrames() + bridge.targetFillFrames()) / engine.sampleRate();
        return new Status(engine.inputMeter().peakDb(), engine.inputMeter().rmsDb(), engine.outputMeter().peakDb(),
                engine.outputMeter().rmsDb(), engine.latencyMillis(), deviceMs, cpuPercent, bridge.lateBlocks(),
                engine.failedBlocks(), xrunsBefore + (s == null ? 0 : s.xruns()), bridge.inputOverflows(), problem);
    }

    /** Supervisor thread: CPU load, and devices that fail, stall or vanish are reopened. */
    private void supervise() {
        long lastCheck = System.nanoTime();
        long lastAttempt = lastCheck;
        long lastMoved = lastCheck;
        long lastBusy = engine.busyNanos();
        long lastCaptured = -1;
        long lastRendered = -1;
        while (!closing) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            sayNewFailures();
            AudioStream s = stream;
            bridge.noteDeviceXruns(engineXrunsBefore + (s == null ? 0 : s.xrunsForTheEngine()));
            closeLostDevices(); // in case the target has no watcher to call it at once
            long now = System.nanoTime();
            if (stream == null && now - lastAttempt >= REOPEN_EVERY_NANOS) {
                lastAttempt = now;
                if (superviseDevices(false)) {
                    lastMoved = now;
                }
            }
            if (now - lastCheck < CHECK_EVERY_NANOS) {
                continue;
            }
            long busy = engine.busyNanos();
            cpuPercent = 100.0 * (busy - lastBusy) / (now - lastCheck);
            lastBusy = busy;
            lastCheck = now;
            long captured = bridge.capturedFrames();
            long rendered = bridge.renderedFrames();
            if (captured != lastCaptured && rendered != lastRendered) {
                lastMoved = now;
            }
            lastCaptured = captured;
            lastRendered = rendered;
            if (stream != null && superviseDevices(now - lastMoved > STALL_NANOS)) {
                lastMoved = now;
            }
        }
    }

    /**
     * A stage that fails while running (a model that throws or makes NaN) is said once, as it
     * happens; what failed while a chain was prepared its front end says itself.
     */
    private void sayNewFailures() {
        Chain c = chainSwitch.current();
        var failures = c.failures();
        if (c != failuresOf) {
            failuresOf = c;
            failuresSaid = failures.size();
        }
        for (; failuresSaid < failures.size(); failuresSaid++) {
            events.accept(failures.get(failuresSaid));
        }
    }

    /**
     * The moment the output's target goes (called by its watcher): the server has already moved the
     * stream to its fallback, the speakers, so the devices close now rather than at the next tick.
     */
    private void closeLostDevices() {
        String lost = repair.lost();
        if (lost != null && !closing) {
            closeDevices(lost + "; making it again (meanwhile your voice is played nowhere)");
        }
    }

    /** @return whether the devices were reopened */
    private synchronized boolean superviseDevices(boolean stalled) {
        if (closing) {
            return false;
        }
        AudioStream s = stream;
        if (s != null) {
            String why = s.problem();
            if (why == null && stalled) {
                why = "the sound devices stopped moving";
            }
            if (why == null) {
                return false;
            }
            closeDevices(why + "; reopening when it is back (the voice keeps running)");
        }
        try {
            repair.beforeReopen();
            AudioStream fresh = backend.open(request, bridge);
            fresh.start();
            stream = fresh;
            problem = null;
            events.accept("the devices are back");
            return true;
        } catch (AudioDeviceException e) {
            return false; // the problem that took the devices away still says it best
        }
    }

    private synchronized void closeDevices(String why) {
        AudioStream s = stream;
        if (s == null) {
            return;
        }
        problem = why;
        events.accept(why);
        xrunsBefore += s.xruns();
        engineXrunsBefore += s.xrunsForTheEngine();
        stream = null;
        s.close();
    }

    /** Stops the supervisor, the devices and the engine, and closes the chain. Prompt: no device wait. */
    @Override
    public void close() {
        closing = true;
        supervisor.interrupt();
        if (supervisor.isAlive() && Thread.currentThread() != supervisor) {
            try {
                supervisor.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            AudioStream s = stream;
            stream = null;
            if (s != null) {
                s.close();
            }
        }
        engine.close();
    }
}
