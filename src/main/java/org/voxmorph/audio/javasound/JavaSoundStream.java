package org.voxmorph.audio.javasound;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;
import org.voxmorph.audio.RealtimeThreads;
import org.voxmorph.audio.AudioCallback;
import org.voxmorph.audio.AudioDeviceException;
import org.voxmorph.audio.AudioStream;
import org.voxmorph.audio.MonitorFeed;
import org.voxmorph.audio.PulseAudio;
import org.voxmorph.audio.Samples;
import org.voxmorph.audio.StreamRequest;

/**
 * One capture line and one or two playback lines, each served by its own thread doing blocking
 * reads or writes: that thread is the device thread, and it only converts and copies.
 *
 * <p>ALSA lines through PulseAudio stall for about 0.6 s after start while the server buffers
 * what the microphone captures, then deliver all of it at once: half a second of backlog that
 * would stay as delay for good. During the first {@value #DRAIN_SECONDS} s after sound starts
 * flowing, the capture thread therefore drops whatever arrives faster than real time.
 */
final class JavaSoundStream implements AudioStream {
    private static final double DRAIN_SECONDS = 2;
    private static final long WARMUP_NANOS = 3_000_000_000L;

    private final AudioCallback bridge;
    private final int period;
    private final int rate;
    private final TargetDataLine capture;
    private final SourceDataLine playback;
    private final SourceDataLine monitor;
    private final MonitorFeed monitorFeed;
    private volatile boolean running;
    private volatile String problem;
    private volatile long xruns;
    private volatile long startedNanos;
    private Thread[] threads = new Thread[0];

    private JavaSoundStream(AudioCallback bridge, int rate, int period, TargetDataLine capture, SourceDataLine playback,
            SourceDataLine monitor) {
        this.bridge = bridge;
        this.rate = rate;
        this.period = period;
        this.capture = capture;
        this.playback = playback;
        this.monitor = monitor;
        this.monitorFeed = monitor == null ? null : new MonitorFeed(rate, 2 * period);
    }

    static JavaSoundStream open(JavaSoundBackend backend, StreamRequest r, AudioCallback bridge) throws AudioDeviceException {
        int period = r.periodFrames();
        TargetDataLine in = null;
        SourceDataLine out = null;
        SourceDataLine mon = null;
        try {
            Mixer inMixer = backend.mixerFor(r.inputDevice(), TargetDataLine.class);
            Mixer outMixer = backend.mixerFor(r.outputDevice(), SourceDataLine.class);
            Mixer monMixer = r.monitorDevice() == null ? null : backend.mixerFor(r.monitorDevice(), SourceDataLine.class);
            PulseAudio.route("PULSE_SOURCE", r.inputDevice());
            in = (TargetDataLine) openLine(inMixer, TargetDataLine.class, r.inputDevice(), r.sampleRate(), 4 * period);
            PulseAudio.route("PULSE_SINK", r.outputDevice());
            out = (SourceDataLine) openLine(outMixer, SourceDataLine.class, r.outputDevice(), r.sampleRate(), 3 * period);
            if (monMixer != null) {
                PulseAudio.route("PULSE_SINK", r.monitorDevice());
                mon = (SourceDataLine) openLine(monMixer, SourceDataLine.class, r.monitorDevice(), r.sampleRate(), 3 * period);
            }
            PulseAudio.promoteClientThreads();
            return new JavaSoundStream(bridge, r.sampleRate(), period, in, out, mon);
        } catch (AudioDeviceException e) {
            closeAll(in, out, mon);
            throw e;
        } finally {
            PulseAudio.route("PULSE_SOURCE", null);
            PulseAudio.route("PULSE_SINK", null);
        }
    }

    /** Mono if the device takes it, else stereo; 16-bit because every ALSA device takes that. */
    private static DataLine openLine(Mixer mixer, Class<? extends DataLine> type, String name, int rate, int bufferFrames)
            throws AudioDeviceException {
        String label = (type == TargetDataLine.class ? "input" : "output") + " '" + (name == null ? "default" : name) + "'";
        LineUnavailableException last = null;
        for (int channels : new int[] {1, 2}) {
            AudioFormat format = new AudioFormat(rate, 16, channels, true, false);
            DataLine.Info info = new DataLine.Info(type, format);
            if (!mixer.isLineSupported(info)) {
                continue;
            }
            try {
                DataLine line = (DataLine) mixer.getLine(info);
                if (line instanceof TargetDataLine t) {
                    t.open(format, bufferFrames * format.getFrameSize());
                } else {
                    ((SourceDataLine) line).open(format, bufferFrames * format.getFrameSize());
                }
                return line;
            } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
                last = e instanceof LineUnavailableException l ? l : new LineUnavailableException(e.getMessage());
            }
        }
        throw new AudioDeviceException("cannot open " + label + " at " + rate + " Hz on javasound"
                + (last != null && last.getMessage() != null ? ": " + last.getMessage() : ": the device does not take 16-bit PCM at that rate"));
    }

    @Override
    public void start() {
        running = true;
        startedNanos = System.nanoTime();
        capture.flush();
        capture.start();
        playback.start();
        Thread in = deviceThread(this::captureLoop, "voxmorph-javasound-in");
        Thread out = deviceThread(this::playbackLoop, "voxmorph-javasound-out");
        if (monitor != null) {
            monitor.start();
            threads = new Thread[] {in, out, deviceThread(this::monitorLoop, "voxmorph-javasound-monitor")};
        } else {
            threads = new Thread[] {in, out};
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

    private boolean warm() {
        return System.nanoTime() - startedNanos > WARMUP_NANOS;
    }

    private void captureLoop() {
        int frameSize = capture.getFormat().getFrameSize();
        int channels = capture.getFormat().getChannels();
        byte[] bytes = new byte[period * frameSize];
        float[] samples = new float[period];
        long flowingSince = 0;
        long kept = 0;
        while (running) {
            int got = capture.read(bytes, 0, bytes.length);
            if (!running) {
                break;
            }
            if (got < bytes.length) {
                problem = "the input device stopped delivering sound";
                break;
            }
            long now = System.nanoTime();
            if (flowingSince == 0) {
                flowingSince = now;
            }
            double flowing = (now - flowingSince) / 1e9;
            if (flowing < DRAIN_SECONDS && kept > flowing * rate + 2 * period) {
                continue;  // backlog from the start-up stall: older than real time allows
            }
            if (warm() && capture.available() >= capture.getBufferSize()) {
                xruns++;  // the line was full: the device had to drop what came next
            }
            kept += period;
            Samples.s16leToMono(bytes, period, channels, samples);
            bridge.capture(samples, 0, period);
        }
    }

    private void playbackLoop() {
        int frameSize = playback.getFormat().getFrameSize();
        int channels = playback.getFormat().getChannels();
        byte[] bytes = new byte[period * frameSize];
        float[] samples = new float[period];
        int bufferBytes = playback.getBufferSize();
        while (running) {
            bridge.render(samples, 0, period);
            if (monitorFeed != null) {
                monitorFeed.offer(samples, 0, period);
            }
            Samples.monoToS16le(samples, period, channels, bytes);
            // An empty device buffer just before we write means it ran dry: an underrun.
            if (warm() && playback.available() >= bufferBytes) {
                xruns++;
            }
            int put = playback.write(bytes, 0, bytes.length);
            if (running && put < bytes.length) {
                problem = "the output device stopped taking sound";
                break;
            }
        }
    }

    private void monitorLoop() {
        int frameSize = monitor.getFormat().getFrameSize();
        int channels = monitor.getFormat().getChannels();
        byte[] bytes = new byte[period * frameSize];
        float[] samples = new float[period];
        while (running) {
            monitorFeed.take(samples, 0, period);
            Samples.monoToS16le(samples, period, channels, bytes);
            if (monitor.write(bytes, 0, bytes.length) < bytes.length && running) {
                problem = "the monitor device stopped taking sound";
                break;
            }
        }
    }

    @Override
    public double inputLatencyMs() {
        return 1000.0 * period / rate;
    }

    @Override
    public double outputLatencyMs() {
        return 1000.0 * playback.getBufferSize() / playback.getFormat().getFrameSize() / rate;
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
        // Closing a line wakes a thread blocked in read or write.
        closeAll(capture, playback, monitor);
        for (Thread t : threads) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeAll(DataLine... lines) {
        for (DataLine l : lines) {
            if (l != null) {
                l.stop();
                l.close();
            }
        }
    }
}
