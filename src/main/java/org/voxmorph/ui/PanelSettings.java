package org.voxmorph.ui;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.voxmorph.chain.JsonFiles;
import org.voxmorph.engine.LiveSettings;

/** The last session's settings in {@code panel.json}, so the panel opens as it was left. */
final class PanelSettings {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** The settings are a few hundred bytes; anything big is not them. */
    private static final long MAX_BYTES = 1 << 20;
    private final Path file;

    PanelSettings(Path file) {
        this.file = file;
    }

    /** The saved settings; defaults when there are none or the file cannot be read (the panel must still open). */
    LiveSettings load() {
        if (file == null || !Files.isRegularFile(file)) {
            return LiveSettings.defaults();
        }
        try {
            LiveSettings saved = JSON.treeToValue(JsonFiles.read(file, MAX_BYTES, "the panel's settings"), LiveSettings.class);
            return saved == null ? LiveSettings.defaults() : saved;
        } catch (JsonFiles.Unreadable e) {
            System.err.println("voxmorph: " + e.getMessage() + "; using the default settings");
            return LiveSettings.defaults();
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("voxmorph: " + file + ": cannot read the panel settings ("
                    + e.getMessage().lines().findFirst().orElse("") + "); using the default settings");
            return LiveSettings.defaults();
        }
    }

    void save(LiveSettings settings) throws IOException {
        if (file != null) {
            Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), settings);
        }
    }
}
