package org.voxmorph.engine;

/**
 * What a converting chain plays when it has nothing of its own (the chain is late, or a processor
 * failed): the last converted audio, played back and forth over its final {@value #LOOP_MILLIS}
 * ms and faded out over {@value #FADE_MILLIS} ms, then silence. Never the unconverted input: a
 * user masking their voice must not be heard unmasked because the machine was busy.
 *
 * <p>Why this fill: {@code LateFillTest} measures the three privacy-safe choices on real speech
 * through {@code anonymize}. Cutting to silence leaves a hard edge in the middle of a word, and
 * comfort noise sounds like a different signal; continuing the converted voice and letting it die
 * away (what VoIP packet-loss concealment does) keeps the spectrum continuous at the edge. The
 * back-and-forth loop is continuous at every turn, so it needs no crossfade with audio we do not
 * have yet.
 *
 * <p>Allocation-free after construction; one instance per output stream, one thread at a time.
 */
public final class LateFill {
    static final double LOOP_MILLIS = 10.0;
    static final double FADE_MILLIS = 30.0;
    /** Crossfade from the fill back to real output. */
    static final double RESUME_MILLIS = 2.0;

    private final float[] history;
    private final float[] resumeScratch;
    private final int fadeFrames;
    private int histEnd;
    private int histCount;
    /** Fill samples produced since the last real audio; 0 when not filling. */
    private int filled;

    public LateFill(int sampleRate) {
        this.history = new float[Math.max(2, (int) Math.round(LOOP_MILLIS * sampleRate / 1000.0))];
        this.fadeFrames = Math.max(1, (int) Math.round(FADE_MILLIS * sampleRate / 1000.0));
        this.resumeScratch = new float[Math.max(1, (int) Math.round(RESUME_MILLIS * sampleRate / 1000.0))];
    }

    /** Real converted audio went out: remember its end, and end any fill. */
    public void remember(float[] x, int off, int n) {
        int len = history.length;
        for (int i = Math.max(0, n - len); i < n; i++) {
            history[histEnd] = x[off + i];
            histEnd = histEnd + 1 == len ? 0 : histEnd + 1;
        }
        histCount = Math.min(len, histCount + n);
        filled = 0;
    }

    /** Writes the next n samples of fill, continuing from where the last real audio (or fill) ended. */
    public void fill(float[] out, int off, int n) {
        int len = histCount;
        for (int i = 0; i < n; i++) {
            float v = 0f;
            if (len >= 2 && filled < fadeFrames) {
                // Ping-pong over the remembered samples, newest first: 1, 2, .., len-1, len-2, .., 0, 1, ..
                int period = 2 * (len - 1);
                int t = (filled + 1) % period;
                int back = t < len ? t : period - t;
                double g = 0.5 * (1 + Math.cos(Math.PI * filled / fadeFrames));
                v = (float) (g * newest(back));
            }
            out[off + i] = v;
            if (filled < Integer.MAX_VALUE) {
                filled++;
            }
        }
    }

    /** Whether the last thing produced was fill. */
    public boolean filling() {
        return filled > 0;
    }

    /**
     * Real audio is back after a fill: crossfades (equal power) from the fill's continuation into
     * the first {@value #RESUME_MILLIS} ms of x, in place, then remembers x.
     */
    public void resume(float[] x, int off, int n) {
        if (filled > 0) {
            int f = Math.min(resumeScratch.length, n);
            fill(resumeScratch, 0, f);
            for (int i = 0; i < f; i++) {
                double a = 0.5 * Math.PI * (i + 0.5) / f;
                x[off + i] = (float) (Math.sin(a) * x[off + i] + Math.cos(a) * resumeScratch[i]);
            }
        }
        remember(x, off, n);
    }

    /** The sample {@code back} steps before the newest remembered one (0 = the newest). */
    private float newest(int back) {
        int i = histEnd - 1 - back;
        while (i < 0) {
            i += history.length;
        }
        return history[i];
    }
}
