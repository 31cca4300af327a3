package org.voxmorph.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.voxmorph.chain.JsonFiles;
import org.voxmorph.dsp.MelCepstrumVocoder;

/**
 * A model folder {@code models/<id>/}: its {@code model.json} manifest and the ONNX files it names.
 * See {@code models/FORMAT.md}. Reading checks the manifest; {@link #bytes} checks a file (inside
 * the folder, ONNX not pickle, sha256 as declared) and returns the exact bytes that were hashed, so
 * what runs is what was checked.
 */
public final class ModelPackage {
    public static final String STREAM = "voxmorph-stream";
    public static final String RVC = "rvc";
    /** A speaker encoder (org.voxmorph.voice.SpeakerEncoder), not a voice: one file with role "speaker-encoder". */
    public static final String SPEAKER_ENCODER = "voxmorph-speaker";
    /** Built-in voices for frame matching: one {@code .frames} file (a {@link org.voxmorph.dsp.MatchingSet}) per speaker. */
    public static final String FRAMES = "voxmorph-frames";
    static final String FRAMES_SUFFIX = ".frames";
    /**
     * The content encoder frame matching runs in ({@link ContentModel}), not a voice: its ONNX graph
     * (role "content-encoder") and the same network's weights as plain numbers (role "weights").
     */
    public static final String CONTENT = "voxmorph-content";
    static final String WEIGHTS_SUFFIX = ".weights";
    static final ObjectMapper JSON = new ObjectMapper();
    /** A manifest with speaker embeddings for a few hundred speakers stays well under this. */
    static final long MAX_MANIFEST_BYTES = 16L << 20;
    /** Speakers a model may list: more than any RVC or voxmorph-stream model has (ids are 0..255). */
    public static final int MAX_SPEAKERS = 256;
    /** A package is a stream graph, or decoder + content encoder + pitch model. */
    static final int MAX_FILES = 8;
    /** A HuBERT content encoder, the biggest part of an RVC voice, is about 360 MB. */
    public static final long MAX_ONNX_BYTES = 1L << 30;
    private static final List<String> ROLES = List.of("stream", "decoder", "content-encoder", "pitch", "speaker-encoder", "frames", "weights");

    /**
     * One file of the package; {@code role} is {@code stream}, {@code decoder}, {@code content-encoder}
     * or {@code pitch} (an optional CREPE model for RVC).
     */
    public record FileEntry(String path, String role, String sha256) {
    }

    /**
     * How the audio is made from a stream graph's outputs: {@code mel-cepstrum} means the graph emits
     * {@code mcep} and {@code f0_out} per hop and {@link org.voxmorph.dsp.MelCepstrumVocoder} with
     * all-pass warping {@code alpha} synthesises the hop.
     */
    public record Vocoder(String type, double alpha) {
        public static final String MEL_CEPSTRUM = "mel-cepstrum";
    }

    /** The mean and standard deviation of ln(F0 in Hz) over one speaker's voiced training speech. */
    public record SpeakerF0(double meanLnHz, double stdLnHz) {
    }

    private final Path folder;
    private final String id;
    private final String format;
    private final int sampleRate;
    private final int hopSamples;
    private final int latencySamples;
    private final List<String> speakers;
    private final float[][] speakerEmbeddings;
    private final Vocoder vocoder;
    private final List<SpeakerF0> speakerF0;
    private final String license;
    private final String provenance;
    private final List<FileEntry> files;

    private ModelPackage(Path folder, JsonNode root) {
        this.folder = folder;
        Path manifest = folder.resolve("model.json");
        this.id = folder.getFileName().toString();
        this.format = root.path("format").asText("");
        if (!format.equals(STREAM) && !format.equals(RVC) && !format.equals(FRAMES) && !format.equals(SPEAKER_ENCODER)
                && !format.equals(CONTENT)) {
            throw new ModelException(manifest + ": \"format\" must be \"" + STREAM + "\", \"" + RVC + "\", \"" + FRAMES
                    + "\", \"" + SPEAKER_ENCODER + "\" or \"" + CONTENT + "\", not \"" + format + "\"");
        }
        this.sampleRate = root.path("sampleRate").asInt(0);
        if (sampleRate < 8000 || sampleRate > 192000 || sampleRate % 100 != 0) {
            throw new ModelException(manifest + ": \"sampleRate\" must be a multiple of 100 in 8000..192000, not " + root.path("sampleRate"));
        }
        this.hopSamples = root.path("hopSamples").asInt(0);
        if (hopSamples < 1) {
            throw new ModelException(manifest + ": \"hopSamples\" must be a positive number of samples");
        }
        if (format.equals(RVC) && hopSamples * 100 != sampleRate) {
            throw new ModelException(manifest + ": an rvc model's hopSamples is sampleRate/100 (" + sampleRate / 100 + "), not " + hopSamples);
        }
        this.latencySamples = root.path("latencySamples").asInt(0);
        if (root.path("speakers").size() > MAX_SPEAKERS) {
            throw new ModelException(manifest + ": lists " + root.path("speakers").size() + " speakers; a model has at most "
                    + MAX_SPEAKERS + " (speaker ids are 0.." + (MAX_SPEAKERS - 1) + ")");
        }
        List<String> names = new ArrayList<>();
        root.path("speakers").forEach(s -> names.add(s.asText()));
        this.speakers = names.isEmpty() ? List.of("speaker 0") : List.copyOf(names);
        this.speakerEmbeddings = embeddings(manifest, root.path("speakerEmbeddings"), speakers.size());
        this.vocoder = vocoder(manifest, root.path("vocoder"));
        if (vocoder != null && (!format.equals(STREAM) || sampleRate != MelCepstrumVocoder.SAMPLE_RATE
                || hopSamples != MelCepstrumVocoder.HOP)) {
            throw new ModelException(manifest + ": a \"vocoder\" needs a " + STREAM + " model at " + MelCepstrumVocoder.SAMPLE_RATE
                    + " Hz with hopSamples " + MelCepstrumVocoder.HOP);
        }
        this.speakerF0 = speakerF0(manifest, root.path("speakerF0"), speakers.size());
        this.license = root.path("license").asText("unknown");
        this.provenance = root.path("provenance").asText("");
        if (root.path("files").size() > MAX_FILES) {
            throw new ModelException(manifest + ": \"files\" lists " + root.path("files").size() + " files; a package has at most "
                    + MAX_FILES + " (the graphs of one voice)");
        }
        List<FileEntry> entries = new ArrayList<>();
        for (JsonNode f : root.path("files")) {
            entries.add(new FileEntry(f.path("path").asText(""), f.path("role").asText(""), f.path("sha256").asText("")));
        }
        if (entries.isEmpty()) {
            throw new ModelException(manifest + ": \"files\" lists no ONNX files");
        }
        this.files = List.copyOf(entries);
        for (FileEntry e : files) {
            checkPath(e);
            if (!ROLES.contains(e.role())) {
                throw new ModelException(manifest + ": file \"" + e.path() + "\" has role \"" + e.role() + "\"; roles are " + ROLES);
            }
        }
        if (format.equals(FRAMES) && files.stream().filter(e -> e.role().equals("frames")).count() != speakers.size()) {
            throw new ModelException(manifest + ": a " + FRAMES + " model needs one file with role \"frames\" per speaker ("
                    + speakers.size() + "), in speaker order");
        }
        String[] needed = format.equals(RVC) ? new String[] {"decoder", "content-encoder"}
                : format.equals(FRAMES) ? new String[] {"frames"}
                : format.equals(SPEAKER_ENCODER) ? new String[] {"speaker-encoder"}
                : format.equals(CONTENT) ? new String[] {"content-encoder", "weights"} : new String[] {"stream"};
        for (String role : needed) {
            if (files.stream().noneMatch(e -> e.role().equals(role))) {
                throw new ModelException(manifest + ": a " + format + " model needs a file with role \"" + role + "\"");
            }
        }
    }

    /** One vector per speaker, all the same length, or null when the manifest has none. */
    private static float[][] embeddings(Path manifest, JsonNode node, int speakers) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isArray() || node.size() != speakers) {
            throw new ModelException(manifest + ": \"speakerEmbeddings\" needs one list of numbers per speaker (" + speakers + ")");
        }
        float[][] out = new float[speakers][];
        for (int s = 0; s < speakers; s++) {
            JsonNode row = node.get(s);
            if (!row.isArray() || row.isEmpty() || row.size() != node.get(0).size()) {
                throw new ModelException(manifest + ": speakerEmbeddings[" + s + "] must be a list of " + node.get(0).size() + " numbers");
            }
            out[s] = new float[row.size()];
            for (int i = 0; i < row.size(); i++) {
                if (!row.get(i).isNumber()) {
                    throw new ModelException(manifest + ": speakerEmbeddings[" + s + "][" + i + "] is not a number");
                }
                out[s][i] = row.get(i).floatValue();
            }
        }
        return out;
    }

    /** The {@code vocoder} object, or null when the graph makes audio itself. */
    private static Vocoder vocoder(Path manifest, JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        String type = node.path("type").asText("");
        if (!type.equals(Vocoder.MEL_CEPSTRUM)) {
            throw new ModelException(manifest + ": \"vocoder\" type \"" + type + "\" is unknown; the one type is \""
                    + Vocoder.MEL_CEPSTRUM + "\"");
        }
        JsonNode alpha = node.path("alpha");
        if (!alpha.isNumber() || !(Math.abs(alpha.doubleValue()) < 1)) {
            throw new ModelException(manifest + ": \"vocoder\" needs \"alpha\", a number between -1 and 1 (0.42 at 16 kHz)");
        }
        return new Vocoder(type, alpha.doubleValue());
    }

    /** One [mean, std] pair of ln Hz per speaker, or an empty list when the manifest has none. */
    private static List<SpeakerF0> speakerF0(Path manifest, JsonNode node, int speakers) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() != speakers) {
            throw new ModelException(manifest + ": \"speakerF0\" needs one [meanLnHz, stdLnHz] pair per speaker (" + speakers
                    + "), not " + (node.isArray() ? node.size() + " entries" : node.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        List<SpeakerF0> out = new ArrayList<>();
        for (int s = 0; s < speakers; s++) {
            JsonNode pair = node.get(s);
            double mean = pair.path(0).asDouble(Double.NaN);
            double std = pair.path(1).asDouble(Double.NaN);
            // ln 20 .. ln 2000 Hz: a mean outside it is Hz or log10 written by mistake, not ln Hz.
            if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isNumber() || !pair.get(1).isNumber()
                    || !(mean > Math.log(20) && mean < Math.log(2000)) || !(std > 0 && std < 2)) {
                throw new ModelException(manifest + ": speakerF0[" + s + "] must be [meanLnHz, stdLnHz] with the mean of ln Hz "
                        + "(e.g. 4.7 for 110 Hz) and a standard deviation in (0, 2), not " + pair);
            }
            out.add(new SpeakerF0(mean, std));
        }
        return List.copyOf(out);
    }

    /** Reads and checks {@code folder/model.json} (not yet the files' contents). */
    public static ModelPackage read(Path folder) {
        Path manifest = folder.resolve("model.json");
        JsonNode root;
        try {
            root = JsonFiles.read(manifest, MAX_MANIFEST_BYTES, "a model.json");
        } catch (JsonFiles.Unreadable e) {
            throw new ModelException(e.missing() ? folder + ": not a model package (no model.json)" : e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ModelException(manifest + ": a manifest is a JSON object, see models/FORMAT.md");
        }
        return new ModelPackage(folder, root);
    }

    private void checkPath(FileEntry e) {
        String p = e.path();
        String lower = p.toLowerCase(Locale.ROOT);
        Path manifest = folder.resolve("model.json");
        if (p.isEmpty()) {
            throw new ModelException(manifest + ": a file entry has no \"path\"");
        }
        if (lower.endsWith(".pth") || lower.endsWith(".pt") || lower.endsWith(".ckpt") || lower.endsWith(".pkl")
                || lower.endsWith(".bin") || lower.endsWith(".index")) {
            throw new ModelException(folder.resolve(p) + ": is a PyTorch/pickle file; pickles can run code when loaded, "
                    + "so Voxmorph only runs ONNX (export it to .onnx first)");
        }
        // A matching set is numbers in a fixed layout (MatchingSet checks its header): nothing in it can run.
        // So are a content network's weights (ContentNet checks its header and length).
        boolean frames = format.equals(FRAMES) && lower.endsWith(FRAMES_SUFFIX);
        boolean weights = format.equals(CONTENT) && lower.endsWith(WEIGHTS_SUFFIX);
        if (!lower.endsWith(".onnx") && !frames && !weights) {
            throw new ModelException(folder.resolve(p) + ": only .onnx files (and .frames files in a " + FRAMES
                    + " model, .weights files in a " + CONTENT + " model) can be part of a model");
        }
        Path rel = Path.of(p);
        if (rel.isAbsolute() || p.startsWith("/") || p.startsWith("\\") || p.contains(":")) {
            throw new ModelException(manifest + ": file path \"" + p + "\" must be relative to the model folder");
        }
        for (Path part : rel) {
            if (part.toString().equals("..")) {
                throw new ModelException(manifest + ": file path \"" + p + "\" leaves the model folder");
            }
        }
    }

    /**
     * The checked bytes of one file.
     *
     * @throws ModelException when the file is missing, leaves the folder through a link, is a pickle,
     *     or its sha256 differs from the manifest's
     */
    public byte[] bytes(FileEntry e) {
        Path file = folder.resolve(e.path()).normalize();
        byte[] data;
        try {
            Path real = file.toRealPath();
            if (!real.startsWith(folder.toRealPath())) {
                throw new ModelException(file + ": leaves the model folder (through a link to " + real + ")");
            }
            if (!Files.isRegularFile(real) || Files.size(real) > MAX_ONNX_BYTES) {
                throw new ModelException(file + ": " + (Files.isRegularFile(real) ? Files.size(real) + " bytes is more than the "
                        + MAX_ONNX_BYTES + " a model file may have (it is read into memory, and no voice that runs in real time is"
                        + " this big)" : "is not a regular file"));
            }
            data = Files.readAllBytes(real);
        } catch (NoSuchFileException ex) {
            throw new ModelException(file + ": missing (named in model.json)");
        } catch (IOException ex) {
            throw new ModelException(file + ": cannot read (" + ex.getMessage() + ")");
        }
        if (looksLikePickle(data)) {
            throw new ModelException(file + ": is a PyTorch/pickle file, not ONNX; pickles can run code when loaded, so Voxmorph refuses them");
        }
        String actual = sha256(data);
        if (!actual.equalsIgnoreCase(e.sha256())) {
            throw new ModelException(file + ": sha256 is " + actual + " but model.json says "
                    + (e.sha256().isEmpty() ? "nothing" : e.sha256()) + " (file corrupt, truncated or replaced)");
        }
        return data;
    }

    /** Pickle protocol 2+ starts with 0x80; torch.save archives are zip files ("PK"). ONNX protobuf starts with neither. */
    static boolean looksLikePickle(byte[] data) {
        return data.length >= 2 && ((data[0] & 0xff) == 0x80 && data[1] >= 2 && data[1] <= 5
                || data[0] == 'P' && data[1] == 'K');
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The first file with this role. */
    public FileEntry file(String role) {
        return files.stream().filter(f -> f.role().equals(role)).findFirst()
                .orElseThrow(() -> new ModelException(folder.resolve("model.json") + ": no file with role \"" + role + "\""));
    }

    /** Each file's problem, or null where the file is fine (for listings, which must not stop at the first). */
    public List<String> fileProblems() {
        List<String> out = new ArrayList<>();
        for (FileEntry e : files) {
            try {
                bytes(e);
                out.add(null);
            } catch (ModelException ex) {
                out.add(ex.getMessage());
            }
        }
        return out;
    }

    public long sizeBytes() {
        long sum = 0;
        for (FileEntry e : files) {
            try {
                sum += Files.size(folder.resolve(e.path()));
            } catch (IOException ignored) {
                // A missing file is reported by fileProblems(); the size counts what is there.
            }
        }
        return sum;
    }

    public Path folder() { return folder; }
    public String id() { return id; }
    public String format() { return format; }
    public int sampleRate() { return sampleRate; }
    public int hopSamples() { return hopSamples; }
    /** The graph's own delay (lookahead) at the model's rate, beyond the one hop of buffering. */
    public int latencySamples() { return latencySamples; }
    public List<String> speakers() { return speakers; }
    /** Per-speaker vectors for a stream graph's {@code speaker_embedding} input, or null. */
    public float[][] speakerEmbeddings() { return speakerEmbeddings; }
    /** How audio is made from the graph's outputs, or null when the graph outputs {@code audio_out}. */
    public Vocoder vocoder() { return vocoder; }
    /** Per-speaker ln-F0 statistics (same order as {@link #speakers}), empty when the manifest has none. */
    public List<SpeakerF0> speakerF0() { return speakerF0; }
    public String license() { return license; }
    public String provenance() { return provenance; }
    public List<FileEntry> files() { return files; }
}
