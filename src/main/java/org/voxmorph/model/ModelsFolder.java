package org.voxmorph.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where models live. Two folders: the program's own ({@link #path}: what Voxmorph ships, read-only
 * once installed) and the user's ({@link #userPath}: what {@code models import} adds). A model id is
 * looked up in the user's folder first, as a user's preset hides a shipped one.
 */
public final class ModelsFolder {
    /**
     * Model ids are folder names. Linux allows 255 bytes per name; import writes a scratch folder
     * named {@code ID.importing} first, and a name is something a person types.
     */
    public static final int MAX_ID_LENGTH = 64;

    private ModelsFolder() {
    }

    /** The program's models: the system property {@code voxmorph.models}, else {@code models} under {@code voxmorph.home}, else {@code ./models}. */
    public static Path path() {
        String explicit = System.getProperty("voxmorph.models");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        return Path.of(System.getProperty("voxmorph.home", ".")).resolve("models");
    }

    /**
     * The user's models, where {@code models import} installs: the system property
     * {@code voxmorph.userModels}, else {@code $XDG_DATA_HOME/voxmorph/models}, else
     * {@code ~/.local/share/voxmorph/models} (beside the voice profiles).
     */
    public static Path userPath() {
        String explicit = System.getProperty("voxmorph.userModels");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path data = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return data.resolve("voxmorph").resolve("models");
    }

    /**
     * A package that is part of the program itself (the anonymizer's pseudo-speakers, the speaker
     * encoder): always the program's own copy under {@code voxmorph.home}, whatever models folder
     * the user or a test chose, so nothing installed beside it can stand in for it.
     */
    public static Path shipped(String id) {
        return Path.of(System.getProperty("voxmorph.home", ".")).resolve("models").resolve(id);
    }

    /** The folder of one model: the user's if it is there, else the program's. The id must be a plain folder name. */
    public static Path of(String id) {
        if (id == null || id.isBlank()) {
            throw new ModelException("no model chosen (set the processor's 'model' parameter or pass --model ID)");
        }
        checkId(id);
        Path own = userPath().resolve(id);
        return Files.isDirectory(own) ? own : path().resolve(id);
    }

    /** Every model folder, the user's first, each id once (a user's model hides a shipped one of the same id). */
    public static List<Path> all() {
        List<Path> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (Path root : List.of(userPath(), path())) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> dirs = Files.list(root)) {
                for (Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory).sorted()::iterator) {
                    String id = dir.getFileName().toString();
                    if (!id.endsWith(".importing") && !seen.contains(id)) {
                        seen.add(id);
                        out.add(dir);
                    }
                }
            } catch (IOException e) {
                // An unreadable folder has no models we can use; the other folder still counts.
            }
        }
        return out;
    }

    /** @throws ModelException unless the id is a plain folder name of at most {@value #MAX_ID_LENGTH} characters */
    public static void checkId(String id) {
        if (id.length() > MAX_ID_LENGTH) {
            throw new ModelException("model id of " + id.length() + " characters is too long: at most " + MAX_ID_LENGTH
                    + " (it names a folder)");
        }
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]*") || id.contains("..")) {
            throw new ModelException("model id '" + id + "' is not a plain name (letters, digits, '.', '_', '-')");
        }
    }
}
