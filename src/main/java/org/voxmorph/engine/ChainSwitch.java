package org.voxmorph.engine;

import org.voxmorph.audio.FloatRingBuffer;
import java.util.List;
import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.Chain;
import org.voxmorph.chain.ParameterSet;
import org.voxmorph.chain.StagedProcessor;
import org.voxmorph.chain.StreamSpec;

/**
 * The live engine's one processor: runs the current chain and swaps in another at a block
 * boundary while running. For {@value #FADE_MILLIS} ms both chains run and the output crossfades
 * (equal power) from the old to the new, so choosing a preset mid-sentence never clicks. It also
 * copies what goes in and what comes out into two taps that a meter or recorder thread drains.
 * The worker side never waits, allocates or closes anything: the old chain is handed back.
 */
public final class ChainSwitch implements StagedProcessor {
    static final double FADE_MILLIS = 30;

    private final ParameterSet noParameters = ParameterSet.empty();
    private final FloatRingBuffer inputTap;
    private final FloatRingBuffer outputTap;
    private volatile Chain current;
    private volatile Chain pending;
    private volatile Chain retired;
    private Chain fadingOut;
    private StreamSpec spec;
    private AudioBlock old;
    private int fade;
    private int faded;
    private volatile boolean lastBlockFailed;

    /** @param tapFrames how much of each tap is kept for its reader: a reader that falls behind loses the excess */
    public ChainSwitch(Chain first, int tapFrames) {
        this.current = first;
        this.inputTap = new FloatRingBuffer(tapFrames);
        this.outputTap = new FloatRingBuffer(tapFrames);
    }

    @Override
    public void prepare(StreamSpec spec) {
        this.spec = spec;
        current.prepare(spec);
        old = new AudioBlock(spec.maxBlockFrames());
        fade = Math.max(1, spec.framesForMillis(FADE_MILLIS));
    }

    /** What a chain offered with {@link #offer} must be prepared for. */
    public StreamSpec spec() {
        return spec;
    }

    public Chain current() {
        return current;
    }

    /**
     * Any thread: the prepared chain to switch to at the next block. Only one switch at a time:
     * wait for {@link #takeRetired} to return the old chain before offering another.
     */
    public void offer(Chain prepared) {
        pending = prepared;
    }

    /** The chain switched away from once its fade is over (for the caller to close), else null. */
    public Chain takeRetired() {
        Chain r = retired;
        if (r != null) {
            retired = null;
        }
        return r;
    }

    public FloatRingBuffer inputTap() {
        return inputTap;
    }

    public FloatRingBuffer outputTap() {
        return outputTap;
    }

    @Override
    public void process(AudioBlock block) {
        int n = block.frames();
        float[] x = block.samples();
        inputTap.write(x, 0, Math.min(n, inputTap.free()));
        Chain next = pending;
        if (next != null && fadingOut == null) {
            pending = null;
            fadingOut = current;
            current = next;
            faded = 0;
        }
        if (fadingOut == null) {
            current.process(block);
            lastBlockFailed = current.lastBlockFailed();
        } else {
            float[] y = old.samples();
            System.arraycopy(x, 0, y, 0, n);
            old.setFrames(n);
            fadingOut.process(old);
            current.process(block);
            lastBlockFailed = current.lastBlockFailed() || fadingOut.lastBlockFailed();
            for (int i = 0; i < n; i++) {
                double t = Math.min(1.0, (faded + i + 0.5) / fade);
                x[i] = (float) (Math.sin(0.5 * Math.PI * t) * x[i] + Math.cos(0.5 * Math.PI * t) * y[i]);
            }
            faded += n;
            if (faded >= fade) {
                retired = fadingOut;
                fadingOut = null;
            }
        }
        outputTap.write(x, 0, Math.min(n, outputTap.free()));
    }

    @Override
    public boolean lastBlockFailed() {
        return lastBlockFailed;
    }

    @Override
    public boolean converts() {
        return current.converts();
    }

    @Override
    public List<String> failures() {
        return current.failures();
    }

    /** The current chain's delay; a switch to a chain with another delay is covered by the crossfade. */
    @Override
    public int latencySamples() {
        return current.latencySamples();
    }

    @Override
    public ParameterSet parameters() {
        return noParameters;
    }

    @Override
    public void reset() {
        current.reset();
    }

    @Override
    public void close() {
        current.close();
    }
}
