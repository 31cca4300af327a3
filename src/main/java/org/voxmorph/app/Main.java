package org.voxmorph.app;

import java.util.concurrent.Callable;
import org.voxmorph.audio.AudioBackends;
import org.voxmorph.audio.AudioDeviceException;
import org.voxmorph.audio.AudioFileException;
import org.voxmorph.chain.PresetException;
import org.voxmorph.ui.PanelWindow;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "voxmorph", mixinStandardHelpOptions = true, version = "Voxmorph 0.1.0",
        description = "Real-time voice changer. With no command: run the main job (see README).",
        subcommands = {ConvertCommand.class, PresetsCommand.class, BenchCommand.class, LatencyCommand.class,
                DemoCommand.class, LiveCommand.class, DevicesCommand.class, ModelsCommand.class,
                VirtualMicCommand.class, WatermarkCommand.class, PanelCommand.class, VoiceCommand.class})
public final class Main implements Callable<Integer> {

    /**
     * The longest argument taken: PATH_MAX on Linux. ONNX Runtime's start-up walks the process's
     * command line recursively, so one argument of a few thousand characters overflowed the 1 MB
     * main-thread stack in native code and the JVM died of SIGSEGV (seen with {@code models import
     * --id} of 5000 characters); hence also the larger stack below.
     */
    static final int MAX_ARGUMENT_LENGTH = 4096;
    /** Native code (ONNX Runtime) recurses deeper than a default 1 MB Java stack allows. */
    private static final long MAIN_STACK_BYTES = 64L << 20;

    public static void main(String[] args) throws InterruptedException {
        int[] code = {1};
        Thread t = new Thread(null, () -> code[0] = run(args), "voxmorph-main", MAIN_STACK_BYTES);
        t.start();
        t.join();
        System.exit(code[0]);
    }

    /** Runs the CLI and returns the exit code: 0 done, 2 the user's input was wrong, 1 anything else. */
    public static int run(String... args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].length() > MAX_ARGUMENT_LENGTH) {
                System.err.println("voxmorph: argument " + (i + 1) + " is " + args[i].length() + " characters long; at most "
                        + MAX_ARGUMENT_LENGTH + " (the longest path Linux allows)");
                return 2;
            }
        }
        CommandLine cli = new CommandLine(new Main());
        // Every number option: NaN and infinity pass any range check written as "x < min || x > max".
        cli.registerConverter(Double.class, Main::finiteNumber);
        cli.registerConverter(Double.TYPE, Main::finiteNumber);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            boolean debug = System.getenv("VOXMORPH_DEBUG") != null;
            if (debug) {
                e.printStackTrace();
            }
            if (e instanceof CliError || e instanceof AudioFileException || e instanceof PresetException
                    || e instanceof AudioDeviceException) {
                cmd.getErr().println("voxmorph: " + e.getMessage());
                return 2;
            }
            cmd.getErr().println("voxmorph: internal error: " + e
                    + (debug ? "" : " (set VOXMORPH_DEBUG=1 for details)"));
            return 1;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("voxmorph: " + e.getMessage()
                    + " (see: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            return 2;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // Inputs are read in bounded pieces, so this should not happen; if it does, one line, not a trace.
            System.err.println("voxmorph: " + (e instanceof OutOfMemoryError ? "out of memory (Java heap "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB; more with VOXMORPH_JAVA_OPTS=-Xmx4g)"
                    : "input nested too deeply to process") + (System.getenv("VOXMORPH_DEBUG") == null ? "" : ": " + e));
            return 1;
        }
    }

    private static Double finiteNumber(String text) {
        double v;
        try {
            v = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a finite number");
        }
        return v;
    }

    @Override
    public Integer call() throws Exception {
        if (PanelWindow.displayAvailable() && System.getenv("VOXMORPH_NO_PANEL") == null) {
            try {
                return new PanelCommand().call();
            } catch (PanelWindow.CannotOpen e) {
                System.err.println("voxmorph: cannot open the control panel (" + e.getMessage() + "); going on in the terminal");
            }
        }
        String noDevice = AudioBackends.noSoundDevice();
        if (noDevice != null) {
            System.err.println("voxmorph: " + noDevice);
            return new DemoCommand().call();
        }
        return new LiveCommand().call();
    }
}
