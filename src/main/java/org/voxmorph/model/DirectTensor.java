package org.voxmorph.model;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.platform.Fp16Conversions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A tensor over a direct buffer we own. ONNX Runtime reads inputs from and writes pinned outputs
 * into that memory, so one tensor serves every call: no per-call tensor allocation, and fp16
 * models get fp16 data without a separate conversion pass.
 */
final class DirectTensor implements AutoCloseable {
    private final ByteBuffer buffer;
    private final OnnxJavaType type;
    private final long[] shape;
    private final int elements;
    private final OnnxTensor tensor;

    DirectTensor(OnnxJavaType type, long[] shape) {
        if (type != OnnxJavaType.FLOAT && type != OnnxJavaType.FLOAT16 && type != OnnxJavaType.INT64) {
            throw new IllegalArgumentException("tensor type " + type + " is not float, float16 or int64");
        }
        this.type = type;
        this.shape = shape.clone();
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        this.elements = Math.toIntExact(n);
        this.buffer = ByteBuffer.allocateDirect(elements * type.size).order(ByteOrder.nativeOrder());
        try {
            this.tensor = OnnxTensor.createTensor(OnnxSessions.environment(), buffer, this.shape, type);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot create a " + type + " tensor: " + OnnxSessions.firstLine(e), e);
        }
    }

    OnnxTensor tensor() {
        return tensor;
    }

    OnnxJavaType type() {
        return type;
    }

    long[] shape() {
        return shape.clone();
    }

    int elements() {
        return elements;
    }

    // The setters convert to the declared type, so a graph that declares, say, a float speaker id
    // still gets a correct value rather than bytes of the wrong width.

    void setFloat(int i, float v) {
        switch (type) {
            case FLOAT16 -> buffer.putShort(2 * i, Fp16Conversions.floatToFp16(v));
            case INT64 -> buffer.putLong(8 * i, (long) v);
            default -> buffer.putFloat(4 * i, v);
        }
    }

    float getFloat(int i) {
        return switch (type) {
            case FLOAT16 -> Fp16Conversions.fp16ToFloat(buffer.getShort(2 * i));
            case INT64 -> buffer.getLong(8 * i);
            default -> buffer.getFloat(4 * i);
        };
    }

    void setLong(int i, long v) {
        if (type == OnnxJavaType.INT64) {
            buffer.putLong(8 * i, v);
        } else {
            setFloat(i, v);
        }
    }

    /** Copies this tensor's bytes into another of the same type and size (a state out becoming the next state in). */
    void copyTo(DirectTensor other) {
        other.buffer.clear();
        other.buffer.put(buffer.duplicate().clear());
        other.buffer.clear();
    }

    void zero() {
        for (int i = 0; i < buffer.capacity(); i++) {
            buffer.put(i, (byte) 0);
        }
    }

    @Override
    public void close() {
        tensor.close();
    }
}
