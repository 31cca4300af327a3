package org.voxmorph.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads presets from a folder of {@code NAME.json} files, or from any path a user names. */
public final class PresetLibrary {
    /** The most stages a preset may have; the reason is in the refusal. */
    public static final int MAX_STAGES = 64;
    /** Presets are a few hundred bytes; the bound keeps a wrong file from filling memory. */
    static final long MAX_BYTES = 1 << 20;
    private final Path folder;

    public PresetLibrary(Path folder) {
        this.folder = folder;
    }

    public Path folder() {
        return folder;
    }

    /** Every preset in the folder, by name; a broken file is reported in the exception, not skipped silently. */
    public List<Preset> list() throws PresetException {
        List<Preset> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted()::iterator) {
                out.add(read(p));
            }
        } catch (IOException e) {
            throw new PresetException(folder + ": cannot list presets (" + e.getMessage() + ")");
        }
        return out;
    }

    /** A preset by name from the folder, or by path when the argument names an existing .json file. */
    public Preset load(String nameOrPath) throws PresetException {
        Path asPath = Path.of(nameOrPath);
        if (nameOrPath.endsWith(".json") && Files.exists(asPath)) {
            return read(asPath);
        }
        Path file = folder.resolve(nameOrPath + ".json");
        if (!Files.exists(file)) {
            List<String> names = new ArrayList<>();
            try (Stream<Path> files = Files.list(folder)) {
                files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".json"))
                        .map(f -> f.substring(0, f.length() - 5)).sorted().forEach(names::add);
            } catch (IOException ignored) {
                // The folder itself is missing: the message below still says what was asked for.
            }
            throw new PresetException("unknown preset '" + nameOrPath + "' (no " + file + "); presets: " + String.join(", ", names));
        }
        return read(file);
    }

    public static Preset read(Path file) throws PresetException {
        JsonNode root;
        try {
            root = JsonFiles.read(file, MAX_BYTES, "a preset");
        } catch (JsonFiles.Unreadable e) {
            throw new PresetException(e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new PresetException(file + ": a preset is a JSON object with \"name\", \"description\" and \"chain\"");
        }
        String fileName = file.getFileName().toString();
        String name = root.path("name").asText(fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName);
        String description = root.path("description").asText("");
        JsonNode chainNode = root.get("chain");
        if (chainNode == null || !chainNode.isArray()) {
            throw new PresetException(file + ": \"chain\" must be a list of {\"processor\": ID, \"params\": {...}}");
        }
        if (chainNode.size() > MAX_STAGES) {
            throw new PresetException(file + ": " + chainNode.size() + " stages; a preset has at most " + MAX_STAGES
                    + " (every stage runs on every block in real time; the shipped presets have 2 to 6)");
        }
        List<Preset.Step> steps = new ArrayList<>();
        for (int i = 0; i < chainNode.size(); i++) {
            JsonNode step = chainNode.get(i);
            String id = step.path("processor").asText("");
            if (id.isEmpty()) {
                throw new PresetException(file + ": chain[" + i + "] has no \"processor\"");
            }
            Map<String, Object> params = new LinkedHashMap<>();
            JsonNode paramsNode = step.path("params");
            if (!paramsNode.isMissingNode() && !paramsNode.isObject()) {
                throw new PresetException(file + ": chain[" + i + "].params must be an object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = paramsNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                Object value;
                if (v.isNumber()) {
                    value = v.doubleValue();
                } else if (v.isBoolean()) {
                    value = v.booleanValue();
                } else if (v.isTextual()) {
                    value = v.textValue();
                } else {
                    throw new PresetException(file + ": " + id + "." + e.getKey() + " must be a number, true/false or text");
                }
                params.put(e.getKey(), value);
            }
            steps.add(new Preset.Step(id, params));
        }
        return new Preset(name, description, steps, file.toString());
    }
}
