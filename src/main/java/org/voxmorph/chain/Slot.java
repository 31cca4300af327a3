package org.voxmorph.chain;

/**
 * Holds one processor in a chain and lets it be bypassed without a click: the dry signal is
 * delayed by the processor's latency so wet and dry line up, and the switch is a short equal-gain
 * crossfade. The processor keeps running while bypassed so that bringing it back is seamless.
 */
public final class Slot {
    private static final double FADE_MILLIS = 10.0;

    private final String id;
    private final Processor processor;
    private volatile boolean bypassed;

    private float[] dryDelay = new float[0];
    private int delayPos;
    private float[] dryCopy = new float[0];
    private double wetGain = 1.0;
    private double fadeStep;
    private int latency;
    private volatile String failure;

    Slot(String id, Processor processor) {
        this.id = id;
        this.processor = processor;
    }

    public String id() {
        return id;
    }

    public Processor processor() {
        return processor;
    }

    public boolean isBypassed() {
        return bypassed;
    }

    /** Any thread. */
    public void setBypassed(boolean bypassed) {
        this.bypassed = bypassed;
    }

    /**
     * Why the processor could not be prepared (a broken model file, say) or stopped working (it
     * threw, or made NaN or infinite samples), or null. A failed slot never takes the engine down
     * and never lets the unconverted voice through: its blocks are reported failed, and the engine
     * plays its fill instead. It stays failed until it is prepared again.
     */
    public String failure() {
        return failure;
    }

    /** Appended to a failure line: what the listener hears instead. */
    public static final String FALLBACK_NOTE = " (silent instead)";

    void prepare(StreamSpec spec) {
        failure = null;
        try {
            processor.prepare(spec);
            latency = processor.latencySamples();
        } catch (RuntimeException e) {
            failure = id + ": " + describe(e) + FALLBACK_NOTE;
            latency = 0;
        }
        dryDelay = new float[latency + 1];
        delayPos = 0;
        dryCopy = new float[spec.maxBlockFrames()];
        fadeStep = 1.0 / Math.max(1, spec.framesForMillis(FADE_MILLIS));
        wetGain = bypassed ? 0.0 : 1.0;
    }

    int latencySamples() {
        return latency;
    }

    void reset() {
        if (failure == null) {
            processor.reset();
        }
        java.util.Arrays.fill(dryDelay, 0f);
        wetGain = bypassed ? 0.0 : 1.0;
    }

    /** @return false when the block is not this processor's output (see {@link #failure}); it is then zeroed. */
    boolean process(AudioBlock block) {
        int n = block.frames();
        float[] x = block.samples();
        if (failure != null) {
            if (bypassed) {
                return true; // the user chose to hear this stage's input
            }
            java.util.Arrays.fill(x, 0, n, 0f);
            return false;
        }
        try {
            runProcessor(block);
        } catch (RuntimeException e) {
            failure = id + ": " + describe(e) + FALLBACK_NOTE;
        }
        if (failure == null && !allFinite(x, n)) {
            failure = id + ": produced NaN or infinite samples" + FALLBACK_NOTE;
        }
        if (failure != null) {
            java.util.Arrays.fill(x, 0, n, 0f);
            return false;
        }
        return true;
    }

    private static boolean allFinite(float[] x, int n) {
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(x[i])) {
                return false;
            }
        }
        return true;
    }

    private static String describe(RuntimeException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private void runProcessor(AudioBlock block) {
        boolean bypass = bypassed;
        if (!bypass && wetGain == 1.0) {
            // The common case costs nothing but the processor, yet the dry line must stay current.
            pushDry(block.samples(), block.frames(), null);
            processor.process(block);
            return;
        }
        int n = block.frames();
        float[] x = block.samples();
        pushDry(x, n, dryCopy);
        processor.process(block);
        double target = bypass ? 0.0 : 1.0;
        for (int i = 0; i < n; i++) {
            if (wetGain < target) {
                wetGain = Math.min(target, wetGain + fadeStep);
            } else if (wetGain > target) {
                wetGain = Math.max(target, wetGain - fadeStep);
            }
            x[i] = (float) (wetGain * x[i] + (1.0 - wetGain) * dryCopy[i]);
        }
    }

    /** Delays the input by the processor latency; writes the delayed samples to {@code out} if given. */
    private void pushDry(float[] x, int n, float[] out) {
        int len = dryDelay.length;
        for (int i = 0; i < n; i++) {
            dryDelay[delayPos] = x[i];
            int read = delayPos - latency;
            if (read < 0) {
                read += len;
            }
            if (out != null) {
                out[i] = dryDelay[read];
            }
            delayPos = delayPos + 1 == len ? 0 : delayPos + 1;
        }
    }
}
