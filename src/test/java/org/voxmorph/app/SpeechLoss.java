package org.voxmorph.app;

/**
 * What a listener lost: the speech blocks of a reference (an offline render of what live mode
 * heard) that the live recording does not carry. The recording is aligned to the reference at the
 * best lag, and that alignment is followed block by block (a device that drops or inserts a few ms,
 * or the drift corrector's stretch, moves it).
 *
 * <p>{@link #measure}, for a voice that keeps the waveform (passthrough): a block of the reference's
 * speech counts as heard when the recording, at the followed alignment, has it in shape (normalised
 * correlation at least {@value #MIN_NCC}) and in level (within {@value #MAX_LEVEL_DROP_DB} dB);
 * silence, a fill, a glitch or the wrong audio count as lost, and so does whatever was played in
 * between when the speech turns up later than the alignment said (a gap the device inserted). {@link #measureLevel}, for a
 * converting voice, whose live waveform need not match the offline one sample for sample (a pitch
 * shifter's grains fall where its history puts them): the alignment is followed on the energy
 * envelope (moving at most {@value #ENVELOPE_STEP_MS} ms a block), and a block counts as lost when the recording there is more than
 * {@value #MAX_LEVEL_DROP_DB} dB below the reference (silence, or the fill dying away).
 *
 * <p>Both let the delay change in a pause, where nothing is heard to change (the pulse backend
 * moves its queue a period at a time there, padding or dropping silence): the first block of a
 * word may be found at a new alignment without the step counting as lost speech, and the envelope
 * is matched within the word. A gap inside a word counts in full.
 */
final class SpeechLoss {
    static final double MIN_NCC = 0.8;
    static final double MAX_LEVEL_DROP_DB = 10;
    /** Blocks more than this far below the reference's loudest are not speech (pauses, breaths). */
    static final double SPEECH_FLOOR_DB = 35;
    /** How far the alignment is searched when it no longer fits: a dropout or a gap moves it. */
    static final double SEARCH_MS = 100;
    /**
     * After this many lost blocks in a row the alignment is searched again, {@value #RESYNC_MS} ms
     * either way over the next second: a device that stalls through ALSA's pulse plugin comes back
     * on a new stream with a new delay, and what it plays after that is heard, not lost.
     */
    static final int RESYNC_BLOCKS = 20;
    static final double RESYNC_MS = 1000;
    /** How far the envelope alignment may move from one block to the next within a word. */
    static final double ENVELOPE_STEP_MS = 25;

    /**
     * @param fraction     lost speech blocks over speech blocks
     * @param longestGapMs the longest run of consecutive lost speech blocks
     */
    record Result(int speechBlocks, int lostBlocks, double fraction, double longestGapMs, int lag) {
        @Override
        public String toString() {
            return String.format("%.2f %% of %.1f s of speech lost (%d of %d blocks), longest gap %.0f ms, lag %d",
                    100 * fraction, speechBlocks * 0.01, lostBlocks, speechBlocks, longestGapMs, lag);
        }
    }

    private SpeechLoss() {}

    /**
     * @param reference what the listener should hear
     * @param recording what was played, starting up to {@code maxLeadSamples} before to
     *                  {@code maxLagSamples} after the reference
     * @param block     the block length (10 ms: the engine's)
     */
    static Result measure(float[] reference, float[] recording, int rate, int block, int maxLeadSamples, int maxLagSamples) {
        float[] y = new float[recording.length + maxLeadSamples];
        System.arraycopy(recording, 0, y, maxLeadSamples, recording.length);
        // The first ten seconds fix the alignment; the search over all of a minute would take long.
        float[] head = java.util.Arrays.copyOf(reference, Math.min(reference.length, 10 * rate));
        int lag = SignalMatch.bestLag(head, y, maxLeadSamples + maxLagSamples);
        int found = lag;
        int search = (int) (SEARCH_MS * rate / 1000);
        int blocks = reference.length / block;
        double peak = 0;
        for (int b = 0; b < blocks; b++) {
            peak = Math.max(peak, energy(reference, b * block, block));
        }
        double speechFloor = peak * Math.pow(10, -SPEECH_FLOOR_DB / 10);
        int speech = 0;
        int lost = 0;
        int run = 0;
        int longest = 0;
        boolean afterPause = true;
        for (int b = 0; b < blocks; b++) {
            int s = b * block;
            double ex = energy(reference, s, block);
            if (ex < speechFloor) {
                afterPause = true;
                continue;
            }
            if (s + lag + search + block > y.length || s + lag - search < 0) {
                continue;
            }
            speech++;
            boolean heard = heardAt(reference, y, s, block, lag, ex);
            int inserted = 0;
            if (!heard) {
                int best = bestLocalLag(reference, y, s, block, lag, search);
                if (heardAt(reference, y, s, block, best, ex)) {
                    heard = true;
                    // Found later than expected: something else (a gap, a fill) was played in between,
                    // lost speech unless it lengthened a pause (see the class comment).
                    inserted = afterPause ? 0 : (best - lag + block / 2) / block;
                    lag = best;
                } else if (run > 0 && (run + 1) % RESYNC_BLOCKS == 0) {
                    // Lost for a while: the gap is counted, and what came after it is looked for further away.
                    int again = resync(reference, y, s, rate, lag);
                    if (heardAt(reference, y, s, block, again, ex)) {
                        heard = true;
                        // A gap longer than the blocks already counted lost in it: the rest of it.
                        inserted = Math.max(0, (again - lag + block / 2) / block - run);
                        lag = again;
                    }
                }
            }
            if (inserted > 0) {
                speech += inserted;
                lost += inserted;
                run += inserted;
                longest = Math.max(longest, run);
            }
            if (heard) {
                run = 0;
            } else {
                lost++;
                run++;
                longest = Math.max(longest, run);
            }
            afterPause = false;
        }
        return new Result(speech, lost, speech == 0 ? 1 : (double) lost / speech, 1000.0 * longest * block / rate,
                found - maxLeadSamples);
    }

    /** Envelope frames for {@link #measureLevel}: 2.5 ms at 48 kHz. */
    static final int FRAME = 120;
    /** The envelope is matched over this much either side of each block. */
    static final double ENVELOPE_WINDOW_MS = 300;

    /** For a converting voice: see the class comment. */
    static Result measureLevel(float[] reference, float[] recording, int rate, int block, int maxLeadSamples, int maxLagSamples) {
        float[] y = new float[recording.length + maxLeadSamples];
        System.arraycopy(recording, 0, y, maxLeadSamples, recording.length);
        float[] head = java.util.Arrays.copyOf(reference, Math.min(reference.length, 10 * rate));
        int found = SignalMatch.bestLag(envelopeSignal(head), envelopeSignal(y),
                (maxLeadSamples + maxLagSamples) / FRAME) * FRAME;
        double[] ex = logEnvelope(reference);
        double[] ey = logEnvelope(y);
        int lagFrames = found / FRAME;
        int search = (int) (ENVELOPE_STEP_MS * rate / 1000) / FRAME;
        int pauseSearch = (int) (SEARCH_MS * rate / 1000) / FRAME;
        int window = (int) (ENVELOPE_WINDOW_MS * rate / 1000) / FRAME;
        int perBlock = block / FRAME;
        int blocks = reference.length / block;
        double peak = 0;
        for (int b = 0; b < blocks; b++) {
            peak = Math.max(peak, energy(reference, b * block, block));
        }
        double speechFloor = peak * Math.pow(10, -SPEECH_FLOOR_DB / 10);
        int speech = 0;
        int lost = 0;
        int run = 0;
        int longest = 0;
        int wordStart = 0;
        boolean afterPause = true;
        for (int b = 0; b < blocks; b++) {
            int s = b * block;
            double e = energy(reference, s, block);
            if (e < speechFloor) {
                afterPause = true;
                continue;
            }
            if (s + (lagFrames + search + 1) * FRAME + block > y.length || s + (lagFrames - search) * FRAME < 0) {
                continue;
            }
            // The envelope is matched from the start of the word on, not across the pause before it,
            // which may have been made longer or shorter (see the class comment); at the word's start it is
            // searched as far as the passthrough measure searches.
            int radius = search;
            if (afterPause) {
                wordStart = b * perBlock;
                afterPause = false;
                radius = pauseSearch;
            }
            int l = bestEnvelopeLag(ex, ey, Math.max(wordStart, b * perBlock - window), b * perBlock + window, lagFrames, radius);
            if (s + l * FRAME < 0 || s + l * FRAME + block > y.length) {
                continue;
            }
            speech++;
            lagFrames = l;
            double ep = energy(y, s + lagFrames * FRAME, block);
            if (ep >= e * Math.pow(10, -MAX_LEVEL_DROP_DB / 10)) {
                run = 0;
            } else {
                lost++;
                run++;
                longest = Math.max(longest, run);
            }
        }
        return new Result(speech, lost, speech == 0 ? 1 : (double) lost / speech, 1000.0 * longest * block / rate,
                found - maxLeadSamples);
    }

    /** The lag (in frames) within {@code radius} of {@code around} whose envelope differs least, in dB, over frames start..end. */
    private static int bestEnvelopeLag(double[] ex, double[] ey, int start, int end, int around, int radius) {
        int best = around;
        double bestCost = Double.POSITIVE_INFINITY;
        int from = Math.max(0, start);
        int to = Math.min(ex.length, end);
        for (int l = around - radius; l <= around + radius; l++) {
            double cost = 0;
            for (int i = from; i < to; i++) {
                int j = i + l;
                double d = (j >= 0 && j < ey.length ? ey[j] : -100) - ex[i];
                cost += Math.abs(d);
            }
            // ties go to the lag already followed, so that silence does not make it wander
            if (cost < bestCost - 1e-9 || (Math.abs(cost - bestCost) <= 1e-9 && Math.abs(l - around) < Math.abs(best - around))) {
                bestCost = cost;
                best = l;
            }
        }
        return best;
    }

    /** Energy per frame in dB, floored at -100. */
    private static double[] logEnvelope(float[] x) {
        double[] e = new double[x.length / FRAME];
        for (int f = 0; f < e.length; f++) {
            e[f] = Math.max(-100, 10 * Math.log10(energy(x, f * FRAME, FRAME) / FRAME + 1e-12));
        }
        return e;
    }

    /** The envelope as a signal (mean-free dB per frame), for a coarse alignment by correlation. */
    private static float[] envelopeSignal(float[] x) {
        double[] e = logEnvelope(x);
        float[] f = new float[e.length];
        for (int i = 0; i < e.length; i++) {
            f[i] = (float) (e[i] + 50);
        }
        return f;
    }

    private static boolean heardAt(float[] x, float[] y, int s, int n, int lag, double ex) {
        double ey = energy(y, s + lag, n);
        if (ey < ex * Math.pow(10, -MAX_LEVEL_DROP_DB / 10)) {
            return false;
        }
        return dot(x, s, y, s + lag, n) / Math.sqrt(ex * ey) >= MIN_NCC;
    }

    /** The lag within {@link #RESYNC_MS} of {@code around} at which the reference's next second from s fits best. */
    private static int resync(float[] x, float[] y, int s, int rate, int around) {
        int d = 8;
        int n = Math.min(rate, x.length - s) / d;
        int radius = (int) (RESYNC_MS * rate / 1000) / d;
        int best = around;
        double bestNcc = Double.NEGATIVE_INFINITY;
        for (int l = around / d - radius; l <= around / d + radius; l++) {
            int at = s + l * d;
            if (at - 2 * d < 0 || at + Math.max(n * d, rate / 10) + 2 * d > y.length) {
                continue;
            }
            double xy = 0;
            double yy = 0;
            for (int i = 0; i < n * d; i += d) {
                xy += (double) x[s + i] * y[at + i];
                yy += (double) y[at + i] * y[at + i];
            }
            double ncc = xy / Math.sqrt(yy + 1e-20);
            if (ncc > bestNcc) {
                bestNcc = ncc;
                best = l * d;
            }
        }
        return bestLocalLag(x, y, s, Math.min(rate / 10, x.length - s), best, 2 * d);
    }

    private static int bestLocalLag(float[] x, float[] y, int s, int n, int around, int radius) {
        int best = around;
        double bestNcc = Double.NEGATIVE_INFINITY;
        for (int l = around - radius; l <= around + radius; l++) {
            double ey = energy(y, s + l, n);
            double ncc = dot(x, s, y, s + l, n) / Math.sqrt(ey + 1e-20);
            if (ncc > bestNcc) {
                bestNcc = ncc;
                best = l;
            }
        }
        return best;
    }

    private static double energy(float[] x, int from, int n) {
        return dot(x, from, x, from, n);
    }

    private static double dot(float[] a, int ai, float[] b, int bi, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) a[ai + i] * b[bi + i];
        }
        return s;
    }
}
