package org.voxmorph.app;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where Voxmorph's own files are: the launcher passes the project folder as the system property
 * {@code voxmorph.home}; without it, the current folder.
 */
public final class Home {
    private Home() {}

    public static Path root() {
        String home = System.getProperty("voxmorph.home");
        return Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath().normalize();
    }

    public static Path presets() {
        return root().resolve("presets");
    }

    public static Path plugins() {
        return root().resolve("plugins");
    }

    /** The shared speech folder beside the project, when this machine has it (developers and CI do). */
    public static Path sharedSpeech() {
        Path p = root().resolve("../shared/speech").normalize();
        return Files.isDirectory(p) ? p : null;
    }
}
