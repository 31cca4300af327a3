package org.voxmorph.engine;

import org.voxmorph.audio.AudioCallback;
import org.voxmorph.audio.FloatRingBuffer;
import org.voxmorph.audio.ReservePolicy;

/**
 * What the audio device threads call: {@link #capture} from the input side and {@link #render}
 * from the output side (the same or different threads). Both only copy samples and never allocate,
 * lock, log or wait.
 *
 * <p>When the chain is late and the output ring runs short, {@link #render} crossfades (equal
 * power, {@value #FADE_MILLIS} ms) to a fallback, counts late blocks, and once the engine has
 * caught up drops the stale backlog and crossfades back. The output therefore never jumps,
 * whatever the chain does. The fallback of a chain that converts the voice is its {@link LateFill}
 * (the converted voice dying away, then silence), never the unconverted input: a user masking
 * their voice must not be heard unmasked because the machine was busy.
 */
public final class DeviceBridge implements AudioCallback {
    static final double FADE_MILLIS = 2.0;
    /** The most upsets may grow the reserve to. */
    static final double MAX_RESERVE_SECONDS = 0.05;
    /** A quiet spell this long (no late block, no xrun) gives one step of reserve back. */
    static final double QUIET_SECONDS = 30;
    /** Upsets this soon after a step are the same upset (a late spell, a burst of xruns). */
    static final double MERGE_SECONDS = 0.1;
    /** How often the slack (spare output at read time) is published for the drift corrector. */
    static final double SLACK_WINDOW_SECONDS = 0.25;

    /**
     * What a late block plays. {@code PASSTHROUGH}: the input played straight through, but only
     * while the chain converts nothing (the passthrough preset, or everything bypassed: the user
     * chose to be heard as they are); a converting chain always gets the {@link LateFill}.
     * {@code SILENCE}: the fill even then.
     */
    public enum LatePolicy { PASSTHROUGH, SILENCE }

    private enum State { PRIMING, WET, DRY }

    private final Engine engine;
    private final FloatRingBuffer dry;
    private final int fade;
    private final int maxFrames;
    private final float[] dryBuf;
    private final float[] wetBuf;
    private final float[] fadeOut;
    private final float[] fillBuf;
    private final LateFill lateFill;
    private final LatePolicy policy;
    /** Read by the status snapshot on another thread. */
    private volatile int targetFill;
    private int largestCall;
    private volatile int reserve;
    /** Grows the reserve after upsets and shrinks it after quiet; null until a reserve is asked for. */
    private ReservePolicy reservePolicy;
    private volatile long deviceXruns;
    private long deviceXrunsSeen;
    private State state = State.PRIMING;
    private final int slackWindowFrames;
    private int windowMinSlack = Integer.MAX_VALUE;
    private int windowFrames;
    /** Wet frames skipped on recovery minus input frames the late fallback stood in for: see {@link #measureSlack}. */
    private long wetBalance;
    /** Rendered frames when the output first went wet; devices jitter most while starting. */
    private long wetSince = -1;
    private volatile int lastWindowSlack;
    private volatile long slackWindows;

    private volatile long lateBlocks;
    private volatile long inputOverflows;
    private volatile long renderedFrames;
    private volatile long capturedFrames;

    /**
     * @param maxDeviceFrames the most frames one device call may ask for; larger calls are split
     */
    public DeviceBridge(Engine engine, int maxDeviceFrames, LatePolicy policy) {
        this.engine = engine;
        this.policy = policy;
        this.maxFrames = maxDeviceFrames;
        this.fade = Math.max(1, (int) Math.round(FADE_MILLIS * engine.sampleRate() / 1000.0));
        this.dry = new FloatRingBuffer(engine.input().capacity());
        this.dryBuf = new float[maxDeviceFrames];
        this.wetBuf = new float[maxDeviceFrames + fade];
        this.fadeOut = new float[fade];
        this.fillBuf = new float[maxDeviceFrames];
        this.lateFill = new LateFill(engine.sampleRate());
        for (int i = 0; i < fade; i++) {
            fadeOut[i] = (float) Math.cos(0.5 * Math.PI * (i + 0.5) / fade);
        }
        this.largestCall = engine.hopFrames();
        this.targetFill = largestCall + fade;
        this.slackWindowFrames = (int) Math.round(SLACK_WINDOW_SECONDS * engine.sampleRate());
    }

    @Override
    public void capture(float[] buf, int offset, int n) {
        int written = engine.input().write(buf, offset, n);
        if (written < n) {
            inputOverflows++;
        }
        dry.write(buf, offset, n);
        capturedFrames += n;
        engine.wake();
    }

    @Override
    public void render(float[] out, int offset, int n) {
        while (n > 0) {
            int chunk = Math.min(n, maxFrames);
            renderChunk(out, offset, chunk);
            offset += chunk;
            n -= chunk;
        }
    }

    /**
     * What the output ring holds beyond the crossfade; while late or priming render plays the fill
     * however long a backend waits, so there is nothing to wait for.
     */
    @Override
    public int ready() {
        return state == State.WET ? Math.max(0, engine.output().available() - fade) : Integer.MAX_VALUE;
    }

    private void renderChunk(float[] out, int off, int n) {
        // Keep the passthrough copy in step with the device: consume exactly n, drop any excess.
        int excess = dry.available() - (n + engine.hopFrames() + fade);
        if (excess > 0) {
            dry.skip(excess);
        }
        int got = dry.read(dryBuf, 0, n);

        FloatRingBuffer wet = engine.output();
        largestCall = Math.max(largestCall, n);
        targetFill = largestCall + Math.max(fade, reserve);
        boolean wentLate = false;
        switch (state) {
            case PRIMING -> {
                if (wet.available() >= targetFill) {
                    // Devices that start with a burst of backlog must not keep it as delay.
                    wet.skip(wet.available() - targetFill);
                    crossfadeToWet(out, off, n, fallback(n, got));
                } else {
                    System.arraycopy(fallback(n, got), 0, out, off, n);
                }
            }
            case WET -> {
                int avail = wet.available();
                if (avail >= n + fade) {
                    wet.read(out, off, n);
                    lateFill.remember(out, off, n);
                    measureSlack(avail - n, n);
                } else {
                    // Late: fade the wet we still have into the fallback.
                    float[] alt = fallback(n, got);
                    int f = Math.min(Math.min(avail, fade), n);
                    wet.read(wetBuf, 0, f);
                    if (settled()) {
                        countInBalance(-Math.min(got, n - f));
                    }
                    for (int i = 0; i < n; i++) {
                        if (i < f) {
                            float g = fadeOut[(int) ((long) i * fade / f)];
                            out[off + i] = g * wetBuf[i] + (float) Math.sqrt(1 - g * g) * alt[i];
                        } else {
                            out[off + i] = alt[i];
                        }
                    }
                    state = State.DRY;
                    wentLate = true;
                    // A late read is the clearest sign the output ring runs too low: report it at once.
                    lastWindowSlack = (int) (avail - n + wetBalance);
                    slackWindows++;
                    windowMinSlack = Integer.MAX_VALUE;
                    windowFrames = 0;
                    lateBlocks++;
                }
            }
            case DRY -> {
                // Back only once the engine has worked off its backlog, minus the stale part.
                // Or when the engine is stuck behind a full output ring: then its input is stale too.
                boolean caughtUp = engine.input().available() < engine.hopFrames();
                boolean blockedByUs = wet.free() < 4 * engine.hopFrames();
                if ((caughtUp || blockedByUs) && wet.available() >= targetFill) {
                    if (!caughtUp) {
                        engine.dropInputBacklog();
                    }
                    int skipped = wet.skip(wet.available() - targetFill);
                    if (settled() && caughtUp) {
                        countInBalance(skipped);
                    }
                    crossfadeToWet(out, off, n, fallback(n, got));
                } else {
                    System.arraycopy(fallback(n, got), 0, out, off, n);
                    if (settled()) {
                        countInBalance(-got);
                    }
                    lateBlocks++;
                }
            }
        }
        renderedFrames += n;
        adaptReserve(n, wentLate);
    }

    /**
     * The start of a late spell, or xruns the device reported since the last call, are an upset:
     * the reserve grows a step (the drift corrector then fills the ring up to it within seconds);
     * after a quiet spell it shrinks a step (and the corrector lets the ring run down as gently).
     * Upsets while the devices start up are expected and not counted.
     */
    private void adaptReserve(int n, boolean wentLate) {
        ReservePolicy p = reservePolicy;
        if (p == null) {
            return;
        }
        long x = deviceXruns;
        boolean xrun = x != deviceXrunsSeen;
        deviceXrunsSeen = x;
        reserve = p.advance(n, settled() && (wentLate || xrun));
    }

    /** Bounded: a drift shows within a few dozen ms; anything beyond is some other upset, not drift. */
    private void countInBalance(int frames) {
        long limit = (long) (MAX_RESERVE_SECONDS * engine.sampleRate());
        wetBalance = Math.max(-limit, Math.min(limit, wetBalance + frames));
    }

    /** Two seconds after the output first went wet: the devices' start-up is over. */
    private boolean settled() {
        return wetSince >= 0 && renderedFrames - wetSince > 2L * engine.sampleRate();
    }

    /**
     * The least slack of each window is what stands between the output and a late block. Recovering
     * from a late spell resets the ring, which would hide a slow drift from the drift corrector, so
     * the slack is reported as if the ring had served every input frame the fallback stood in for (input
     * that did not arrive at all, a device stall, is no drift and is not counted).
     */
    private void measureSlack(int slack, int n) {
        windowMinSlack = (int) Math.min(windowMinSlack, slack + wetBalance);
        windowFrames += n;
        if (windowFrames >= slackWindowFrames) {
            lastWindowSlack = windowMinSlack;
            slackWindows++;
            windowMinSlack = Integer.MAX_VALUE;
            windowFrames = 0;
        }
    }

    /**
     * The n frames a late block plays instead of the chain's output: the input (its first
     * {@code got} frames are there) only when the policy allows it and the chain converts nothing,
     * else the converted voice's fill.
     */
    private float[] fallback(int n, int got) {
        if (policy == LatePolicy.PASSTHROUGH && !engine.chain().converts()) {
            java.util.Arrays.fill(dryBuf, got, n, 0f);
            return dryBuf;
        }
        lateFill.fill(fillBuf, 0, n);
        return fillBuf;
    }

    private void crossfadeToWet(float[] out, int off, int n, float[] from) {
        wet().read(out, off, n);
        int f = Math.min(fade, n);
        for (int i = 0; i < f; i++) {
            float g = fadeOut[(int) ((long) i * fade / f)];
            out[off + i] = (float) Math.sqrt(1 - g * g) * out[off + i] + g * from[i];
        }
        lateFill.remember(out, off, n);
        state = State.WET;
        if (wetSince < 0) {
            wetSince = renderedFrames;
        }
    }

    private FloatRingBuffer wet() {
        return engine.output();
    }

    /**
     * Spare output frames to keep beyond one read when starting or recovering (at least the
     * crossfade): the drift corrector's target, so that it starts where it means to stay. The
     * floor of the reserve: upsets grow it from there and quiet shrinks it back. Before the devices start.
     */
    public void keepInReserve(int frames) {
        int rate = engine.sampleRate();
        int cap = Math.max(frames, (int) (MAX_RESERVE_SECONDS * rate));
        reservePolicy = new ReservePolicy(frames, engine.hopFrames(), cap, (long) (QUIET_SECONDS * rate),
                (long) (MERGE_SECONDS * rate));
        reserve = frames;
    }

    /**
     * Spare frames kept now: what {@link #keepInReserve} asked for, plus a step for each recent upset
     * (late block or xrun), less a step for each quiet spell since, within {@value #MAX_RESERVE_SECONDS} s.
     */
    public int reserveFrames() {
        return reserve;
    }

    /** Supervisor: the devices' xruns so far (a volatile the device thread compares, no more). */
    public void noteDeviceXruns(long total) {
        deviceXruns = total;
    }

    public int sampleRate() {
        return engine.sampleRate();
    }

    /** Windows of steady output measured so far; each publishes {@link #lastWindowSlack}. */
    public long slackWindows() { return slackWindows; }

    /** The least number of spare output frames the device found in the last window. */
    public int lastWindowSlack() { return lastWindowSlack; }

    public double slackWindowSeconds() { return SLACK_WINDOW_SECONDS; }

    /** Device calls played wholly or partly from the late fallback. */
    public long lateBlocks() { return lateBlocks; }

    /** Capture calls that found the input ring full (the engine stalled for longer than the ring). */
    public long inputOverflows() { return inputOverflows; }

    public long renderedFrames() { return renderedFrames; }

    public long capturedFrames() { return capturedFrames; }

    /** Frames of output buffered between engine and device: part of the device-side latency. */
    public int outputFill() {
        return engine.output().available();
    }

    public int targetFillFrames() {
        return targetFill;
    }
}
