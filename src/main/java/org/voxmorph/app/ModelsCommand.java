package org.voxmorph.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.voxmorph.model.ModelException;
import org.voxmorph.model.ModelImporter;
import org.voxmorph.model.ModelPackage;
import org.voxmorph.model.ModelsFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code voxmorph models [--json]} and {@code voxmorph models import PATH.onnx ...}. Lists the
 * user's models ({@link ModelsFolder#userPath}, where import installs) and the program's own.
 */
@Command(name = "models", mixinStandardHelpOptions = true, subcommands = ModelsCommand.Import.class,
        description = "List installed models (yours and the shipped ones: format, rate, speakers, size, licence, file checks).")
public final class ModelsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--json", description = "One JSON array instead of a table.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        ArrayNode all = JSON.createArrayNode();
        for (Path dir : ModelsFolder.all()) {
            all.add(describe(dir));
        }
        if (json) {
            System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all));
            return 0;
        }
        if (all.isEmpty()) {
            System.out.println("no models in " + ModelsFolder.userPath() + " or " + ModelsFolder.path()
                    + " (voxmorph models import PATH.onnx adds one)");
            return 0;
        }
        System.out.printf("%-24s %-7s %-16s %7s %-20s %9s %-18s %s%n", "ID", "WHERE", "FORMAT", "RATE", "SPEAKERS", "SIZE", "LICENSE", "FILES");
        for (var m : all) {
            if (m.has("error")) {
                System.out.printf("%-24s %-7s BROKEN: %s%n", m.path("id").asText(), m.path("where").asText(), m.path("error").asText());
                continue;
            }
            List<String> speakers = JSON.convertValue(m.path("speakers"), JSON.getTypeFactory().constructCollectionType(List.class, String.class));
            boolean ok = m.path("filesOk").asBoolean();
            System.out.printf("%-24s %-7s %-16s %7d %-20s %9s %-18s %s%n", m.path("id").asText(), m.path("where").asText(),
                    m.path("format").asText(),
                    m.path("sampleRate").asInt(), m.path("voice").asBoolean() ? String.join(",", speakers) : "(encoder)",
                    megabytes(m.path("sizeBytes").asLong()),
                    m.path("license").asText(), ok ? "sha256 ok" : "CHECK FAILED");
            for (var f : m.path("files")) {
                if (!f.path("sha256Ok").asBoolean()) {
                    System.out.println("    " + f.path("problem").asText());
                }
            }
        }
        return 0;
    }

    private static ObjectNode describe(Path dir) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", dir.getFileName().toString());
        o.put("where", dir.startsWith(ModelsFolder.userPath()) ? "yours" : "shipped");
        o.put("folder", dir.toString());
        ModelPackage pkg;
        try {
            pkg = ModelPackage.read(dir);
        } catch (ModelException e) {
            o.put("error", e.getMessage());
            return o;
        } catch (RuntimeException e) {
            // One broken folder must not hide the others: mark it and go on.
            o.put("error", dir + ": cannot be read (" + e + ")");
            return o;
        }
        o.put("format", pkg.format());
        o.put("sampleRate", pkg.sampleRate());
        o.put("hopSamples", pkg.hopSamples());
        // The speaker and content encoders serve the converter; they have no speakers to choose.
        boolean voice = !pkg.format().equals(ModelPackage.SPEAKER_ENCODER) && !pkg.format().equals(ModelPackage.CONTENT);
        o.put("voice", voice);
        ArrayNode speakers = o.putArray("speakers");
        if (voice) {
            pkg.speakers().forEach(speakers::add);
        }
        o.put("sizeBytes", pkg.sizeBytes());
        o.put("license", pkg.license());
        o.put("provenance", pkg.provenance());
        List<String> problems = pkg.fileProblems();
        ArrayNode files = o.putArray("files");
        boolean allOk = true;
        for (int i = 0; i < problems.size(); i++) {
            ObjectNode f = files.addObject();
            f.put("path", pkg.files().get(i).path());
            f.put("role", pkg.files().get(i).role());
            f.put("sha256Ok", problems.get(i) == null);
            if (problems.get(i) != null) {
                f.put("problem", problems.get(i));
                allOk = false;
            }
        }
        o.put("filesOk", allOk);
        return o;
    }

    private static String megabytes(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Create a model package in your models folder ($XDG_DATA_HOME/voxmorph/models, else ~/.local/share/voxmorph/models) "
                    + "from an exported ONNX file (RVC w-okada/official, or voxmorph-stream).")
    static final class Import implements Callable<Integer> {
        @Parameters(paramLabel = "PATH.onnx", description = "The exported model.")
        Path onnx;

        @Option(names = "--content-encoder", paramLabel = "FILE", description = "HuBERT/ContentVec ONNX (required for RVC).")
        Path contentEncoder;

        @Option(names = "--pitch-model", paramLabel = "FILE", description = "CREPE ONNX for RVC pitch instead of the built-in YIN tracker.")
        Path pitchModel;

        @Option(names = "--id", paramLabel = "ID", description = "Folder name in your models folder, at most 64 characters (default: the file name).")
        String id;

        @Option(names = "--speakers", paramLabel = "N", description = "How many speakers the model has (default: from metadata, else 1).")
        int speakers;

        @Option(names = "--license", paramLabel = "TEXT", description = "The model's licence, recorded in model.json.")
        String license;

        @Override
        public Integer call() {
            try {
                ModelPackage pkg = ModelImporter.importModel(onnx, contentEncoder, pitchModel, id, speakers, license, ModelsFolder.userPath());
                System.out.println("imported " + pkg.id() + " (" + pkg.format() + ", " + pkg.sampleRate() + " Hz, "
                        + pkg.speakers().size() + " speaker(s)) into " + pkg.folder());
                return 0;
            } catch (ModelException e) {
                System.err.println("voxmorph models import: " + e.getMessage());
                return 2;
            }
        }
    }
}
