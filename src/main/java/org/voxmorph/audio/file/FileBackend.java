package org.voxmorph.audio.file;

import java.nio.file.Path;
import java.util.List;
import org.voxmorph.audio.AudioBackend;
import org.voxmorph.audio.AudioDeviceException;
import org.voxmorph.audio.AudioFileException;
import org.voxmorph.audio.AudioStream;
import org.voxmorph.audio.DeviceInfo;
import org.voxmorph.audio.FileDevice;
import org.voxmorph.audio.MonoAudio;
import org.voxmorph.audio.StreamRequest;
import org.voxmorph.audio.WavReader;
import org.voxmorph.engine.DeviceBridge;

/**
 * A backend without a sound card, for tests and demos: the "microphone" plays a WAV file over and
 * over at real-time pace and the output goes nowhere. It is only usable when the system property
 * {@value #INPUT_PROPERTY} names the file, so live mode never picks it on a machine with devices.
 * The engine runs at the file's sample rate.
 */
public final class FileBackend implements AudioBackend {
    public static final String INPUT_PROPERTY = "voxmorph.file.input";
    static final String OUTPUT = "null";

    @Override
    public String name() {
        return "file";
    }

    @Override
    public String unavailableReason() {
        return inputFile() == null ? "set -D" + INPUT_PROPERTY + "=FILE.wav to play a recording as the microphone" : null;
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
        if (audio.sampleRate() != request.sampleRate()) {
            throw new AudioDeviceException(requireInput() + ": runs at " + audio.sampleRate() + " Hz, not "
                    + request.sampleRate() + " Hz");
        }
        return new LoopingStream(bridge, audio, request.periodFrames());
    }

    /** Plays the recording in a loop on its own thread until closed. */
    private static final class LoopingStream implements AudioStream {
        private final DeviceBridge bridge;
        private final MonoAudio audio;
        private final int period;
        private volatile boolean closed;
        private volatile FileDevice device;
        private Thread thread;

        LoopingStream(DeviceBridge bridge, MonoAudio audio, int period) {
            this.bridge = bridge;
            this.audio = audio;
            this.period = period;
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
            while (!closed) {
                device = new FileDevice(bridge, audio.samples(), audio.sampleRate(), period);
                if (closed) {
                    return;
                }
                device.run();
            }
        }

        @Override public double inputLatencyMs() { return 0; }
        @Override public double outputLatencyMs() { return 0; }
        @Override public long xruns() { return 0; }
        @Override public String problem() { return null; }

        @Override
        public synchronized void close() {
            closed = true;
            FileDevice d = device;
            if (d != null) {
                d.stop();
            }
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
