package org.voxmorph.audio.pulse;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.voxmorph.audio.AudioCallback;
import org.voxmorph.audio.AudioDeviceException;
import org.voxmorph.audio.AudioStream;
import org.voxmorph.audio.CpuSaturation;
import org.voxmorph.audio.DeviceNames;
import org.voxmorph.audio.PulseAudio;
import org.voxmorph.audio.RealtimeThreads;
import org.voxmorph.audio.StreamRequest;

/**
 * A record stream, a playback stream and (with --monitor) a second playback stream on one
 * connection to the PulseAudio server, all served by one real-time device thread that runs
 * libpulse's main loop itself: no libpulse thread of its own to starve, no callback into Java.
 * Each period of input that arrives is handed over and one period of output is rendered and
 * written for it, so input and output move in step however bursty the server is.
 *
 * <p>Why not through ALSA's pulse plugin: when the server is late and our playback queue runs
 * dry, the plugin reports an xrun, and recovering from it makes a new stream, several round trips
 * through the same late server, 20-170 ms of silence each. Here the playback stream is made to
 * take an underrun in its stride: it restarts as soon as one period is queued again (prebuf), and
 * a {@link PlaybackCushion} of queued output (grown after upsets and while the machine is busy,
 * shrunk back in pauses) keeps it from running dry in the first place. Input that piled up while the server was late is all
 * handed over (the server keeps up to {@value #RECORD_MAX_SECONDS} s of it); none is dropped.
 */
final class PulseStream implements AudioStream {
    static final int RECORD_MAX_SECONDS = 2;
    /** The most the cushion grows to: the longest server stall the measurements saw was about 210 ms. */
    static final double CUSHION_CAP_SECONDS = 0.2;
    /** A queue this long is cut back even in speech (see {@link PlaybackCushion}). */
    static final double QUEUE_BOUND_SECONDS = 0.5;
    /** The least cushion while the machine's processors are all busy: the server stalls then (see {@link PlaybackCushion}). */
    static final double BUSY_CUSHION_SECONDS = 0.06;
    static final double QUIET_SECONDS = 30;
    static final double MERGE_SECONDS = 0.1;
    /** The monitor is not worth latency: what does not fit in this many periods is dropped. */
    static final int MONITOR_QUEUE_PERIODS = 3;
    /** Opening waits at most this long for the server to answer. */
    private static final long OPEN_TIMEOUT_NANOS = 5_000_000_000L;
    /** The device thread looks at least this often (µs), so a silent server death and close are seen. */
    private static final int IDLE_WAIT_MICROS = 100_000;
    /** While the engine works through a burst of input, the device thread looks back this soon (µs). */
    private static final int ENGINE_WAIT_MICROS = 1_000;
    /**
     * How long the device thread waits for the engine's output before it lets the bridge stand in
     * for it (a fill, then the backlog skipped): beyond this the chain is too slow, not catching up.
     */
    private static final long ENGINE_WAIT_NANOS = 100_000_000L;
    /** pa_timing_info.sink_usec on LP64: after a struct timeval (16 bytes) and an int padded to 8. */
    private static final int TIMING_SINK_USEC_OFFSET = 24;
    private static final int TIMING_INFO_BYTES = 104;
    private static final int PA_ERR_NOENTITY = 5;
    /**
     * A sink nobody listened to closely may have rendered a second or two ahead and plays nothing of
     * ours until that time has passed (a null sink such as the virtual microphone's does): while the
     * stream starts, output beyond the cushion is dropped whatever it holds, as the other backends
     * drop what piles up while they start, so the wait does not stay as delay. Starting ends once the
     * queue has come down to the cushion, or after this long.
     */
    private static final long WARMUP_NANOS = 5_000_000_000L;
    private static final long WARMUP_MIN_NANOS = 1_000_000_000L;
    /** A sink buffering more than this (µs) is still sleeping through what it rendered before we came. */
    private static final long SETTLED_SINK_MICROS = 250_000;

    private final AudioCallback bridge;
    private final int rate;
    private final int period;
    private final long periodBytes;
    private final Pointer mainloop;
    private final Pointer context;
    private final Pointer record;
    private final Pointer playback;
    private final Pointer monitor;
    private final Pointer[] streams;
    private final PlaybackCushion cushion;
    private final CpuSaturation machine = CpuSaturation.watch();
    // Device thread only, allocated here so the loop allocates nothing.
    private final Memory peekData = new Memory(8);
    private final Memory peekBytes = new Memory(8);
    private final Memory latencyUsec = new Memory(8);
    private final Memory latencyNegative = new Memory(4);
    private final Memory timingInfo = new Memory(TIMING_INFO_BYTES);
    private final Memory inNative;
    private final Memory outNative;
    private final Memory silenceNative;
    private final float[] captured;
    private final float[] rendered;
    private int capturedFill;
    private long owedFrames;
    private long lastUnderflowIndex = -1;
    private boolean lateDelivery;
    /** The largest burst of input since the last period written: how long the server stalled. */
    private long stallFrames;
    private boolean starting = true;
    /** When the device thread began to wait for the engine's output, or -1 while it is not waiting. */
    private long waitingSince = -1;

    private volatile boolean running;
    private volatile String problem;
    private volatile long xruns;
    private volatile double outputLatencyMs;
    private long startedNanos;
    private Thread thread;

    private PulseStream(AudioCallback bridge, StreamRequest r, Pointer mainloop, Pointer context, Pointer record,
            Pointer playback, Pointer monitor) {
        this.bridge = bridge;
        this.rate = r.sampleRate();
        this.period = r.periodFrames();
        this.periodBytes = 4L * period;
        this.mainloop = mainloop;
        this.context = context;
        this.record = record;
        this.playback = playback;
        this.monitor = monitor;
        this.streams = new Pointer[] {record, playback, monitor};
        // Half a period to start with: in step, the queue the sink finds before each write is then 0 to 1 period.
        this.cushion = new PlaybackCushion(period, period / 2, period, Math.max(period, (int) (CUSHION_CAP_SECONDS * rate)),
                (long) (QUIET_SECONDS * rate), (long) (MERGE_SECONDS * rate), (long) (QUEUE_BOUND_SECONDS * rate),
                (int) (BUSY_CUSHION_SECONDS * rate));
        this.inNative = new Memory(periodBytes);
        this.outNative = new Memory(periodBytes);
        this.silenceNative = new Memory(periodBytes);
        silenceNative.clear();
        this.captured = new float[period];
        this.rendered = new float[period];
        this.outputLatencyMs = 2000.0 * period / rate;
    }

    static PulseStream open(StreamRequest r, AudioCallback bridge) throws AudioDeviceException {
        Pointer m = LibPulse.pa_mainloop_new();
        Pointer c = null;
        Pointer[] streams = new Pointer[3];
        try {
            c = LibPulse.pa_context_new(LibPulse.pa_mainloop_get_api(m), "Voxmorph");
            if (LibPulse.pa_context_connect(c, null, LibPulse.CONTEXT_NOAUTOSPAWN, null) < 0) {
                throw new AudioDeviceException("cannot reach the PulseAudio server: " + error(c));
            }
            awaitReady(m, c, null, null);
            Memory spec = new Memory(12);
            spec.clear();
            spec.setInt(0, LibPulse.SAMPLE_FLOAT32LE);
            spec.setInt(4, r.sampleRate());
            spec.setByte(8, (byte) 1);
            int periodBytes = 4 * r.periodFrames();
            int common = LibPulse.INTERPOLATE_TIMING | LibPulse.AUTO_TIMING_UPDATE;
            streams[0] = LibPulse.pa_stream_new(c, "Voxmorph input", spec, null);
            LibPulse.pa_stream_connect_record(streams[0], device(r.inputDevice()),
                    attr(RECORD_MAX_SECONDS * r.sampleRate() * 4, -1, -1, -1, periodBytes / 2),
                    common | LibPulse.EARLY_REQUESTS | dontMove(r.inputDevice()));
            // Playback restarts as soon as one period is queued after an underrun (prebuf), asks for
            // half a period at a time (minreq, EARLY_REQUESTS: the sink buffers that much, not half of
            // tlength), and has room for the largest cushion (tlength). Input comes in half periods
            // (fragsize) from a source run at its lowest latency (EARLY_REQUESTS; ADJUST_LATENCY would
            // make the source buffer a fragment too: 43 against 27 ms mic-to-output in the echo test).
            int tlength = (int) (CUSHION_CAP_SECONDS * r.sampleRate()) * 4 + 4 * periodBytes;
            streams[1] = LibPulse.pa_stream_new(c, "Voxmorph output", spec, null);
            LibPulse.pa_stream_connect_playback(streams[1], device(r.outputDevice()),
                    attr(-1, tlength, periodBytes, periodBytes / 2, -1), common | LibPulse.EARLY_REQUESTS
                    | dontMove(r.outputDevice()), null, null);
            if (r.monitorDevice() != null) {
                streams[2] = LibPulse.pa_stream_new(c, "Voxmorph monitor", spec, null);
                LibPulse.pa_stream_connect_playback(streams[2], device(r.monitorDevice()),
                        attr(-1, MONITOR_QUEUE_PERIODS * periodBytes, periodBytes, periodBytes / 2, -1),
                        common | LibPulse.EARLY_REQUESTS | dontMove(r.monitorDevice()), null, null);
            }
            awaitReady(m, c, streams, r);
            return new PulseStream(bridge, r, m, c, streams[0], streams[1], streams[2]);
        } catch (AudioDeviceException | RuntimeException e) {
            free(m, c, streams);
            throw e;
        }
    }

    /** A pulse:NAME device is the sink or source NAME; null is the server's default. */
    private static String device(String name) throws AudioDeviceException {
        if (name == null) {
            return null;
        }
        if (!PulseAudio.isPulseName(name)) {
            throw new AudioDeviceException("the pulse backend takes PulseAudio devices, pulse:NAME; '" + name
                    + "' is not one (see: voxmorph devices)");
        }
        return name.substring(PulseAudio.PREFIX.length());
    }

    /**
     * A stream on a device the user named stays there: if the device goes, the stream ends (and is
     * reopened) rather than being moved to the server's default, which may be the speakers.
     */
    private static int dontMove(String name) {
        return name == null ? 0 : LibPulse.DONT_MOVE;
    }

    /** A pa_buffer_attr: five uint32 fields, -1 for the server's choice. */
    private static Memory attr(int maxlength, int tlength, int prebuf, int minreq, int fragsize) {
        Memory a = new Memory(20);
        int[] v = {maxlength, tlength, prebuf, minreq, fragsize};
        for (int i = 0; i < v.length; i++) {
            a.setInt(4L * i, v[i]);
        }
        return a;
    }

    /** Runs the main loop (on the opening thread) until the context, and the streams if given, are ready. */
    private static void awaitReady(Pointer m, Pointer c, Pointer[] streams, StreamRequest r) throws AudioDeviceException {
        long deadline = System.nanoTime() + OPEN_TIMEOUT_NANOS;
        while (true) {
            int cs = LibPulse.pa_context_get_state(c);
            if (cs == LibPulse.CONTEXT_FAILED || cs == LibPulse.CONTEXT_TERMINATED) {
                throw new AudioDeviceException("cannot reach the PulseAudio server: " + error(c));
            }
            boolean ready = cs == LibPulse.CONTEXT_READY;
            if (ready && streams != null) {
                String[] names = {r.inputDevice(), r.outputDevice(), r.monitorDevice()};
                for (int i = 0; i < streams.length; i++) {
                    if (streams[i] == null) {
                        continue;
                    }
                    int ss = LibPulse.pa_stream_get_state(streams[i]);
                    if (ss == LibPulse.STREAM_FAILED || ss == LibPulse.STREAM_TERMINATED) {
                        if (LibPulse.pa_context_errno(c) == PA_ERR_NOENTITY && names[i] != null) {
                            throw new AudioDeviceException(DeviceNames.unknown(PulseBackend.NAME, names[i], i == 0,
                                    PulseAudio.devices(PulseBackend.NAME)));
                        }
                        throw new AudioDeviceException("PulseAudio cannot open the " + (i == 0 ? "input" : "output")
                                + " stream: " + error(c));
                    }
                    ready &= ss == LibPulse.STREAM_READY;
                }
            }
            if (ready) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AudioDeviceException("the PulseAudio server does not answer");
            }
            if (LibPulse.pa_mainloop_prepare(m, 50_000) < 0 || LibPulse.pa_mainloop_poll(m) < 0
                    || LibPulse.pa_mainloop_dispatch(m) < 0) {
                throw new AudioDeviceException("the connection to the PulseAudio server broke: " + error(c));
            }
        }
    }

    private static String error(Pointer c) {
        return LibPulse.pa_strerror(LibPulse.pa_context_errno(c));
    }

    private static void free(Pointer m, Pointer c, Pointer[] streams) {
        for (Pointer s : streams) {
            if (s != null) {
                LibPulse.pa_stream_disconnect(s);
                LibPulse.pa_stream_unref(s);
            }
        }
        if (c != null) {
            LibPulse.pa_context_disconnect(c);
            LibPulse.pa_context_unref(c);
        }
        LibPulse.pa_mainloop_free(m);
    }

    @Override
    public void start() {
        running = true;
        startedNanos = System.nanoTime();
        thread = new Thread(() -> {
            RealtimeThreads.promoteCurrentThread(RealtimeThreads.DEVICE_PRIORITY);
            deviceLoop();
        }, "voxmorph-pulse-io");
        thread.setDaemon(true);
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
    }

    private void deviceLoop() {
        // What arrived between opening and starting is not the user talking to us yet: not kept as delay.
        while (LibPulse.pa_stream_readable_size(record) > 0 && peekAndDrop(false)) {
            // discard
        }
        for (int queued = 0; queued < cushion.targetFrames(); queued += period) {
            LibPulse.pa_stream_write(playback, silenceNative, periodBytes, null, 0, LibPulse.SEEK_RELATIVE);
        }
        boolean waitingForEngine = false;
        while (running) {
            if (LibPulse.pa_mainloop_prepare(mainloop, waitingForEngine ? ENGINE_WAIT_MICROS : IDLE_WAIT_MICROS) < 0
                    || LibPulse.pa_mainloop_poll(mainloop) < 0 || LibPulse.pa_mainloop_dispatch(mainloop) < 0) {
                fail("the connection to the PulseAudio server broke");
                return;
            }
            if (!healthy()) {
                return;
            }
            long before = owedFrames;
            while (LibPulse.pa_stream_readable_size(record) > 0) {
                if (!peekAndDrop(true)) {
                    return;
                }
            }
            if (owedFrames - before > 2L * period) {
                lateDelivery = true; // a burst: the server was late
                stallFrames = Math.max(stallFrames, owedFrames - before);
            }
            waitingForEngine = playOwed();
        }
    }

    /** Takes one fragment of input; with {@code keep}, hands its whole periods to the engine. */
    private boolean peekAndDrop(boolean keep) {
        if (LibPulse.pa_stream_peek(record, peekData, peekBytes) < 0) {
            fail("PulseAudio failed to deliver input");
            return false;
        }
        long bytes = peekBytes.getLong(0);
        if (bytes == 0) {
            return true;
        }
        long address = peekData.getLong(0);
        if (keep) {
            long done = 0;
            while (done < bytes) {
                int frames = (int) Math.min(period - capturedFill, (bytes - done) / 4);
                if (frames <= 0) {
                    break;
                }
                if (address == 0) {
                    // A hole in the input (the server lost some): silence in its place, so the timing holds.
                    java.util.Arrays.fill(captured, capturedFill, capturedFill + frames, 0f);
                } else {
                    LibPulse.LibC.memcpy(inNative, address + done, 4L * frames);
                    inNative.read(0, captured, capturedFill, frames);
                }
                capturedFill += frames;
                done += 4L * frames;
                if (capturedFill == period) {
                    bridge.capture(captured, 0, period);
                    capturedFill = 0;
                    owedFrames += period;
                }
            }
        }
        LibPulse.pa_stream_drop(record);
        return true;
    }

    /**
     * One period of output for each period of input handed over. While the engine is still working
     * through a burst of input (after the server was late) it is given time (returns true: look
     * again in a millisecond) rather than outrun: outrunning it would play a fill and then throw
     * the engine's catch-up away, speech lost, while waiting only delays it (the sink has run dry
     * already or has enough queued). Only an engine that stays behind for
     * {@value #ENGINE_WAIT_NANOS} ns is left to the bridge's late fill.
     */
    private boolean playOwed() {
        while (owedFrames >= period) {
            long queued = queuedFrames();
            if (bridge.ready() < period) {
                long now = System.nanoTime();
                if (waitingSince < 0) {
                    waitingSince = now;
                }
                if (now - waitingSince < ENGINE_WAIT_NANOS) {
                    return true;
                }
            }
            waitingSince = -1;
            bridge.render(rendered, 0, period);
            owedFrames -= period;
            long underflow = LibPulse.pa_stream_get_underflow_index(playback);
            boolean underrun = underflow != lastUnderflowIndex;
            lastUnderflowIndex = underflow;
            boolean started = !starting;
            if (starting) {
                long since = System.nanoTime() - startedNanos;
                boolean sinkAsleep = sinkMicros() > SETTLED_SINK_MICROS;
                boolean down = queued >= 0 && queued <= cushion.targetFrames() + period && !sinkAsleep;
                starting = since < WARMUP_NANOS && !(since > WARMUP_MIN_NANOS && down);
                if (starting && (sinkAsleep || queued >= cushion.targetFrames() + period)) {
                    lateDelivery = false;
                    stallFrames = 0;
                    continue;
                }
            } else if (underrun) {
                xruns++;
            }
            PlaybackCushion.Action action = cushion.next(queued, started && (underrun || lateDelivery),
                    started ? stallFrames : 0, PlaybackCushion.silent(rendered, 0, period), machine.saturated());
            lateDelivery = false;
            stallFrames = 0;
            if (action == PlaybackCushion.Action.DROP) {
                continue;
            }
            if (action == PlaybackCushion.Action.PAD_AND_WRITE) {
                write(silenceNative);
            }
            outNative.write(0, rendered, 0, period);
            write(outNative);
            if (queued >= 0) {
                // What a sample written now waits: the queue ahead of it, itself, and the sink's buffer.
                outputLatencyMs = 1000.0 * (queued + period) / rate + sinkMicros() / 1000.0;
            }
        }
        return false;
    }

    private void write(Memory data) {
        LibPulse.pa_stream_write(playback, data, periodBytes, null, 0, LibPulse.SEEK_RELATIVE);
        if (monitor != null && LibPulse.pa_stream_writable_size(monitor) >= periodBytes) {
            LibPulse.pa_stream_write(monitor, data, periodBytes, null, 0, LibPulse.SEEK_RELATIVE);
        }
    }

    /** Output frames queued in the server ahead of the sink's own buffer, or -1 while not known. */
    private long queuedFrames() {
        if (LibPulse.pa_stream_get_latency(playback, latencyUsec, latencyNegative) < 0) {
            return -1;
        }
        long usec = latencyNegative.getInt(0) != 0 ? 0 : latencyUsec.getLong(0);
        return Math.max(0, (usec - sinkMicros()) * rate / 1_000_000);
    }

    /** The sink's own buffer as the last timing update gave it, in µs. */
    private long sinkMicros() {
        long info = LibPulse.pa_stream_get_timing_info(playback);
        if (info == 0) {
            return 0;
        }
        LibPulse.LibC.memcpy(timingInfo, info, TIMING_INFO_BYTES);
        return timingInfo.getLong(TIMING_SINK_USEC_OFFSET);
    }

    /** A server that went away or a stream that ended (its device removed) ends the loop with a problem said. */
    private boolean healthy() {
        if (LibPulse.pa_context_get_state(context) != LibPulse.CONTEXT_READY) {
            fail("the PulseAudio server went away (" + error(context) + ")");
            return false;
        }
        for (Pointer s : streams) {
            if (s != null && LibPulse.pa_stream_get_state(s) != LibPulse.STREAM_READY) {
                fail("a PulseAudio device went away (" + error(context) + ")");
                return false;
            }
        }
        return true;
    }

    private void fail(String why) {
        if (running) {
            problem = why;
        }
    }

    @Override
    public double inputLatencyMs() {
        return 1000.0 * period / rate;
    }

    @Override
    public double outputLatencyMs() {
        return outputLatencyMs;
    }

    @Override
    public long xruns() {
        return xruns;
    }

    /** An underrun here grows the cushion in the server, where it happened; the engine's reserve would not help. */
    @Override
    public long xrunsForTheEngine() {
        return 0;
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public void close() {
        running = false;
        machine.close();
        Thread t = thread;
        if (t != null) {
            LibPulse.pa_mainloop_wakeup(mainloop);
            try {
                t.join(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                return; // still inside libpulse: a leak beats freeing the loop under it
            }
        }
        free(mainloop, context, streams);
    }
}
