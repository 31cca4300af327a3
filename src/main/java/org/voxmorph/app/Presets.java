package org.voxmorph.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.voxmorph.chain.Preset;
import org.voxmorph.chain.PresetException;
import org.voxmorph.chain.PresetLibrary;

/** Shipped presets ({@code presets/}) and the user's own ({@link UserFolders#presets}), the user's first. */
final class Presets {
    private Presets() {}

    static Preset load(String nameOrPath) throws PresetException {
        Path own = UserFolders.presets().resolve(nameOrPath + ".json");
        if (!nameOrPath.endsWith(".json") && Files.isRegularFile(own)) {
            return PresetLibrary.read(own);
        }
        return new PresetLibrary(Home.presets()).load(nameOrPath);
    }

    static List<String> names() {
        TreeSet<String> names = new TreeSet<>();
        for (Path folder : List.of(Home.presets(), UserFolders.presets())) {
            try (Stream<Path> files = Files.list(folder)) {
                files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".json"))
                        .forEach(f -> names.add(f.substring(0, f.length() - 5)));
            } catch (IOException missingFolder) {
                // No presets there (the user has saved none yet).
            }
        }
        return List.copyOf(names);
    }
}
