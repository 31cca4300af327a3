package org.voxmorph.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.voxmorph.ui.PanelWindow;
import picocli.CommandLine.Command;

@Command(name = "panel", mixinStandardHelpOptions = true,
        description = "Open the control panel (what plain 'voxmorph' does on a machine with a display).")
public final class PanelCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        if (!PanelWindow.displayAvailable()) {
            throw new CliError("no display to open the panel on (DISPLAY is not set); use: voxmorph live");
        }
        try (LiveSession session = new LiveSession()) {
            PanelWindow.show(session, UserFolders.config().resolve("panel.json"),
                    Path.of(System.getProperty("user.home"), "Voxmorph recordings"));
        }
        return 0;
    }
}
