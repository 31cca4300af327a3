package org.voxmorph.app;

import java.nio.file.Files;
import java.util.concurrent.Callable;
import org.voxmorph.chain.Preset;
import org.voxmorph.chain.PresetException;
import org.voxmorph.chain.PresetLibrary;
import picocli.CommandLine.Command;

@Command(name = "presets", mixinStandardHelpOptions = true,
        description = "List the presets in presets/ and your own (saved from the panel) with a one-line description each.")
public final class PresetsCommand implements Callable<Integer> {
    @Override
    public Integer call() throws PresetException {
        for (Preset p : new PresetLibrary(Home.presets()).list()) {
            System.out.printf("%-14s %s%n", p.name(), p.description());
        }
        if (Files.isDirectory(UserFolders.presets())) {
            for (Preset p : new PresetLibrary(UserFolders.presets()).list()) {
                System.out.printf("%-14s %s (yours, in %s)%n", p.name(), p.description(), UserFolders.presets());
            }
        }
        return 0;
    }
}
