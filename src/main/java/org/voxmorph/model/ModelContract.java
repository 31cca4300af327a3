package org.voxmorph.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which contract a graph follows, read from its input and output names and embedded metadata.
 *
 * @param format       {@link ModelPackage#STREAM} or {@link ModelPackage#RVC}
 * @param exporter     {@code voxmorph}, {@code w-okada} (VCClient 2.1) or {@code rvc-official}
 * @param f0           whether an RVC graph takes pitch inputs
 * @param fp16         whether the feature (or audio) input is float16
 * @param channels     feature channels an RVC graph wants (256 or 768), 0 when not fixed by the graph
 * @param sampleRate   from the metadata, 0 when the graph does not say (the official exporter)
 * @param hopSamples   from the metadata, 0 when unknown
 * @param speakers     speaker names from the metadata, empty when unknown
 * @param manifestKeys voxmorph-stream only: the metadata's {@code latencySamples}, {@code vocoder},
 *                     {@code speakerF0} and {@code speakerEmbeddings} that model.json carries over; empty otherwise
 */
public record ModelContract(String format, String exporter, boolean f0, boolean fp16, int channels, int sampleRate,
        int hopSamples, List<String> speakers, Map<String, JsonNode> manifestKeys) {
    private static final List<String> CARRIED = List.of("latencySamples", "vocoder", "speakerF0", "speakerEmbeddings");

    private static final Set<String> WOKADA = Set.of("feats", "p_len", "sid");
    private static final Set<String> OFFICIAL = Set.of("phone", "phone_lengths", "ds", "rnd");
    private static final Set<String> PITCH = Set.of("pitch", "pitchf");

    /** The RVC names of the feature, length and speaker inputs for this exporter. */
    String featsName() {
        return exporter.equals("w-okada") ? "feats" : "phone";
    }

    String lengthsName() {
        return exporter.equals("w-okada") ? "p_len" : "phone_lengths";
    }

    String speakerName() {
        return exporter.equals("w-okada") ? "sid" : "ds";
    }

    /** @throws ModelException naming the file and its inputs when the graph follows no known contract */
    public static ModelContract detect(OrtSession session, Path file) {
        Map<String, NodeInfo> inputs;
        Map<String, String> meta;
        try {
            inputs = session.getInputInfo();
            meta = session.getMetadata().getCustomMetadata();
        } catch (OrtException e) {
            throw new ModelException(file + ": cannot read its inputs (" + OnnxSessions.firstLine(e) + ")");
        }
        Set<String> names = new TreeSet<>(inputs.keySet());
        Set<String> withoutPitch = new TreeSet<>(names);
        withoutPitch.removeAll(PITCH);
        boolean f0 = names.containsAll(PITCH);
        boolean pitchHalf = !f0 && (names.contains("pitch") || names.contains("pitchf"));
        if (names.contains("audio_in")) {
            return stream(file, inputs, meta);
        }
        String exporter = pitchHalf ? null
                : withoutPitch.equals(WOKADA) ? "w-okada" : withoutPitch.equals(OFFICIAL) ? "rvc-official" : null;
        if (exporter == null) {
            throw new ModelException(file + ": inputs " + names + " follow no known contract (RVC w-okada: feats, p_len, "
                    + "[pitch, pitchf,] sid; RVC official: phone, phone_lengths, pitch, pitchf, ds, rnd; voxmorph-stream: audio_in, ...)");
        }
        TensorInfo feats = (TensorInfo) inputs.get(exporter.equals("w-okada") ? "feats" : "phone").getInfo();
        long[] shape = feats.getShape();
        int channels = shape.length == 3 && shape[2] > 0 ? (int) shape[2] : 0;
        int rate = 0;
        String json = meta.get("metadata");
        if (json != null) {
            JsonNode m = parse(file, "metadata", json);
            if (m.path("application").asText().equals("VC_CLIENT")) {
                rate = m.path("samplingRate").asInt(0);
                if (m.has("f0") && m.path("f0").asBoolean() != f0) {
                    throw new ModelException(file + ": metadata says f0=" + m.path("f0").asBoolean() + " but the graph "
                            + (f0 ? "has" : "lacks") + " pitch inputs");
                }
                int emb = m.path("embChannels").asInt(0);
                if (channels == 0) {
                    channels = emb;
                } else if (emb != 0 && emb != channels) {
                    throw new ModelException(file + ": metadata says embChannels=" + emb + " but the graph takes " + channels);
                }
            }
        }
        return new ModelContract(ModelPackage.RVC, exporter, f0, feats.type == OnnxJavaType.FLOAT16, channels, rate,
                rate / 100, List.of(), Map.of());
    }

    private static ModelContract stream(Path file, Map<String, NodeInfo> inputs, Map<String, String> meta) {
        TensorInfo audio = (TensorInfo) inputs.get("audio_in").getInfo();
        int rate = 0;
        int hop = 0;
        List<String> speakers = new ArrayList<>();
        Map<String, JsonNode> carried = new java.util.LinkedHashMap<>();
        String json = meta.get("voxmorph");
        if (json != null) {
            JsonNode m = parse(file, "voxmorph", json);
            rate = m.path("sampleRate").asInt(0);
            hop = m.path("hopSamples").asInt(0);
            m.path("speakers").forEach(s -> speakers.add(s.asText()));
            for (String key : CARRIED) {
                if (m.has(key)) {
                    carried.put(key, m.get(key));
                }
            }
        }
        return new ModelContract(ModelPackage.STREAM, "voxmorph", false, audio.type == OnnxJavaType.FLOAT16, 0, rate, hop,
                List.copyOf(speakers), Map.copyOf(carried));
    }

    private static JsonNode parse(Path file, String key, String json) {
        try {
            return ModelPackage.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new ModelException(file + ": metadata '" + key + "' is not valid JSON");
        }
    }
}
