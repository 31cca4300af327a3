package org.voxmorph.app;

import java.nio.file.Path;
import java.util.Locale;

/** The user's own Voxmorph folder: panel settings and saved presets (XDG on Linux). */
public final class UserFolders {
    private UserFolders() {}

    public static Path config() {
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
