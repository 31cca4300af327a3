package org.voxmorph.dsp;

import java.util.Arrays;

/**
 * Takes keyboard clicks, mouse clicks and other short bright bursts down to the level of what
 * came before them, using the look-ahead a delaying stage already has: it sees each hop of input
 * one hop before that hop's output is finished ({@link SpectralDenoiser} hands it both), so it
 * adds no delay of its own.
 *
 * <p>Why not the spectral estimator alone: its noise tracker follows a floor that changes over
 * seconds, and a click lasts a few milliseconds, so clicks pass it untouched. A click is told from
 * speech by being short, which takes seeing past it. The input above {@value #DETECT_HZ} Hz is
 * measured in {@value #BLOCKS_PER_HOP} blocks per hop (1 ms at 48 kHz). A click starts at a block
 * that stands more than {@value #CLICK_DB} dB above both the mean of the blocks before it and the
 * mean of those 3-7 blocks after it (a plosive or a word's onset goes on, a click dies away), and
 * that has most of its energy above {@value #DETECT_HZ} Hz (voiced speech has little there); it
 * runs on while its energy keeps falling, for at most 12 blocks. Within it the band above about
 * {@value #SPLIT_HZ} Hz is brought down to the level before the click, or to what comes after it
 * (less the click's own tail) where that is higher, so speech under or right after a click keeps
 * its level; the band below is never touched. Gains are spread to the neighbouring blocks and
 * ramped sample by sample, so the suppression itself does not click.
 *
 * <p>Does not allocate after construction. Not thread safe.
 */
public final class ClickSuppressor {
    static final int BLOCKS_PER_HOP = 8;
    static final double CLICK_DB = 9;
    static final double SPLIT_HZ = 1000;
    /** Clicks are measured above this; a click block has most of its energy there, voiced speech little. */
    static final double DETECT_HZ = 2000;
    private static final double BRIGHT = 0.5;
    private static final double CLICK_RATIO = Math.pow(10, CLICK_DB / 10);
    /**
     * Blocks before a block whose mean is the "before" level (the nearest is left out: a click's
     * onset may start there). Means, not minima: voiced speech's glottal pulses make single blocks
     * stand out over the gaps between them, but not over a mean that spans a pitch period.
     */
    private static final int PRE_FROM = 9;
    private static final int PRE_TO = 2;
    /** Blocks after it whose mean is the "after" level: a click's decay is over by then, speech is not. */
    private static final int POST_FROM = 3;
    private static final int POST_TO = 7;
    /** Once a click is found, its tail is followed while it stays this far above the level around it, for at most 12 ms. */
    private static final double TAIL_RATIO = 2;
    private static final int MAX_CLICK_BLOCKS = 12;
    /** The part of the "after" level that is not the click's own tail (a click's tail is down 9 dB 3 ms on). */
    private static final double AFTER_SHARE = 0.125;
    /** Where the finished hop starts in {@link #energy}. */
    private static final int FINISHED = 2 * BLOCKS_PER_HOP;

    private final int block;
    /** Block energies: two hops before the finished hop, the finished hop, the newest hop (the look-ahead). */
    private final double[] energy = new double[4 * BLOCKS_PER_HOP];
    /** The same blocks' full-band energies. */
    private final double[] full = new double[4 * BLOCKS_PER_HOP];
    /** Raw gains for the finished hop's blocks and one block either side. */
    private final double[] raw = new double[BLOCKS_PER_HOP + 2];
    private final Biquad lowBand = new Biquad();
    private final Biquad detectBand = new Biquad();
    /** A click's tail: blocks it may still run on, and the level it is brought to. */
    private int clickLeft;
    private double clickLevel;
    private double lastGain = 1;
    private int suppressedBlocks;
    /** Hops left in which the noise estimate should not learn from the input (a click is in or just behind it). */
    private int clickHold;

    /** @param hop samples per hop, a multiple of {@value #BLOCKS_PER_HOP} */
    public ClickSuppressor(double sampleRate, int hop) {
        if (hop % BLOCKS_PER_HOP != 0) {
            throw new IllegalArgumentException("hop " + hop + " is not a multiple of " + BLOCKS_PER_HOP);
        }
        this.block = hop / BLOCKS_PER_HOP;
        lowBand.setLowPass(sampleRate, SPLIT_HZ, Math.sqrt(0.5));
        detectBand.setHighPass(sampleRate, DETECT_HZ, Math.sqrt(0.5));
        reset();
    }

    public void reset() {
        Arrays.fill(energy, 0);
        Arrays.fill(full, 0);
        lowBand.reset();
        detectBand.reset();
        lastGain = 1;
        clickLeft = 0;
        clickLevel = 0;
        clickHold = 0;
        raw[raw.length - 1] = 1;
        suppressedBlocks = 0;
    }

    /** Blocks taken down since the last reset (for tests and meters). */
    public int suppressedBlocks() {
        return suppressedBlocks;
    }

    /** Measures the newest hop of input, {@code x[from..from+hop)}. */
    public void analyse(float[] x, int from) {
        System.arraycopy(energy, BLOCKS_PER_HOP, energy, 0, 3 * BLOCKS_PER_HOP);
        System.arraycopy(full, BLOCKS_PER_HOP, full, 0, 3 * BLOCKS_PER_HOP);
        for (int b = 0; b < BLOCKS_PER_HOP; b++) {
            double e = 0;
            double f = 0;
            for (int i = from + b * block, end = i + block; i < end; i++) {
                double h = detectBand.process(x[i]);
                e += h * h;
                f += x[i] * x[i];
            }
            energy[3 * BLOCKS_PER_HOP + b] = e;
            full[3 * BLOCKS_PER_HOP + b] = f;
        }
        clickHold = Math.max(0, clickHold - 1);
        for (int k = 3 * BLOCKS_PER_HOP; k < energy.length; k++) {
            // Without the look-ahead yet: a bright jump over what came before may be a click.
            if (energy[k] > CLICK_RATIO * mean(k - PRE_FROM, k - PRE_TO) && energy[k] > BRIGHT * full[k]) {
                clickHold = 3;
            }
        }
    }

    /**
     * Whether the two newest hops (a spectral frame) may hold a click or its tail. A noise tracker
     * should not learn from such a frame: clicks would lift its estimate of a floor that is not there.
     */
    public boolean mayHoldClick() {
        return clickHold > 0;
    }

    /**
     * Suppresses the clicks in the finished output hop {@code y[from..from+hop)}, which is the
     * hop of input measured before the newest one.
     *
     * @param floor the lowest gain (the suppressor's most attenuation, as a factor)
     */
    public void apply(float[] y, int from, double floor) {
        // raw[0] is the block before the finished hop (last call's look-ahead block), raw[9] the first after it.
        raw[0] = raw[raw.length - 1];
        int left = clickLeft;
        double level = clickLevel;
        for (int r = 1; r < raw.length; r++) {
            int k = FINISHED - 1 + r;
            double before = mean(k - PRE_FROM, k - PRE_TO);
            double after = mean(k + POST_FROM, k + POST_TO);
            double e = energy[k];
            if (e > CLICK_RATIO * Math.max(before, after) && e > BRIGHT * full[k]) {
                left = MAX_CLICK_BLOCKS;
                level = before;
            } else if (left > 0 && e > TAIL_RATIO * level && e < TAIL_RATIO * energy[k - 1]) {
                // A tail dies away; energy that climbs again is something else (speech) starting.
                left--;
            } else {
                left = 0;
            }
            // Down to the level before the click; the level after it, less the click's own decaying
            // tail in it, where that is higher (speech that starts under the click keeps its level).
            raw[r] = left > 0 ? Math.min(1, Math.sqrt(Math.max(level, AFTER_SHARE * after) / e)) : 1;
            if (r == BLOCKS_PER_HOP) {
                clickLeft = left;
                clickLevel = level;
            }
        }
        for (int b = 0; b < BLOCKS_PER_HOP; b++) {
            double g = Math.max(floor, Math.min(raw[b], Math.min(raw[b + 1], raw[b + 2])));
            if (g < 1) {
                suppressedBlocks++;
            }
            double step = (g - lastGain) / block;
            for (int i = from + b * block, end = i + block; i < end; i++) {
                lastGain += step;
                double low = lowBand.process(y[i]);
                y[i] = (float) (low + lastGain * (y[i] - low));
            }
            lastGain = g;
        }
    }

    /** Mean energy of blocks {@code from..to}, never zero. */
    private double mean(int from, int to) {
        double sum = 0;
        for (int j = from; j <= to; j++) {
            sum += energy[j];
        }
        return sum / (to - from + 1) + 1e-20;
    }
}
