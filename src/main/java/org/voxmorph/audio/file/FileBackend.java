package org.voxmorph.audio.file;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.voxmorph.audio.AudioBackend;
import org.voxmorph.audio.AudioDeviceException;
import org.voxmorph.audio.AudioFileException;
import org.voxmorph.audio.AudioStream;
import org.voxmorph.audio.DeviceInfo;
import org.voxmorph.audio.MonoAudio;
import org.voxmorph.audio.StreamRequest;
import org.voxmorph.audio.WavReader;
import org.voxmorph.engine.DeviceBridge;

/**
 * A backend without a sound card, for tests and demos: the "microphone" plays a WAV file over and
 * over at real-time pace and the output goes nowhere (the engine's meters and taps still see it). It is only usable when the system property
 * {@value #INPUT_PROPERTY} names the file, so live mode never picks it on a machine with devices.
 * The engine runs at the file's sample rate.
 */
public final class FileBackend implements AudioBackend {
    public static final String NAME = "file";

    public static final String INPUT_PROPERTY = "voxmorph.file.input";
    static final String OUTPUT = "null";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String unavailableReason() {
        return inputFile() == null ? "for tests and demos only (-D" + INPUT_PROPERTY + "=FILE.wav plays it as the microphone)" : null;
    }

    private static Path inputFile() {
        String f = System.getProperty(INPUT_PROPERTY);
        return f == null || f.isBlank() ? null : Path.of(f);
    }

    @Override
    public List<DeviceInfo> devices() throws AudioDeviceException {
        Path in = requireInput();
        return List.of(new DeviceInfo(name(), "file:" + in.getFileName(), "file", 1, 0, 0, 0, 0, true, false),
                new DeviceInfo(name(), OUTPUT, "file", 0, 1, 0, 0, 0, false, true));
    }

    private static Path requireInput() throws AudioDeviceException {
        Path in = inputFile();
        if (in == null) {
            throw new AudioDeviceException("the file backend needs -D" + INPUT_PROPERTY + "=FILE.wav");
        }
        return in;
    }

    private static MonoAudio read() throws AudioDeviceException {
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
    public AudioStream open(StreamRequest request, DeviceBridge bridge) throws AudioDeviceException {
        MonoAudio audio = read();
        if (audio.samples().length == 0) {
            throw new AudioDeviceException(requireInput() + ": has no audio to play");
        }
        if (audio.sampleRate() != request.sampleRate()) {
            throw new AudioDeviceException(requireInput() + ": runs at " + audio.sampleRate() + " Hz, not "
                    + request.sampleRate() + " Hz");
        }
        return new LoopingStream(bridge, audio, request.periodFrames());
    }

    /**
     * Plays the recording in a loop on its own thread until closed, one period at a time at
     * real-time pace. Like the other lockstep backends it renders before it captures, so the
     * engine has a whole period to turn each captured hop into output. ({@link
     * org.voxmorph.audio.FileDevice} captures first and plays one clip once: right for the demo,
     * which wants the whole recording back, but it leaves live mode no time and so counts late blocks.)
     */
    private static final class LoopingStream implements AudioStream {
        private final DeviceBridge bridge;
        private final float[] source;
        private final int period;
        private final long periodNanos;
        private volatile boolean closed;
        private Thread thread;

        LoopingStream(DeviceBridge bridge, MonoAudio audio, int period) {
            this.bridge = bridge;
            this.source = audio.samples();
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
            long next = System.nanoTime();
            while (!closed) {
                bridge.render(out, 0, period);
                for (int i = 0; i < period; i++) {
                    in[i] = source[pos];
                    pos = pos + 1 == source.length ? 0 : pos + 1;
                }
                bridge.capture(in, 0, period);
                next += periodNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
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
