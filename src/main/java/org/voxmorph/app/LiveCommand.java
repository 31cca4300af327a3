package org.voxmorph.app;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.voxmorph.audio.AudioBackend;
import org.voxmorph.audio.AudioDeviceException;
import org.voxmorph.audio.AudioStream;
import org.voxmorph.audio.StreamRequest;
import org.voxmorph.audio.file.FileBackend;
import org.voxmorph.audio.PulseAudio;
import org.voxmorph.device.VirtualMicTarget;
import org.voxmorph.device.VirtualMicrophone;
import org.voxmorph.device.VirtualMicrophones;
import org.voxmorph.engine.CubicRateResampler;
import org.voxmorph.engine.DeviceBridge;
import org.voxmorph.engine.DriftCorrector;
import org.voxmorph.engine.Engine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "live", description = "Capture the microphone, run the chain and play the result, with a status line "
        + "every second. Ctrl-C stops.")
public final class LiveCommand implements Callable<Integer> {
    /** A device that goes away is tried again this often, while the engine keeps running. */
    private static final long REOPEN_EVERY_MILLIS = 1000;
    /** A device that stops moving for this long is treated as gone, even if it reported nothing. */
    private static final long STALL_MILLIS = 2000;
    private static final int MAX_DEVICE_FRAMES = 8192;

    @Mixin
    VoiceOptions voice = new VoiceOptions();

    @Option(names = "--input", paramLabel = "DEV", description = "Input device (default: the system's); see: voxmorph devices")
    String input;

    @Option(names = "--output", paramLabel = "DEV", description = "Output device (default: the system's)")
    String output;

    @Option(names = "--virtual-mic", description = "Play into the Voxmorph virtual microphone (created if needed)")
    boolean virtualMic;

    @Option(names = "--monitor", paramLabel = "DEV", description = "Also play the result here, e.g. headphones (hear yourself)")
    String monitor;

    @Option(names = "--block-ms", paramLabel = "N", defaultValue = "10", description = "Engine hop and device period in ms, 1..100 (default: ${DEFAULT-VALUE})")
    double blockMs = 10;

    @Option(names = "--backend", paramLabel = "NAME", description = "javasound, portaudio or jack (default: the first that works here)")
    String backendName;

    @Option(names = "--rate", paramLabel = "HZ", defaultValue = "48000", description = "Engine sample rate wanted; "
            + "a rate the devices refuse is replaced by one they take (default: ${DEFAULT-VALUE})")
    int rate = 48000;

    @Option(names = "--seconds", paramLabel = "S", description = "Stop after S seconds (default: run until Ctrl-C)")
    Double seconds;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    /**
     * Why no backend can be used here, in one line ("no sound device (...)"), or null when one can:
     * plain {@code voxmorph} runs the demo instead of live mode when this is not null.
     */
    public static String noSoundDevice() {
        try {
            backend(null);
            return null;
        } catch (CliError e) {
            return e.getMessage();
        }
    }

    /** The backend to use: the named one, or the first available in the order the service file lists them. */
    static AudioBackend backend(String name) {
        List<String> reasons = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (AudioBackend b : ServiceLoader.load(AudioBackend.class)) {
            names.add(b.name());
            if (name != null && !b.name().equals(name)) {
                continue;
            }
            String why = b.unavailableReason();
            if (why == null) {
                return b;
            }
            if (name != null || !b.name().equals(FileBackend.NAME)) {
                // The file backend is for tests and demos: not worth a word when no device is found.
                reasons.add(b.name() + ": " + why);
            }
        }
        if (name != null && !names.contains(name)) {
            throw new CliError("unknown --backend '" + name + "'; there are: " + String.join(", ", names));
        }
        throw new CliError("no sound device (" + String.join("; ", reasons) + ")");
    }

    @Override
    public Integer call() throws Exception {
        if (blockMs < 1 || blockMs > 100) {
            throw new CliError("--block-ms " + blockMs + " is outside 1..100");
        }
        if (rate < 8000 || rate > 192000) {
            throw new CliError("--rate " + rate + " is outside 8000..192000 Hz");
        }
        if (virtualMic && output != null) {
            throw new CliError("--virtual-mic and --output both choose the output; give one");
        }
        AudioBackend backend = backend(backendName);
        VirtualMicrophone mic = null;
        String out = output;
        if (virtualMic) {
            mic = VirtualMicrophones.forThisSystem(backend::devices);
            out = virtualMicOutput(mic, backend);
        }
        try {
            run(backend, out);
        } finally {
            if (mic != null) {
                mic.release();
            }
        }
        return 0;
    }

    /** Creates the virtual microphone if needed and returns the output device that feeds it. */
    private static String virtualMicOutput(VirtualMicrophone mic, AudioBackend backend) {
        VirtualMicTarget target;
        try {
            target = mic.ensure();
        } catch (AudioDeviceException e) {
            throw new CliError("cannot set up the virtual microphone: " + e.getMessage());
        }
        target.notices().forEach(n -> System.err.println("voxmorph: " + n));
        if (target.kind() == VirtualMicTarget.Kind.OUTPUT_DEVICE) {
            return target.outputDevice();
        }
        if (backend.name().equals("jack")) {
            throw new CliError("--virtual-mic feeds a PulseAudio/PipeWire sink; use --backend portaudio or javasound "
                    + "(or connect JACK ports to it yourself with --output)");
        }
        return PulseAudio.PREFIX + target.outputDevice();
    }

    private void run(AudioBackend backend, String out) throws Exception {
        int period = Math.max(16, (int) Math.round(blockMs * rate / 1000));
        StreamRequest wanted = new StreamRequest(input, out, monitor, rate, period);
        int granted;
        try {
            granted = backend.sampleRateFor(wanted);
        } catch (AudioDeviceException e) {
            throw new CliError(e.getMessage());
        }
        if (granted != rate) {
            System.err.printf("voxmorph: the devices do not take %d Hz; running at %d Hz%n", rate, granted);
            period = Math.max(16, (int) Math.round(blockMs * granted / 1000));
        }
        StreamRequest request = new StreamRequest(input, out, monitor, granted, period);
        try (Engine engine = new Engine(voice.buildChain(), granted, period, granted)) {
            ConvertCommand.reportFailures(engine.chain());
            DeviceBridge bridge = new DeviceBridge(engine, MAX_DEVICE_FRAMES, DeviceBridge.LatePolicy.PASSTHROUGH);
            engine.correctDrift(new DriftCorrector(bridge, new CubicRateResampler(period), period,
                    DriftCorrector.defaultTargetSlack(granted)));
            AudioStream stream;
            try {
                stream = backend.open(request, bridge);
            } catch (AudioDeviceException e) {
                throw new CliError(e.getMessage());
            }
            Thread hook = new Thread(this::stopFromSignal, "voxmorph-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                engine.start();
                stream.start();
                System.err.printf("voxmorph: live on %s at %d Hz, %d-frame blocks, preset '%s': %s -> %s%s%n",
                        backend.name(), granted, period, voice.presetName(), name(input), name(out),
                        monitor == null ? "" : " and " + monitor);
                stream = superviseUntilStopped(backend, request, bridge, engine, stream);
            } finally {
                if (stream != null) {
                    stream.close();
                }
                engine.stop();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook is already running and waits for us.
                }
            }
        }
    }

    private static String name(String device) {
        return device == null ? "default" : device;
    }

    /** Ctrl-C: ask the main loop to stop and give it a moment to close the devices (and the virtual mic). */
    private void stopFromSignal() {
        stopRequested.countDown();
        try {
            stopped.await(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Main thread: prints the status once a second and watches the devices. A device that fails or
     * stalls is closed and reopened every second until it is back; the engine runs on meanwhile.
     *
     * @return the stream open at the end (null if the devices were gone)
     */
    private AudioStream superviseUntilStopped(AudioBackend backend, StreamRequest request, DeviceBridge bridge,
            Engine engine, AudioStream stream) throws InterruptedException {
        long end = seconds == null ? Long.MAX_VALUE : System.nanoTime() + (long) (seconds * 1e9);
        long lastMoved = System.nanoTime();
        long lastCaptured = -1;
        long lastRendered = -1;
        long xrunsBefore = 0;
        long[] xrunsNow = {0};
        StatusLine status = new StatusLine(engine, bridge, stream.inputLatencyMs() + stream.outputLatencyMs(),
                () -> xrunsNow[0]);
        while (System.nanoTime() < end) {
            long wait = Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000));
            if (stopRequested.await(wait, TimeUnit.MILLISECONDS)) {
                break;
            }
            if (stream != null) {
                xrunsNow[0] = xrunsBefore + stream.xruns();
                long captured = bridge.capturedFrames();
                long rendered = bridge.renderedFrames();
                if (captured != lastCaptured && rendered != lastRendered) {
                    lastMoved = System.nanoTime();
                }
                lastCaptured = captured;
                lastRendered = rendered;
                String problem = stream.problem();
                if (problem == null && System.nanoTime() - lastMoved > STALL_MILLIS * 1_000_000) {
                    problem = "the devices stopped moving";
                }
                if (problem != null) {
                    System.err.println("voxmorph: " + problem + "; reopening when it is back (the engine keeps running)");
                    xrunsBefore = xrunsNow[0];
                    stream.close();
                    stream = null;
                }
            }
            if (stream == null) {
                stream = reopen(backend, request, bridge);
                lastMoved = System.nanoTime();
            }
            System.err.println(status.next());
        }
        return stream;
    }

    private static AudioStream reopen(AudioBackend backend, StreamRequest request, DeviceBridge bridge) throws InterruptedException {
        try {
            AudioStream s = backend.open(request, bridge);
            s.start();
            System.err.println("voxmorph: the devices are back");
            return s;
        } catch (AudioDeviceException e) {
            Thread.sleep(REOPEN_EVERY_MILLIS / 2);
            return null;
        }
    }
}
