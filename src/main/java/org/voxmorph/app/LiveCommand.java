package org.voxmorph.app;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.voxmorph.audio.AudioBackend;
import org.voxmorph.audio.AudioBackends;
import org.voxmorph.audio.AudioDeviceException;
import org.voxmorph.audio.RealtimeThreads;
import org.voxmorph.audio.StreamRequest;
import org.voxmorph.chain.Chain;
import org.voxmorph.device.VirtualMicTarget;
import org.voxmorph.device.VirtualMicrophone;
import org.voxmorph.device.VirtualMicrophones;
import org.voxmorph.engine.LiveRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "live", mixinStandardHelpOptions = true, description = "Capture the microphone, run the chain and play the result, with a status line "
        + "every second. Ctrl-C stops.")
public final class LiveCommand implements Callable<Integer> {
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

    @Option(names = "--backend", paramLabel = "NAME", description = "pulse, portaudio, javasound or jack (default: the first that works here)")
    String backendName;

    @Option(names = "--rate", paramLabel = "HZ", defaultValue = "48000", description = "Engine sample rate wanted; "
            + "a rate the devices refuse is replaced by one they take (default: ${DEFAULT-VALUE})")
    int rate = 48000;

    @Option(names = "--seconds", paramLabel = "S", description = "Stop after S seconds (default: run until Ctrl-C)")
    Double seconds;

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        try {
            return run();
        } finally {
            stopped.countDown();
        }
    }

    private int run() throws Exception {
        if (blockMs < 1 || blockMs > 100) {
            throw new CliError("--block-ms " + blockMs + " is outside 1..100");
        }
        if (rate < 8000 || rate > 192000) {
            throw new CliError("--rate " + rate + " is outside 8000..192000 Hz");
        }
        if (virtualMic && output != null) {
            throw new CliError("--virtual-mic and --output both choose the output; give one");
        }
        AudioBackend backend;
        try {
            backend = AudioBackends.pick(backendName);
        } catch (AudioDeviceException e) {
            throw new CliError(e.getMessage().replace("unknown backend", "unknown --backend"));
        }
        Chain chain = voice.buildChain();
        ConvertCommand.reportFailures(chain);
        VirtualMicrophone mic = virtualMic ? VirtualMicrophones.forThisSystem(backend::devices) : null;
        Thread hook = new Thread(this::stopFromSignal, "voxmorph-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            String out = output;
            if (mic != null) {
                VirtualMicTarget target = mic.ensure();
                target.notices().forEach(n -> System.err.println("voxmorph: " + n));
                out = target.outputFor(backend.name());
            }
            StreamRequest wanted = new StreamRequest(input, out, monitor, rate, LiveRunner.periodFor(blockMs, rate));
            try (LiveRunner runner = LiveRunner.start(backend, wanted, chain, repairing(mic),
                    event -> System.err.println("voxmorph: " + event))) {
                int granted = runner.sampleRate();
                if (granted != rate) {
                    System.err.printf("voxmorph: the devices do not take %d Hz; running at %d Hz%n", rate, granted);
                }
                System.err.printf("voxmorph: live on %s at %d Hz, %d-frame blocks, preset '%s': %s -> %s%s%n",
                        backend.name(), granted, runner.hopFrames(), voice.presetName(), name(input), name(out),
                        monitor == null ? "" : " and " + monitor);
                if (!RealtimeThreads.granted()) {
                    System.err.println("voxmorph: the audio threads run at " + RealtimeThreads.outcome()
                            + "; on a busy machine the voice may break up");
                }
                printStatusUntilStopped(runner);
            }
        } catch (AudioDeviceException e) {
            throw new CliError(e.getMessage());
        } finally {
            if (mic != null) {
                mic.release();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is already running and waits for us.
            }
        }
        return 0;
    }

    /** A virtual microphone that goes away while running is made again before the devices reopen. */
    static LiveRunner.Repair repairing(VirtualMicrophone mic) {
        if (mic == null) {
            return LiveRunner.Repair.NONE;
        }
        return new LiveRunner.Repair() {
            @Override
            public void beforeReopen() throws AudioDeviceException {
                mic.restore().notices().forEach(n -> System.err.println("voxmorph: " + n));
            }

            @Override
            public String lost() {
                return mic.lost();
            }

            @Override
            public void whenLost(Runnable action) {
                mic.whenLost(action);
            }
        };
    }

    private static String name(String device) {
        return device == null ? "default" : device;
    }

    /** Ctrl-C: ask the main loop to stop and wait (briefly) until it has closed the devices and the virtual mic. */
    private void stopFromSignal() {
        stopRequested.countDown();
        try {
            stopped.await(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One status line a second until Ctrl-C or --seconds. */
    private void printStatusUntilStopped(LiveRunner runner) throws InterruptedException {
        long end = seconds == null ? Long.MAX_VALUE : System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) {
            long wait = Math.min(1000, Math.max(1, (end - System.nanoTime()) / 1_000_000));
            if (stopRequested.await(wait, TimeUnit.MILLISECONDS)) {
                break;
            }
            System.err.println(StatusLine.format(runner.status(), true));
        }
    }
}
