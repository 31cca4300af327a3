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
     * Why the processor could not be prepared (a broken model file, say), or null. A failed slot
     * passes audio through untouched, so one bad part never takes the engine down.
     */
    public String failure() {
        return failure;
    }

    void prepare(StreamSpec spec) {
        failure = null;
        try {
            processor.prepare(spec);
            latency = processor.latencySamples();
        } catch (RuntimeException e) {
            failure = id + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + " (passing audio through instead)";
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

    void process(AudioBlock block) {
        if (failure != null) {
            return;
        }
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
