package org.voxmorph.audio.file;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.voxmorph.audio.AudioCallback;
import org.voxmorph.audio.AudioBackend;
import org.voxmorph.audio.AudioDeviceException;
import org.voxmorph.audio.AudioFileException;
import org.voxmorph.audio.AudioStream;
import org.voxmorph.audio.DeviceInfo;
import org.voxmorph.audio.MonoAudio;
import org.voxmorph.audio.StreamRequest;
import org.voxmorph.audio.WavReader;

/**
 * A backend without a sound card, for tests and demos: the "microphone" plays a recording at
 * real-time pace. Found by ServiceLoader it loops the WAV file named by the system property
 * {@value #INPUT_PROPERTY} (only then is it usable, so live mode never picks it on a machine with
 * devices) and its output goes nowhere (the engine's meters and taps still see it). Made for one
 * clip (the demo) it loops it, or plays it once, records what it is given to play, then goes on
 * with silence until closed. The engine runs at the recording's rate.
 */
public final class FileBackend implements AudioBackend {
    public static final String NAME = "file";

    public static final String INPUT_PROPERTY = "voxmorph.file.input";
    static final String OUTPUT = "null";

    /** The clip to play, or null to loop the file the property names. */
    private final MonoAudio clip;
    private final boolean loop;
    private volatile PlayingStream last;

    public FileBackend() {
        this(null, true);
    }

    /**
     * @param clip played as the microphone
     * @param loop over and over until closed; else once, recording the output: see {@link #recorded}
     */
    public FileBackend(MonoAudio clip, boolean loop) {
        this.clip = clip;
        this.loop = loop;
    }

    /** Clip mode: whether the clip has played through. */
    public boolean finished() {
        PlayingStream s = last;
        return s != null && s.finished;
    }

    /** Clip mode: what was played while the clip went in, as long as the clip (one period later). */
    public float[] recorded() {
        PlayingStream s = last;
        return s == null ? new float[0] : s.recorded;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String unavailableReason() {
        return clip == null && inputFile() == null ? "for tests and demos only (-D" + INPUT_PROPERTY + "=FILE.wav plays it as the microphone)" : null;
    }

    private static Path inputFile() {
        String f = System.getProperty(INPUT_PROPERTY);
        return f == null || f.isBlank() ? null : Path.of(f);
    }

    @Override
    public List<DeviceInfo> devices() throws AudioDeviceException {
        String in = clip != null ? "clip" : "file:" + requireInput().getFileName();
        return List.of(new DeviceInfo(name(), in, "file", 1, 0, 0, 0, 0, true, false),
                new DeviceInfo(name(), OUTPUT, "file", 0, 1, 0, 0, 0, false, true));
    }

    private static Path requireInput() throws AudioDeviceException {
        Path in = inputFile();
        if (in == null) {
            throw new AudioDeviceException("the file backend needs -D" + INPUT_PROPERTY + "=FILE.wav");
        }
        return in;
    }

    private MonoAudio read() throws AudioDeviceException {
        if (clip != null) {
            return clip;
        }
        try {
            return WavReader.read(requireInput());
        } catch (AudioFileException e) {
            throw new AudioDeviceException(e.getMessage());
        }
    }

    @Override
    public int sampleRateFor(StreamRequest request) throws AudioDeviceException {
        return read().sampleRate();
    }

    @Override
    public AudioStream open(StreamRequest request, AudioCallback callback) throws AudioDeviceException {
        MonoAudio audio = read();
        String what = clip != null ? "the clip" : requireInput().toString();
        if (audio.samples().length == 0) {
            throw new AudioDeviceException(what + ": has no audio to play");
        }
        if (audio.sampleRate() != request.sampleRate()) {
            throw new AudioDeviceException(what + ": runs at " + audio.sampleRate() + " Hz, not "
                    + request.sampleRate() + " Hz");
        }
        PlayingStream s = new PlayingStream(callback, audio, request.periodFrames(), loop);
        last = s;
        return s;
    }

    /**
     * Plays the recording on its own thread until closed, one period at a time at real-time pace,
     * in a loop or once (then recording the output, then silence). Like the other lockstep backends
     * it renders before it captures, so the engine has a whole period to turn each captured hop
     * into output.
     */
    private static final class PlayingStream implements AudioStream {
        private final AudioCallback bridge;
        private final float[] source;
        private final boolean loop;
        private final float[] recorded;
        private final int period;
        private final long periodNanos;
        private volatile boolean closed;
        private volatile boolean finished;
        private Thread thread;

        PlayingStream(AudioCallback bridge, MonoAudio audio, int period, boolean loop) {
            this.bridge = bridge;
            this.source = audio.samples();
            this.loop = loop;
            this.recorded = loop ? null : new float[source.length];
            this.period = period;
            this.periodNanos = 1_000_000_000L * period / audio.sampleRate();
        }

        @Override
        public synchronized void start() {
            if (thread != null) {
                return;
            }
            thread = new Thread(this::loop, "voxmorph-file-device");
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            float[] in = new float[period];
            float[] out = new float[period];
            int pos = 0;
            long played = -period; // output lags the input by one period
            long next = System.nanoTime();
            while (!closed) {
                bridge.render(out, 0, period);
                if (!loop) {
                    keep(out, played);
                    played += period;
                }
                for (int i = 0; i < period; i++) {
                    in[i] = pos < source.length ? source[pos] : 0f;
                    pos++;
                    if (loop && pos == source.length) {
                        pos = 0;
                    }
                }
                finished = !loop && played >= source.length;
                bridge.capture(in, 0, period);
                next += periodNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        }

        private void keep(float[] out, long at) {
            int from = (int) Math.max(0, -at);
            int to = (int) Math.min(period, source.length - at);
            if (to > from) {
                System.arraycopy(out, from, recorded, (int) at + from, to - from);
            }
        }

        @Override public double inputLatencyMs() { return 0; }
        @Override public double outputLatencyMs() { return 0; }
        @Override public long xruns() { return 0; }
        @Override public String problem() { return null; }

        @Override
        public synchronized void close() {
            closed = true;
            if (thread != null) {
                try {
                    thread.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                thread = null;
            }
        }
    }
}
