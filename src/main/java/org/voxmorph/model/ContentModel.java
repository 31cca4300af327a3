package org.voxmorph.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.voxmorph.dsp.ContentNet;
import org.voxmorph.dsp.FrameAnalysis;
import org.voxmorph.dsp.MatchingSet;

/**
 * Voxmorph's content encoder, {@code models/voxmorph-content} (tools/train/content_encoder.py): the
 * speaker-independent space frame matching runs in. The package holds the network twice: as an
 * ONNX graph and as plain weights for {@link ContentNet}, which evaluates it on the engine thread
 * without allocating (an ONNX Runtime call allocates per run). Opening a package runs both on the
 * same probe input through ONNX Runtime and Java and refuses it when they disagree, so the numbers
 * that convert are the graph that was trained and exported.
 */
public final class ContentModel {
    public static final String MODEL_ID = "voxmorph-content";
    /** Largest |ONNX - Java| allowed on the probe, relative to the vector's largest value. */
    private static final double AGREEMENT = 1e-3;
    private static ContentNet shared;

    private ContentModel() {
    }

    /** The shipped content encoder, opened (and checked against its graph) once per process. */
    public static synchronized ContentNet shared() {
        if (shared == null) {
            shared = open(ModelsFolder.shipped(MODEL_ID));
        }
        return shared;
    }

    /** Opens a content-encoder package, checking its manifest, both files' sha256 and that they agree. */
    public static ContentNet open(Path folder) {
        ModelPackage pkg = ModelPackage.read(folder);
        if (!pkg.format().equals(ModelPackage.CONTENT)) {
            throw new ModelException(folder.resolve("model.json") + ": not a " + ModelPackage.CONTENT + " model");
        }
        ModelPackage.FileEntry weights = pkg.file("weights");
        ModelPackage.FileEntry graph = pkg.file("content-encoder");
        ContentNet net;
        try {
            net = ContentNet.fromBytes(pkg.bytes(weights), MODEL_ID + "@" + weights.sha256().substring(0, 12));
        } catch (IllegalArgumentException e) {
            throw new ModelException(folder.resolve(weights.path()) + ": " + e.getMessage());
        }
        Path graphFile = folder.resolve(graph.path());
        float[] probe = probe(net);
        float[] java = new float[net.dimensions()];
        net.encoder().encode(probe, 0, java);
        float[] onnx = runGraph(graphFile, pkg.bytes(graph), probe, net.context());
        double largest = 1e-6;
        double worst = 0;
        if (onnx.length != java.length) {
            throw new ModelException(graphFile + ": gives " + onnx.length + " values a frame; its weights give " + java.length);
        }
        for (int i = 0; i < java.length; i++) {
            largest = Math.max(largest, Math.abs(java[i]));
            worst = Math.max(worst, Math.abs(java[i] - onnx[i]));
        }
        if (!(worst <= AGREEMENT * largest)) {
            throw new ModelException(graphFile + ": disagrees with " + weights.path() + " (largest difference " + worst
                    + "); the package is not one export");
        }
        return net;
    }

    /** One speaker's matching set from a {@code voxmorph-frames} package, made with {@code content}. */
    public static MatchingSet readFrames(ModelPackage pkg, ModelPackage.FileEntry e, ContentNet content) {
        MatchingSet set;
        try {
            set = MatchingSet.fromBytes(pkg.bytes(e));
        } catch (IllegalArgumentException ex) {
            throw new ModelException(pkg.folder().resolve(e.path()) + ": " + ex.getMessage());
        }
        if (!set.contentKind().equals(content.kind())) {
            throw new ModelException(pkg.folder().resolve(e.path()) + ": made with content model " + set.contentKind()
                    + ", this Voxmorph has " + content.kind() + " (rebuild it: tools/voices/build.py)");
        }
        return set;
    }

    /** A window of speech-like log-mel frames (a deterministic pattern over the bands and time). */
    static float[] probe(ContentNet net) {
        int bands = FrameAnalysis.BANDS;
        float[] x = new float[net.context() * bands];
        for (int t = 0; t < net.context(); t++) {
            for (int b = 0; b < bands; b++) {
                x[t * bands + b] = (float) (-8 + 3 * Math.sin(0.37 * b + 0.9 * t) - 0.08 * b + Math.cos(1.7 * b * t));
            }
        }
        return x;
    }

    /**
     * The graph's content vector for the newest frame of {@code window}. Offline only: ONNX Runtime
     * runs on a thread of its own with a large stack (see SpeakerEncoder for why).
     */
    static float[] runGraph(Path file, byte[] bytes, float[] window, int frames) {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try (OrtSession session = OnnxSessions.open(file, bytes, 1, false).session();
                    OnnxTensor in = OnnxTensor.createTensor(OnnxSessions.environment(), FloatBuffer.wrap(window),
                            new long[] {1, frames, FrameAnalysis.BANDS});
                    OrtSession.Result r = session.run(Map.of("logmel", in))) {
                float[][][] out = (float[][][]) r.get(0).getValue();
                result.set(out[0][out[0].length - 1]);
            } catch (OrtException | RuntimeException e) {
                result.set(e instanceof ModelException m ? m
                        : new ModelException(file + ": cannot run (" + OnnxSessions.firstLine(e) + ")"));
            }
        }, "content-encoder-check", 16L << 20);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelException(file + ": interrupted");
        }
        if (result.get() instanceof ModelException e) {
            throw e;
        }
        return (float[]) result.get();
    }
}
