package org.voxmorph.app;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The user's own Voxmorph folder: panel settings and saved presets (voice profiles: {@code VoiceStore}). The system property
 * {@code voxmorph.config} names it outright (portable installs, tests); else XDG on Linux,
 * {@code %APPDATA%} on Windows, {@code ~/.config/voxmorph} elsewhere.
 */
public final class UserFolders {
    private UserFolders() {}

    public static Path config() {
        String explicit = System.getProperty("voxmorph.config");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "voxmorph");
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String appData = System.getenv("APPDATA");
        if (os.startsWith("windows") && appData != null) {
            return Path.of(appData, "Voxmorph");
        }
        return Path.of(System.getProperty("user.home"), ".config", "voxmorph");
    }

    /** Presets the user saved; a name here hides a shipped preset of the same name. */
    public static Path presets() {
        return config().resolve("presets");
    }
}
