package org.voxmorph.voice;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.voxmorph.chain.JsonFiles;
import org.voxmorph.dsp.MatchingSet;
import org.voxmorph.model.ContentModel;

/**
 * The folder of enrolled voices: {@code NAME.voice.json} files in the user's data folder
 * ({@code $XDG_DATA_HOME/voxmorph/voices}, else {@code ~/.local/share/voxmorph/voices}) or a
 * folder the user names. Everything Voxmorph derives from a voice is named {@code NAME.*} in this
 * folder, so deleting a voice erases all of it.
 */
public final class VoiceStore {
    public static final String SUFFIX = ".voice.json";
    /** The profile's matching set ({@link MatchingSet}) lives beside it under this suffix. */
    public static final String FRAMES_SUFFIX = ".frames";
    /** A profile is a few kB of statistics; a big file is not one, and would only cost memory to find that out. */
    private static final long MAX_PROFILE_BYTES = 1 << 20;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private final Path folder;

    public VoiceStore(Path folder) {
        this.folder = folder;
    }

    /** The store in the user's data folder. */
    public static VoiceStore user() {
        String xdg = System.getenv("XDG_DATA_HOME");
        Path data = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share");
        return new VoiceStore(data.resolve("voxmorph").resolve("voices"));
    }

    public Path folder() {
        return folder;
    }

    public static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new VoiceException("voice name '" + name + "' must be 1..64 letters, digits, '-' or '_', starting with a letter or digit");
        }
    }

    public Path file(String name) {
        checkName(name);
        return folder.resolve(name + SUFFIX);
    }

    public boolean exists(String name) {
        return Files.isRegularFile(file(name));
    }

    public void save(VoiceProfile profile) {
        Path target = file(profile.name());
        try {
            Files.createDirectories(folder);
            Path tmp = folder.resolve(profile.name() + ".tmp");
            JSON.writeValue(tmp.toFile(), profile);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new VoiceException(target + ": cannot write the voice profile (" + e.getMessage() + ")");
        }
    }

    /** Writes the voice's matching set (atomically; before the profile, so a profile never lacks one). */
    public void saveMatchingSet(String name, MatchingSet set) {
        checkName(name);
        Path target = folder.resolve(name + FRAMES_SUFFIX);
        try {
            Files.createDirectories(folder);
            Path tmp = folder.resolve(name + ".frames.tmp");
            Files.write(tmp, set.toBytes());
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new VoiceException(target + ": cannot write the voice's frames (" + e.getMessage() + ")");
        }
    }

    /** The matching set kept beside the profile file {@code profile} ({@code NAME.voice.json}). */
    public static MatchingSet readMatchingSet(Path profile) {
        String file = profile.getFileName().toString();
        String base = file.endsWith(SUFFIX) ? file.substring(0, file.length() - SUFFIX.length()) : file;
        Path frames = profile.resolveSibling(base + FRAMES_SUFFIX);
        if (!Files.isRegularFile(frames)) {
            throw new VoiceException(frames + ": missing: this voice was enrolled by an older Voxmorph (enroll it again)");
        }
        MatchingSet set;
        try {
            set = MatchingSet.fromBytes(Files.readAllBytes(frames));
        } catch (IOException | IllegalArgumentException e) {
            throw new VoiceException(frames + ": " + e.getMessage());
        }
        String kind = ContentModel.shared().kind();
        if (!set.contentKind().equals(kind)) {
            throw new VoiceException(frames + ": made with content model " + set.contentKind() + ", this Voxmorph has " + kind
                    + " (enroll the voice again)");
        }
        return set;
    }

    public VoiceProfile load(String name) {
        Path f = file(name);
        if (!Files.isRegularFile(f)) {
            throw new VoiceException("no voice named '" + name + "' in " + folder + " (see: voxmorph voice list)");
        }
        return read(f);
    }

    public static VoiceProfile read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new VoiceException(file + ": no such voice profile");
        }
        try {
            JsonNode root = JsonFiles.read(file, MAX_PROFILE_BYTES, "a voice profile");
            VoiceProfile p = root.isObject() ? JSON.treeToValue(root, VoiceProfile.class) : null;
            if (p == null || p.version() != VoiceProfile.VERSION || p.pitch() == null || p.formants() == null || p.envelope() == null) {
                throw new VoiceException(file + ": not a version " + VoiceProfile.VERSION + " voice profile");
            }
            return p;
        } catch (JsonFiles.Unreadable e) {
            throw new VoiceException(e.getMessage());
        } catch (JsonMappingException e) {
            // Jackson's own text names our classes; the user needs the field.
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .reduce((a, b) -> a + "." + b).orElse("the profile");
            throw new VoiceException(file + ": not a readable voice profile (" + field + " has the wrong type or shape)");
        } catch (IOException | IllegalArgumentException e) {
            throw new VoiceException(file + ": not a readable voice profile (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    /** Names of the enrolled voices, sorted. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return names;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*" + SUFFIX)) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                names.add(n.substring(0, n.length() - SUFFIX.length()));
            }
        } catch (IOException e) {
            throw new VoiceException(folder + ": cannot list voices (" + e.getMessage() + ")");
        }
        names.sort(null);
        return names;
    }

    /** Removes the profile and every file derived from it ({@code NAME.*}); returns how many files went. */
    public int delete(String name) {
        if (!exists(name)) {
            throw new VoiceException("no voice named '" + name + "' in " + folder + " (see: voxmorph voice list)");
        }
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, name + ".*")) {
            for (Path f : files) {
                Files.delete(f);
                removed++;
            }
        } catch (IOException e) {
            throw new VoiceException(folder + ": cannot delete voice '" + name + "' (" + e.getMessage() + ")");
        }
        return removed;
    }
}
