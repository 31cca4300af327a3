package org.voxmorph.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Makes a model package from a bare exported ONNX file ({@code voxmorph models import}). The
 * contract is read from the graph; the sample rate comes from the embedded metadata (w-okada,
 * voxmorph) or, for the official RVC exporter which embeds none, from one probe call: samples out
 * per frame in is the hop, and the hop is a hundredth of the rate.
 */
public final class ModelImporter {
    private static final int PROBE_FRAMES = 20;

    private ModelImporter() {
    }

    /**
     * @param contentEncoder HuBERT/ContentVec ONNX, required for RVC models
     * @param pitchModel     optional CREPE ONNX ([N, 1024] -> [N, 360]) to use instead of YIN for RVC f0 models
     * @param id             folder name; null takes the file's name
     * @param speakers       speaker count to record; 0 takes the metadata's names, else one speaker
     * @param license        licence to record; null records "unknown"
     * @return the new package, read back and checked
     */
    public static ModelPackage importModel(Path onnx, Path contentEncoder, Path pitchModel, String id, int speakers, String license,
            Path modelsDir) {
        if (id != null) {
            ModelsFolder.checkId(id);
        }
        if (speakers < 0 || speakers > ModelPackage.MAX_SPEAKERS) {
            throw new ModelException("--speakers " + speakers + " is outside 1.." + ModelPackage.MAX_SPEAKERS
                    + " (model.json names every speaker; speaker ids are 0.." + (ModelPackage.MAX_SPEAKERS - 1) + ")");
        }
        byte[] model = readOnnx(onnx);
        String modelId = id != null ? id : sanitize(onnx.getFileName().toString().replaceFirst("(?i)\\.onnx$", ""));
        ModelsFolder.checkId(modelId);
        Path folder = modelsDir.resolve(modelId);
        if (Files.exists(folder)) {
            throw new ModelException(folder + ": already exists; choose another --id or remove it");
        }
        if (Files.isDirectory(ModelsFolder.of(modelId))) {
            throw new ModelException(ModelsFolder.of(modelId) + ": a model with this id is already installed; choose another --id");
        }
        ObjectNode manifest = ModelPackage.JSON.createObjectNode();
        ArrayNode files = ModelPackage.JSON.createArrayNode();
        Map<String, byte[]> contents = new HashMap<>();
        List<String> speakerNames = new ArrayList<>();
        try (OrtSession decoder = open(onnx, model)) {
            ModelContract c = ModelContract.detect(decoder, onnx);
            manifest.put("format", c.format());
            int rate = c.sampleRate();
            int hop = c.hopSamples();
            if (c.format().equals(ModelPackage.STREAM)) {
                if (rate == 0 || hop == 0) {
                    throw new ModelException(onnx + ": a voxmorph-stream graph needs the metadata prop 'voxmorph' with sampleRate and "
                            + "hopSamples (see models/FORMAT.md)");
                }
                files.add(entry("stream.onnx", "stream", model, decoder));
                contents.put("stream.onnx", model);
            } else {
                if (contentEncoder == null) {
                    throw new ModelException(onnx + ": is an RVC model (" + c.exporter() + "); it needs a HuBERT/ContentVec ONNX: "
                            + "--content-encoder FILE");
                }
                byte[] encoder = readOnnx(contentEncoder);
                try (OrtSession enc = open(contentEncoder, encoder)) {
                    int channels = probeChannels(enc, contentEncoder);
                    if (c.channels() != 0 && c.channels() != channels) {
                        throw new ModelException(contentEncoder + ": gives " + channels + " feature channels but " + onnx.getFileName()
                                + " wants " + c.channels() + " (use the matching HuBERT/ContentVec export)");
                    }
                    int probedHop = probeHop(decoder, onnx, c, channels);
                    if (rate != 0 && rate / 100 != probedHop) {
                        throw new ModelException(onnx + ": metadata says " + rate + " Hz but the graph makes " + probedHop + " samples per frame");
                    }
                    rate = probedHop * 100;
                    hop = probedHop;
                    files.add(entry("decoder.onnx", "decoder", model, decoder));
                    files.add(entry("content.onnx", "content-encoder", encoder, enc));
                    contents.put("decoder.onnx", model);
                    contents.put("content.onnx", encoder);
                }
                if (pitchModel != null) {
                    if (!c.f0()) {
                        throw new ModelException(onnx + ": takes no pitch input, so --pitch-model " + pitchModel.getFileName() + " would be unused");
                    }
                    byte[] pitch = readOnnx(pitchModel);
                    try (OrtSession p = open(pitchModel, pitch)) {
                        files.add(entry("pitch.onnx", "pitch", pitch, p));
                        contents.put("pitch.onnx", pitch);
                    }
                }
            }
            manifest.put("sampleRate", rate);
            manifest.put("hopSamples", hop);
            manifest.put("latencySamples", 0);
            c.manifestKeys().forEach(manifest::set);
            speakerNames.addAll(c.speakers());
            manifest.put("provenance", "imported from " + onnx.toAbsolutePath() + (contentEncoder == null ? "" : " with content encoder "
                    + contentEncoder.toAbsolutePath()) + " on " + LocalDate.now() + " (" + c.exporter() + " contract"
                    + (c.format().equals(ModelPackage.RVC) ? (c.f0() ? ", f0" : ", no f0") + (c.fp16() ? ", fp16" : ", fp32") : "") + ")");
        } catch (OrtException e) {
            throw new ModelException(onnx + ": probe call failed (" + OnnxSessions.firstLine(e) + ")");
        }
        if (speakers > 0 || speakerNames.isEmpty()) {
            speakerNames.clear();
            for (int i = 0; i < Math.max(1, speakers); i++) {
                speakerNames.add("speaker " + i);
            }
        }
        ArrayNode names = manifest.putArray("speakers");
        speakerNames.forEach(names::add);
        manifest.put("license", license == null ? "unknown (ask the model's author before sharing)" : license);
        manifest.set("files", files);
        write(folder, manifest, contents);
        return ModelPackage.read(folder);
    }

    private static byte[] readOnnx(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ModelException(file + (Files.exists(file) ? ": is not a regular file" : ": no such file"));
        }
        try {
            if (Files.size(file) > ModelPackage.MAX_ONNX_BYTES) {
                throw new ModelException(file + ": " + Files.size(file) + " bytes is more than the " + ModelPackage.MAX_ONNX_BYTES
                        + " a model file may have (it is read into memory, and no voice that runs in real time is this big)");
            }
        } catch (IOException e) {
            throw new ModelException(file + ": cannot read (" + e.getMessage() + ")");
        }
        String lower = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".pth") || lower.endsWith(".pt") || lower.endsWith(".ckpt") || lower.endsWith(".pkl")) {
            throw new ModelException(file + ": is a PyTorch/pickle file; pickles can run code when loaded, so Voxmorph only imports ONNX "
                    + "(export it with RVC's or w-okada's ONNX exporter first)");
        }
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelException(file + ": no such file");
        } catch (IOException e) {
            throw new ModelException(file + ": cannot read (" + e.getMessage() + ")");
        }
        if (ModelPackage.looksLikePickle(data)) {
            throw new ModelException(file + ": is a PyTorch/pickle file, not ONNX; pickles can run code when loaded, so Voxmorph refuses them");
        }
        return data;
    }

    private static OrtSession open(Path file, byte[] data) {
        return OnnxSessions.open(file, data, 1, false).session();
    }

    private static int probeChannels(OrtSession enc, Path file) throws OrtException {
        if (enc.getInputNames().size() != 1 || enc.getOutputNames().size() != 1) {
            throw new ModelException(file + ": a content encoder has one waveform input and one [1, T, C] output");
        }
        String input = enc.getInputNames().iterator().next();
        long[] shape = ((TensorInfo) enc.getInputInfo().get(input).getInfo()).getShape();
        Object zeros = shape.length == 3 ? new float[1][1][16000] : new float[1][16000];
        try (OnnxTensor t = OnnxTensor.createTensor(OnnxSessions.environment(), zeros);
                OrtSession.Result r = enc.run(Map.of(input, t))) {
            long[] out = ((TensorInfo) r.get(0).getInfo()).getShape();
            if (out.length != 3) {
                throw new ModelException(file + ": content encoder output must be [1, T, C], not " + java.util.Arrays.toString(out));
            }
            return (int) out[2];
        }
    }

    private static int probeHop(OrtSession dec, Path file, ModelContract c, int channels) throws OrtException {
        var env = OnnxSessions.environment();
        Map<String, OnnxTensor> in = new HashMap<>();
        try {
            if (c.fp16()) {
                in.put(c.featsName(), OnnxTensor.createTensor(env, java.nio.ShortBuffer.wrap(new short[PROBE_FRAMES * channels]),
                        new long[] {1, PROBE_FRAMES, channels}, ai.onnxruntime.OnnxJavaType.FLOAT16));
            } else {
                in.put(c.featsName(), OnnxTensor.createTensor(env, new float[1][PROBE_FRAMES][channels]));
            }
            in.put(c.lengthsName(), OnnxTensor.createTensor(env, new long[] {PROBE_FRAMES}));
            in.put(c.speakerName(), OnnxTensor.createTensor(env, new long[] {0}));
            if (c.f0()) {
                long[][] coarse = new long[1][PROBE_FRAMES];
                java.util.Arrays.fill(coarse[0], 1);
                in.put("pitch", OnnxTensor.createTensor(env, coarse));
                in.put("pitchf", OnnxTensor.createTensor(env, new float[1][PROBE_FRAMES]));
            }
            if (c.exporter().equals("rvc-official")) {
                in.put("rnd", OnnxTensor.createTensor(env, new float[1][192][PROBE_FRAMES]));
            }
            try (OrtSession.Result r = dec.run(in)) {
                OnnxValue audio = r.get(0);
                long n = 1;
                for (long d : ((TensorInfo) audio.getInfo()).getShape()) {
                    n *= d;
                }
                if (n % PROBE_FRAMES != 0) {
                    throw new ModelException(file + ": made " + n + " samples for " + PROBE_FRAMES + " frames, not a whole hop per frame");
                }
                return (int) (n / PROBE_FRAMES);
            }
        } finally {
            in.values().forEach(OnnxTensor::close);
        }
    }

    private static ObjectNode entry(String path, String role, byte[] data, OrtSession session) throws OrtException {
        ObjectNode e = ModelPackage.JSON.createObjectNode();
        e.put("path", path);
        e.put("role", role);
        e.put("sha256", ModelPackage.sha256(data));
        e.set("inputs", describe(session.getInputInfo()));
        e.set("outputs", describe(session.getOutputInfo()));
        return e;
    }

    private static ArrayNode describe(Map<String, NodeInfo> nodes) {
        ArrayNode out = ModelPackage.JSON.createArrayNode();
        for (NodeInfo n : nodes.values()) {
            ObjectNode o = out.addObject();
            o.put("name", n.getName());
            if (n.getInfo() instanceof TensorInfo t) {
                o.put("type", t.type.toString().toLowerCase(Locale.ROOT));
                ArrayNode shape = o.putArray("shape");
                String[] dimNames = t.getDimensionNames();
                long[] dims = t.getShape();
                for (int i = 0; i < dims.length; i++) {
                    if (dims[i] > 0) {
                        shape.add(dims[i]);
                    } else {
                        shape.add(dimNames[i].isEmpty() ? "?" : dimNames[i]);
                    }
                }
            }
        }
        return out;
    }

    /** Writes into a scratch folder first, so a failed import leaves nothing half-made. */
    private static void write(Path folder, ObjectNode manifest, Map<String, byte[]> contents) {
        Path scratch = folder.resolveSibling(folder.getFileName() + ".importing");
        try {
            Files.createDirectories(scratch);
            for (Map.Entry<String, byte[]> e : contents.entrySet()) {
                Files.write(scratch.resolve(e.getKey()), e.getValue());
            }
            Files.writeString(scratch.resolve("model.json"), ModelPackage.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest) + "\n");
            Files.move(scratch, folder);
        } catch (IOException e) {
            throw new ModelException(folder + ": cannot write the package (" + e.getMessage() + ")");
        }
    }

    private static String sanitize(String name) {
        String s = name.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("\\.\\.+", ".");
        s = s.isEmpty() || !Character.isLetterOrDigit(s.charAt(0)) ? "model-" + s : s;
        return s.length() > ModelsFolder.MAX_ID_LENGTH ? s.substring(0, ModelsFolder.MAX_ID_LENGTH) : s;
    }
}
