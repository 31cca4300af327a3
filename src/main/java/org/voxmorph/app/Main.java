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

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code: 0 done, 2 the user's input was wrong, 1 anything else. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
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
        return cli.execute(args);
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
