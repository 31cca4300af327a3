package org.voxmorph.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One ONNX session whose inputs and outputs live in {@link DirectTensor}s bound once: a call only
 * writes input values and reads output values. Output shapes are learned by a warm-up call
 * ({@link #warmUp}), which also pays the first-call costs before the session goes live.
 */
final class PinnedSession implements AutoCloseable {
    private final OrtSession session;
    private final Path file;
    private final String provider;
    private final String note;
    private final Map<String, OnnxTensor> inputMap = new HashMap<>();
    private final Map<String, OnnxValue> outputMap = new HashMap<>();
    private final Map<String, DirectTensor> owned = new LinkedHashMap<>();
    private final Map<String, DirectTensor> outputs = new LinkedHashMap<>();

    PinnedSession(OnnxSessions.Opened opened, Path file) {
        this.session = opened.session();
        this.provider = opened.provider();
        this.note = opened.note();
        this.file = file;
    }

    OrtSession session() {
        return session;
    }

    Path file() {
        return file;
    }

    /** Where the sessions run, plus any GPU fallback reason, in one line. */
    static String summary(java.util.List<PinnedSession> sessions) {
        StringBuilder s = new StringBuilder();
        for (PinnedSession p : sessions) {
            s.append(s.length() == 0 ? "" : "; ").append(p.file.getFileName()).append(" on ").append(p.provider);
            if (p.note != null) {
                s.append(" (").append(p.note).append(')');
            }
        }
        return s.toString();
    }

    /** The first GPU fallback reason among the sessions, or null. */
    static String fallback(java.util.List<PinnedSession> sessions) {
        return sessions.stream().map(p -> p.note).filter(n -> n != null).findFirst().orElse(null);
    }

    /** An input tensor this session created with {@link #input}. */
    DirectTensor ownInput(String name) {
        return owned.get("in:" + name);
    }

    /** The declared input, or null when the graph has none by that name. */
    TensorInfo inputInfo(String name) {
        try {
            NodeInfo n = session.getInputInfo().get(name);
            return n != null && n.getInfo() instanceof TensorInfo t ? t : null;
        } catch (OrtException e) {
            throw new ModelException(file + ": cannot read its inputs (" + OnnxSessions.firstLine(e) + ")");
        }
    }

    /** Creates and binds an input tensor of the graph's declared element type. */
    DirectTensor input(String name, long... shape) {
        TensorInfo info = inputInfo(name);
        if (info == null) {
            throw new ModelException(file + ": has no input '" + name + "'");
        }
        DirectTensor t;
        try {
            t = new DirectTensor(info.type, shape);
        } catch (IllegalArgumentException e) {
            throw new ModelException(file + ": input '" + name + "' is " + info.type + "; only float, float16 and int64 are supported");
        }
        owned.put("in:" + name, t);
        inputMap.put(name, t.tensor());
        return t;
    }

    /** Binds a tensor made elsewhere (another graph's output) as this graph's input. */
    void bind(String name, DirectTensor t) {
        inputMap.put(name, t.tensor());
    }

    /** Runs once with the current inputs and pins an output tensor of the right shape for each output. */
    void warmUp() {
        try (OrtSession.Result r = session.run(inputMap)) {
            for (Map.Entry<String, OnnxValue> e : r) {
                if (!(e.getValue() instanceof OnnxTensor t)) {
                    throw new ModelException(file + ": output '" + e.getKey() + "' is not a tensor");
                }
                DirectTensor pinned;
                try {
                    pinned = new DirectTensor(t.getInfo().type, t.getInfo().getShape());
                } catch (IllegalArgumentException ex) {
                    throw new ModelException(file + ": output '" + e.getKey() + "' is " + t.getInfo().type + "; only float, float16 and int64 are supported");
                }
                owned.put("out:" + e.getKey(), pinned);
                outputs.put(e.getKey(), pinned);
                outputMap.put(e.getKey(), pinned.tensor());
            }
        } catch (OrtException e) {
            throw new ModelException(file + ": failed on a test input (" + OnnxSessions.firstLine(e) + ")");
        }
        run();
    }

    DirectTensor output(String name) {
        DirectTensor t = outputs.get(name);
        if (t == null) {
            throw new ModelException(file + ": has no output '" + name + "'; outputs: " + outputs.keySet());
        }
        return t;
    }

    Set<String> outputNames() {
        return outputs.keySet();
    }

    /** One call; the outputs land in the pinned tensors. */
    void run() {
        try {
            // The pinned outputs already hold the values; the result only wraps them.
            session.run(inputMap, Set.of(), outputMap).close();
        } catch (OrtException e) {
            throw new ModelException(file + ": inference failed (" + OnnxSessions.firstLine(e) + ")");
        }
    }

    @Override
    public void close() {
        owned.values().forEach(DirectTensor::close);
        try {
            session.close();
        } catch (OrtException e) {
            // Closing only frees native memory; nothing more to do if it complains.
        }
    }
}
