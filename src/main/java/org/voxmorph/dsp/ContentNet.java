package org.voxmorph.dsp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The content encoder's network, evaluated here on the newest frame only: which speech sound a
 * frame is, as a short vector in which the same sound from different speakers lies close
 * (models/voxmorph-content, trained by tools/train/content_encoder.py; the package's ONNX graph is
 * the same network, and org.voxmorph.model.ContentModel refuses a package where the two disagree).
 *
 * <p>Input: the {@link FrameAnalysis#logMel log-mel bands} of the newest {@link #context()} frames,
 * 10 ms apart, oldest first. The network removes each frame's mean over the bands (loudness, and
 * the constant the FFT size adds at other sample rates), standardises, then: a 5-frame
 * convolution to 128 channels, a 3-tap convolution dilated by 2 and one dilated by 4 (each with a
 * residual path), a 1x1 layer and a linear bottleneck: 17 frames of the past and the frame itself,
 * no look-ahead. Only the taps that reach the newest output are computed (7 first-layer columns,
 * 3 second-layer ones), a few hundred thousand multiply-adds per call.
 *
 * <p>Weights are numbers in a fixed layout ({@link #fromBytes}), nothing that runs. The network
 * is immutable and may be shared; the scratch memory of {@link #encode} is not: one
 * {@link Encoder} per thread, and it never allocates.
 */
public final class ContentNet {
    private static final int MAGIC = 0x4E434D56; // "VMCN" little-endian
    private static final int VERSION = 1;
    public static final int BANDS = 40;
    private static final int CONTEXT = 17;
    /** Columns of the first layer the newest output depends on (see the class comment). */
    private static final int[] FIRST = {0, 2, 4, 6, 8, 10, 12};
    /** Columns of the second layer it depends on. */
    private static final int[] SECOND = {0, 4, 8};

    private final String kind;
    private final int channels;
    private final int dimensions;
    private final float[] inputMean;
    private final float[] inputSd;
    private final float[] w1;
    private final float[] b1;
    private final float[] w2;
    private final float[] b2;
    private final float[] w3;
    private final float[] b3;
    private final float[] w4;
    private final float[] b4;
    private final float[] wOut;
    private final float[] bOut;

    private ContentNet(ByteBuffer b, String kind, int channels, int dimensions) {
        this.kind = kind;
        this.channels = channels;
        this.dimensions = dimensions;
        inputMean = floats(b, BANDS);
        inputSd = floats(b, BANDS);
        w1 = floats(b, channels * BANDS * 5);
        b1 = floats(b, channels);
        w2 = floats(b, channels * channels * 3);
        b2 = floats(b, channels);
        w3 = floats(b, channels * channels * 3);
        b3 = floats(b, channels);
        w4 = floats(b, channels * channels);
        b4 = floats(b, channels);
        wOut = floats(b, dimensions * channels);
        bOut = floats(b, dimensions);
    }

    /**
     * Reads the weights file: little-endian magic "VMCN", version, bands, context, channels,
     * content size, then float32 input mean and spread, and each layer's weights (PyTorch's
     * [out][in][tap] order) and biases. {@code kind} names the model (content vectors are
     * comparable only within one kind).
     */
    public static ContentNet fromBytes(byte[] bytes, String kind) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 24 || b.getInt() != MAGIC) {
            throw new IllegalArgumentException("not a Voxmorph content network");
        }
        int version = b.getInt();
        int bands = b.getInt();
        int context = b.getInt();
        int channels = b.getInt();
        int dimensions = b.getInt();
        if (version != VERSION || bands != BANDS || context != CONTEXT || channels < 1 || channels > 1024
                || dimensions < 1 || dimensions > 256) {
            throw new IllegalArgumentException("content network of another version or shape (v" + version + ", " + bands
                    + " bands, " + context + " frames)");
        }
        long floats = 2L * BANDS + channels * (BANDS * 5L + 1) + 2L * channels * (channels * 3L + 1) + channels * (channels + 1L)
                + dimensions * (channels + 1L);
        if (bytes.length != 24 + 4 * floats) {
            throw new IllegalArgumentException("content network is truncated or too long (" + bytes.length + " bytes)");
        }
        return new ContentNet(b, kind, channels, dimensions);
    }

    private static float[] floats(ByteBuffer b, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = b.getFloat();
        }
        return out;
    }

    /** Names the model these vectors come from (its id and the first digits of its sha256). */
    public String kind() {
        return kind;
    }

    /** Frames of log-mel the newest output depends on. */
    public int context() {
        return CONTEXT;
    }

    /** Length of a content vector. */
    public int dimensions() {
        return dimensions;
    }

    /** Scratch memory for one thread. */
    public Encoder encoder() {
        return new Encoder();
    }

    /** Evaluates the network for one thread, without allocating. */
    public final class Encoder {
        private final float[] x = new float[CONTEXT * BANDS];
        private final float[] h1 = new float[FIRST.length * channels];
        private final float[] h2 = new float[SECOND.length * channels];
        private final float[] h3 = new float[channels];
        private final float[] h4 = new float[channels];

        private Encoder() {
        }

        public ContentNet net() {
            return ContentNet.this;
        }

        /**
         * The content vector of the newest frame of {@code logMel} ({@link #context()} frames of
         * {@value #BANDS} bands, oldest first, starting at {@code offset}) into {@code out}.
         */
        public void encode(float[] logMel, int offset, float[] out) {
            for (int t = 0; t < CONTEXT; t++) {
                int at = offset + t * BANDS;
                float mean = 0;
                for (int k = 0; k < BANDS; k++) {
                    mean += logMel[at + k];
                }
                mean /= BANDS;
                for (int k = 0; k < BANDS; k++) {
                    x[t * BANDS + k] = (logMel[at + k] - mean - inputMean[k]) / inputSd[k];
                }
            }
            // Layer 1 (5 taps) at the columns layer 2 reads.
            for (int j = 0; j < FIRST.length; j++) {
                int col = FIRST[j];
                for (int o = 0; o < channels; o++) {
                    float s = b1[o];
                    int w = o * BANDS * 5;
                    for (int i = 0; i < BANDS; i++, w += 5) {
                        for (int tap = 0; tap < 5; tap++) {
                            s += w1[w + tap] * x[(col + tap) * BANDS + i];
                        }
                    }
                    h1[j * channels + o] = Math.max(0, s);
                }
            }
            // Layer 2 (3 taps, dilation 2; residual from layer 1 four columns on) at the columns layer 3 reads.
            for (int j = 0; j < SECOND.length; j++) {
                int first = SECOND[j] / 2; // index in FIRST of column SECOND[j]
                for (int o = 0; o < channels; o++) {
                    float s = b2[o];
                    int w = o * channels * 3;
                    for (int i = 0; i < channels; i++, w += 3) {
                        s += w2[w] * h1[first * channels + i] + w2[w + 1] * h1[(first + 1) * channels + i]
                                + w2[w + 2] * h1[(first + 2) * channels + i];
                    }
                    h2[j * channels + o] = Math.max(0, s) + h1[(first + 2) * channels + o];
                }
            }
            // Layer 3 (3 taps, dilation 4; residual from layer 2's last column).
            for (int o = 0; o < channels; o++) {
                float s = b3[o];
                int w = o * channels * 3;
                for (int i = 0; i < channels; i++, w += 3) {
                    s += w3[w] * h2[i] + w3[w + 1] * h2[channels + i] + w3[w + 2] * h2[2 * channels + i];
                }
                h3[o] = Math.max(0, s) + h2[2 * channels + o];
            }
            for (int o = 0; o < channels; o++) {
                float s = b4[o];
                int w = o * channels;
                for (int i = 0; i < channels; i++) {
                    s += w4[w + i] * h3[i];
                }
                h4[o] = Math.max(0, s) + h3[o];
            }
            for (int d = 0; d < dimensions; d++) {
                float s = bOut[d];
                int w = d * channels;
                for (int i = 0; i < channels; i++) {
                    s += wOut[w + i] * h4[i];
                }
                out[d] = s;
            }
        }
    }
}
