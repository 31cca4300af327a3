package org.voxmorph.model;

import java.nio.file.Path;

/**
 * Where installed models live: the system property {@code voxmorph.models}, else {@code models}
 * under {@code voxmorph.home}, else {@code models} in the current directory.
 */
public final class ModelsFolder {
    private ModelsFolder() {
    }

    public static Path path() {
        String explicit = System.getProperty("voxmorph.models");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        return Path.of(System.getProperty("voxmorph.home", ".")).resolve("models");
    }

    /** The folder of one model; the id must be a plain folder name, never a path. */
    public static Path of(String id) {
        if (id == null || id.isBlank()) {
            throw new ModelException("no model chosen (set the processor's 'model' parameter or pass --model ID)");
        }
        checkId(id);
        return path().resolve(id);
    }

    /** @throws ModelException unless the id is a plain folder name */
    public static void checkId(String id) {
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]*") || id.contains("..")) {
            throw new ModelException("model id '" + id + "' is not a plain name (letters, digits, '.', '_', '-')");
        }
    }
}
