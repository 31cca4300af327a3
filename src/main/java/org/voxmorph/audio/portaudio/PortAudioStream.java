package org.voxmorph.audio.portaudio;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import org.voxmorph.audio.RealtimeThreads;
import org.voxmorph.audio.AudioCallback;
import org.voxmorph.audio.AudioDeviceException;
import org.voxmorph.audio.AudioStream;
import org.voxmorph.audio.MonitorFeed;
import org.voxmorph.audio.PulseAudio;
import org.voxmorph.audio.QuietStderr;
import org.voxmorph.audio.StreamRequest;

/**
 * A full-duplex blocking PortAudio stream served by one device thread (read a period, hand it
 * over, render a period, write it), plus an output-only stream for the monitor. Blocking streams
 * rather than callbacks because a JNA callback allocates on every call; a blocking call with
 * preallocated native buffers does not.
 */
final class PortAudioStream implements AudioStream {
    /** PulseAudio stalls a new stream for up to two seconds: the xruns that causes are not news. */
    private static final long WARMUP_NANOS = 3_000_000_000L;

    private final AudioCallback bridge;
    private final int period;
    private final Pointer duplex;
    private final int inChannels;
    private final int outChannels;
    private final Pointer monitor;
    private final MonitorFeed monitorFeed;
    private final double inputLatencyMs;
    private final double outputLatencyMs;
    private volatile boolean running;
    private volatile String problem;
    private volatile long xruns;
    private volatile long startedNanos;
    private Thread[] threads = new Thread[0];

    private PortAudioStream(AudioCallback bridge, int period, Pointer duplex, int inChannels, int outChannels, Pointer monitor,
            int rate) {
        this.bridge = bridge;
        this.period = period;
        this.duplex = duplex;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.monitor = monitor;
        this.monitorFeed = monitor == null ? null : new MonitorFeed(rate, 2 * period);
        PortAudio.StreamInfo info = new PortAudio.StreamInfo(PortAudio.Pa_GetStreamInfo(duplex));
        this.inputLatencyMs = 1000 * info.inputLatency;
        this.outputLatencyMs = 1000 * info.outputLatency;
    }

    static PortAudioStream open(PortAudioBackend backend, StreamRequest r, AudioCallback bridge) throws AudioDeviceException {
        int in = backend.deviceIndex(r.inputDevice(), true);
        int out = backend.deviceIndex(r.outputDevice(), false);
        int mon = r.monitorDevice() == null ? -1 : backend.deviceIndex(r.monitorDevice(), false);
        // Ask for what one period needs; PortAudio grants at least the device's minimum.
        double latency = (double) r.periodFrames() / r.sampleRate();
        Pointer duplex = null;
        Pointer monitorStream = null;
        try {
            PulseAudio.route("PULSE_SOURCE", r.inputDevice());
            PulseAudio.route("PULSE_SINK", r.outputDevice());
            int[] channels = new int[2];
            duplex = openFirstWorking(in, out, r.sampleRate(), r.periodFrames(), latency, channels);
            if (mon >= 0) {
                PulseAudio.route("PULSE_SINK", r.monitorDevice());
                int[] monChannels = new int[2];
                monitorStream = openFirstWorking(-1, mon, r.sampleRate(), r.periodFrames(), latency, monChannels);
                if (monChannels[1] != 1) {
                    throw new AudioDeviceException("the monitor device '" + r.monitorDevice() + "' takes no mono stream");
                }
            }
            PulseAudio.promoteClientThreads();
            PortAudioBackend.streamOpened();
            return new PortAudioStream(bridge, r.periodFrames(), duplex, channels[0], channels[1], monitorStream, r.sampleRate());
        } catch (AudioDeviceException e) {
            for (Pointer p : new Pointer[] {duplex, monitorStream}) {
                if (p != null) {
                    PortAudio.Pa_CloseStream(p);
                }
            }
            throw e;
        } finally {
            PulseAudio.route("PULSE_SOURCE", null);
            PulseAudio.route("PULSE_SINK", null);
        }
    }

    /** Mono where the device takes it, else stereo; the channel counts used go into {@code channels}. */
    private static Pointer openFirstWorking(int in, int out, int rate, int period, double latency, int[] channels)
            throws AudioDeviceException {
        int rc = 0;
        for (int ch : new int[] {1, 2}) {
            PortAudio.StreamParameters inP = in < 0 ? null : new PortAudio.StreamParameters(in, ch, latency);
            PortAudio.StreamParameters outP = new PortAudio.StreamParameters(out, ch, latency);
            PointerByReference ref = new PointerByReference();
            rc = QuietStderr.run(() -> PortAudio.Pa_OpenStream(ref, inP, outP, rate, new NativeLong(period),
                    new NativeLong(PortAudio.PA_CLIP_OFF), null, null));
            if (rc == PortAudio.PA_NO_ERROR) {
                channels[0] = ch;
                channels[1] = ch;
                return ref.getValue();
            }
        }
        throw new AudioDeviceException("PortAudio cannot open the devices at " + rate + " Hz: " + PortAudio.Pa_GetErrorText(rc));
    }

    @Override
    public void start() throws AudioDeviceException {
        check(PortAudio.Pa_StartStream(duplex));
        if (monitor != null) {
            check(PortAudio.Pa_StartStream(monitor));
        }
        running = true;
        startedNanos = System.nanoTime();
        Thread io = deviceThread(this::duplexLoop, "voxmorph-portaudio-io");
        threads = monitor == null ? new Thread[] {io} : new Thread[] {io, deviceThread(this::monitorLoop, "voxmorph-portaudio-monitor")};
    }

    private static void check(int rc) throws AudioDeviceException {
        if (rc != PortAudio.PA_NO_ERROR) {
            throw new AudioDeviceException("PortAudio cannot start the stream: " + PortAudio.Pa_GetErrorText(rc));
        }
    }

    private static Thread deviceThread(Runnable loop, String name) {
        Thread t = new Thread(() -> {
            RealtimeThreads.promoteCurrentThread(RealtimeThreads.DEVICE_PRIORITY);
            loop.run();
        }, name);
        t.setDaemon(true);
        t.setPriority(Thread.MAX_PRIORITY);
        t.start();
        return t;
    }

    private void duplexLoop() {
        Memory inBuf = new Memory(2L * period * inChannels);
        Memory outBuf = new Memory(2L * period * outChannels);
        short[] inShorts = new short[period * inChannels];
        short[] outShorts = new short[period * outChannels];
        float[] samples = new float[period];
        float[] rendered = new float[period];
        long frames = period;
        // One period of silence first, so that the first write does not find the device empty.
        outBuf.clear();
        PortAudio.Pa_WriteStream(duplex, outBuf, frames);
        while (running) {
            // Reads and writes go in lockstep, so input that piled up (PulseAudio stalls the stream
            // for about a second when it starts) would stay as delay for good: drop it.
            while (PortAudio.Pa_GetStreamReadAvailable(duplex) > 2 * period && running) {
                if (!ok(PortAudio.Pa_ReadStream(duplex, inBuf, frames))) {
                    return;
                }
            }
            int rc = PortAudio.Pa_ReadStream(duplex, inBuf, frames);
            if (!ok(rc)) {
                break;
            }
            // Render before handing over this period's input: the engine has had a whole period to
            // process the last one, and the bridge sees it caught up rather than late.
            bridge.render(rendered, 0, period);
            inBuf.read(0, inShorts, 0, inShorts.length);
            for (int i = 0; i < period; i++) {
                int sum = 0;
                for (int c = 0; c < inChannels; c++) {
                    sum += inShorts[i * inChannels + c];
                }
                samples[i] = sum / (32768f * inChannels);
            }
            bridge.capture(samples, 0, period);
            if (monitorFeed != null) {
                monitorFeed.offer(rendered, 0, period);
            }
            toShorts(rendered, outShorts, outChannels);
            outBuf.write(0, outShorts, 0, outShorts.length);
            if (!ok(PortAudio.Pa_WriteStream(duplex, outBuf, frames))) {
                break;
            }
        }
    }

    private void monitorLoop() {
        Memory buf = new Memory(2L * period);
        short[] shorts = new short[period];
        float[] samples = new float[period];
        long frames = period;
        while (running) {
            monitorFeed.take(samples, 0, period);
            toShorts(samples, shorts, 1);
            buf.write(0, shorts, 0, period);
            if (!ok(PortAudio.Pa_WriteStream(monitor, buf, frames))) {
                break;
            }
        }
    }

    /** Over- and underflows are counted and carried on from; any other error ends the stream. */
    private boolean ok(int rc) {
        if (rc == PortAudio.PA_NO_ERROR) {
            return true;
        }
        if (rc == PortAudio.PA_INPUT_OVERFLOWED || rc == PortAudio.PA_OUTPUT_UNDERFLOWED) {
            if (System.nanoTime() - startedNanos > WARMUP_NANOS) {
                xruns++;
            }
            return true;
        }
        if (running) {
            problem = "the device failed: " + PortAudio.Pa_GetErrorText(rc);
        }
        return false;
    }

    private static void toShorts(float[] x, short[] out, int channels) {
        int n = out.length / channels;
        for (int i = 0; i < n; i++) {
            short s = (short) Math.round(Math.max(-1f, Math.min(1f, x[i])) * 32767f);
            for (int c = 0; c < channels; c++) {
                out[i * channels + c] = s;
            }
        }
    }

    @Override
    public double inputLatencyMs() {
        return inputLatencyMs;
    }

    @Override
    public double outputLatencyMs() {
        return outputLatencyMs;
    }

    @Override
    public long xruns() {
        return xruns;
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public void close() {
        running = false;
        // The device thread leaves its loop within a period; stopping the stream under it makes ALSA complain.
        boolean left = joinDeviceThreads(500);
        for (Pointer p : new Pointer[] {duplex, monitor}) {
            if (p != null) {
                QuietStderr.run(() -> PortAudio.Pa_AbortStream(p));
            }
        }
        // A device thread blocked in a read or write (its sink vanished under it) is woken by the abort;
        // the stream is freed only once no thread is inside it, or never: a leak beats a crash.
        if (left || joinDeviceThreads(2000)) {
            for (Pointer p : new Pointer[] {duplex, monitor}) {
                if (p != null) {
                    PortAudio.Pa_CloseStream(p);
                }
            }
        }
        PortAudioBackend.streamClosed();
    }

    /** @return whether every device thread has ended */
    private boolean joinDeviceThreads(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return java.util.Arrays.stream(threads).noneMatch(Thread::isAlive);
    }
}
