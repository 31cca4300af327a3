package org.voxmorph.app;

import java.util.concurrent.Callable;
import org.voxmorph.chain.Preset;
import org.voxmorph.chain.PresetException;
import org.voxmorph.chain.PresetLibrary;
import picocli.CommandLine.Command;

@Command(name = "presets", mixinStandardHelpOptions = true,
        description = "List the presets in presets/ with a one-line description each.")
public final class PresetsCommand implements Callable<Integer> {
    @Override
    public Integer call() throws PresetException {
        for (Preset p : new PresetLibrary(Home.presets()).list()) {
            System.out.printf("%-14s %s%n", p.name(), p.description());
        }
        return 0;
    }
}
