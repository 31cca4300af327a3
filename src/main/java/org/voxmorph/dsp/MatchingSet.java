package org.voxmorph.dsp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A target voice as the frame-matching converter uses it: every active 10 ms frame of the target's
 * own speech, each with its content vector (normalised by the target's own mean and spread, so
 * it says which sound, not whose) and its spectral envelope ({@link FrameAnalysis}), plus the
 * target's log-F0 centre and spread. {@link FrameMatcher} replaces each source frame's envelope
 * by the average of the envelopes of its nearest frames here.
 *
 * <p>Stored as a small binary file (no code, just numbers: {@link #toBytes}); a voice profile keeps
 * one beside it and a built-in voice package ships one per speaker.
 */
public final class MatchingSet {
    public static final double HOP_SECONDS = 0.010;
    /** Frames quieter than the loud ones (95th percentile) by more than this are pauses and left out. */
    private static final double ACTIVE_RANGE_DB = 40;
    /** A minute of active speech: more adds little and costs search time on every frame. */
    public static final int MAX_FRAMES = 6000;
    private static final int MAGIC = 0x564D5331; // "VMS1"

    private final int frames;
    private final float[] features;
    private final float[] envelopes;
    private final float[] norms;
    private final double[] featureMean;
    private final double[] featureSd;
    private final double logF0Centre;
    private final double logF0Spread;

    public MatchingSet(int frames, float[] features, float[] envelopes, double[] featureMean, double[] featureSd,
            double logF0Centre, double logF0Spread) {
        if (frames < 1 || features.length != frames * FrameAnalysis.FEATURES || envelopes.length != frames * FrameAnalysis.GRID
                || featureMean.length != FrameAnalysis.FEATURES || featureSd.length != FrameAnalysis.FEATURES
                || !(logF0Spread > 0) || !Double.isFinite(logF0Centre)) {
            throw new IllegalArgumentException("inconsistent matching set (" + frames + " frames)");
        }
        this.frames = frames;
        this.features = features;
        this.envelopes = envelopes;
        this.featureMean = featureMean.clone();
        this.featureSd = featureSd.clone();
        this.logF0Centre = logF0Centre;
        this.logF0Spread = logF0Spread;
        norms = new float[frames];
        for (int j = 0; j < frames; j++) {
            for (int c = 0; c < FrameAnalysis.FEATURES; c++) {
                float v = features[j * FrameAnalysis.FEATURES + c];
                norms[j] += v * v;
            }
        }
    }

    /** Analyses clips of one speaker ({@code rate} Hz) whose pitch statistics are already known. */
    public static MatchingSet analyse(List<float[]> clips, double rate, double logF0Centre, double logF0Spread) {
        FrameAnalysis analysis = new FrameAnalysis(rate);
        int frame = analysis.frameSamples();
        int hop = (int) Math.round(HOP_SECONDS * rate);
        List<double[]> feats = new ArrayList<>();
        List<double[]> envs = new ArrayList<>();
        List<Double> levels = new ArrayList<>();
        for (float[] x : clips) {
            for (int at = 0; at + frame <= x.length; at += hop) {
                double[] f = new double[FrameAnalysis.FEATURES];
                double[] e = new double[FrameAnalysis.GRID];
                analysis.analyse(x, at, f, e);
                feats.add(f);
                envs.add(e);
                levels.add(analysis.level());
            }
        }
        if (feats.isEmpty()) {
            throw new IllegalArgumentException("no frames to analyse");
        }
        double[] sorted = levels.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double floor = sorted[(int) (0.95 * (sorted.length - 1))] - ACTIVE_RANGE_DB * Math.log(10) / 10;
        List<Integer> active = new ArrayList<>();
        for (int i = 0; i < levels.size(); i++) {
            if (levels.get(i) > floor) {
                active.add(i);
            }
        }
        double step = Math.max(1, active.size() / (double) MAX_FRAMES);
        List<Integer> kept = new ArrayList<>();
        for (double i = 0; i < active.size(); i += step) {
            kept.add(active.get((int) i));
        }
        int n = kept.size();
        int fd = FrameAnalysis.FEATURES;
        double[] mean = new double[fd];
        double[] sd = new double[fd];
        for (int i : kept) {
            for (int c = 0; c < fd; c++) {
                mean[c] += feats.get(i)[c] / n;
            }
        }
        for (int i : kept) {
            for (int c = 0; c < fd; c++) {
                double d = feats.get(i)[c] - mean[c];
                sd[c] += d * d / n;
            }
        }
        for (int c = 0; c < fd; c++) {
            sd[c] = Math.sqrt(sd[c]) + 1e-6;
        }
        float[] features = new float[n * fd];
        float[] envelopes = new float[n * FrameAnalysis.GRID];
        for (int j = 0; j < n; j++) {
            double[] f = feats.get(kept.get(j));
            for (int c = 0; c < fd; c++) {
                features[j * fd + c] = (float) ((f[c] - mean[c]) / sd[c]);
            }
            double[] e = envs.get(kept.get(j));
            for (int g = 0; g < FrameAnalysis.GRID; g++) {
                envelopes[j * FrameAnalysis.GRID + g] = (float) e[g];
            }
        }
        return new MatchingSet(n, features, envelopes, mean, sd, logF0Centre, logF0Spread);
    }

    /**
     * The union of several sets: a pseudo-speaker whose frames come from all of them. Its content
     * statistics are the frame-weighted average; its pitch is given.
     */
    public static MatchingSet union(List<MatchingSet> sets, double logF0Centre, double logF0Spread) {
        int n = sets.stream().mapToInt(MatchingSet::frames).sum();
        int fd = FrameAnalysis.FEATURES;
        float[] features = new float[n * fd];
        float[] envelopes = new float[n * FrameAnalysis.GRID];
        double[] mean = new double[fd];
        double[] sd = new double[fd];
        int at = 0;
        for (MatchingSet s : sets) {
            System.arraycopy(s.features, 0, features, at * fd, s.features.length);
            System.arraycopy(s.envelopes, 0, envelopes, at * FrameAnalysis.GRID, s.envelopes.length);
            for (int c = 0; c < fd; c++) {
                mean[c] += s.featureMean[c] * s.frames / n;
                sd[c] += s.featureSd[c] * s.frames / n;
            }
            at += s.frames;
        }
        return new MatchingSet(n, features, envelopes, mean, sd, logF0Centre, logF0Spread);
    }

    /**
     * This voice with its vocal tract scaled by {@code warp} (every envelope read at frequency /
     * warp: 1.1 puts the formants 10 % higher, as a shorter tract would) and the pitch figures given.
     */
    public MatchingSet warped(double warp, double logF0Centre, double logF0Spread) {
        int grid = FrameAnalysis.GRID;
        float[] out = new float[envelopes.length];
        for (int g = 0; g < grid; g++) {
            double from = Math.max(0, Math.min(grid - 1, FrameAnalysis.gridHz(g) / warp / FrameAnalysis.GRID_STEP_HZ - 1));
            int lo = Math.min(grid - 2, (int) from);
            float f = (float) (from - lo);
            for (int j = 0; j < frames; j++) {
                out[j * grid + g] = (1 - f) * envelopes[j * grid + lo] + f * envelopes[j * grid + lo + 1];
            }
        }
        return new MatchingSet(frames, features, out, featureMean, featureSd, logF0Centre, logF0Spread);
    }

    public int frames() {
        return frames;
    }

    /** Normalised content vectors, {@link FrameAnalysis#FEATURES} per frame (shared, do not change). */
    float[] features() {
        return features;
    }

    /** Squared length of each frame's content vector. */
    float[] norms() {
        return norms;
    }

    /** Envelopes, {@link FrameAnalysis#GRID} per frame (shared, do not change). */
    float[] envelopes() {
        return envelopes;
    }

    public double featureMean(int c) {
        return featureMean[c];
    }

    public double featureSd(int c) {
        return featureSd[c];
    }

    public double logF0Centre() {
        return logF0Centre;
    }

    public double logF0Spread() {
        return logF0Spread;
    }

    /** Little-endian: magic, frames, feature and grid sizes, pitch, content statistics, then the frames. */
    public byte[] toBytes() {
        int fd = FrameAnalysis.FEATURES;
        ByteBuffer b = ByteBuffer.allocate(16 + 16 + 16 * fd + 4 * (features.length + envelopes.length))
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(frames).putInt(fd).putInt(FrameAnalysis.GRID);
        b.putDouble(logF0Centre).putDouble(logF0Spread);
        for (int c = 0; c < fd; c++) {
            b.putDouble(featureMean[c]);
        }
        for (int c = 0; c < fd; c++) {
            b.putDouble(featureSd[c]);
        }
        for (float v : features) {
            b.putFloat(v);
        }
        for (float v : envelopes) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** Reads {@link #toBytes}; throws IllegalArgumentException (one line) on anything else. */
    public static MatchingSet fromBytes(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int fd = FrameAnalysis.FEATURES;
        if (bytes.length < 32 + 16 * fd || b.getInt() != MAGIC) {
            throw new IllegalArgumentException("not a Voxmorph matching set");
        }
        int n = b.getInt();
        if (b.getInt() != fd || b.getInt() != FrameAnalysis.GRID) {
            throw new IllegalArgumentException("matching set of another version (enroll the voice again)");
        }
        if (n < 1 || bytes.length != 32 + 16 * fd + 4L * n * (fd + FrameAnalysis.GRID)) {
            throw new IllegalArgumentException("matching set is truncated or too long");
        }
        double centre = b.getDouble();
        double spread = b.getDouble();
        double[] mean = new double[fd];
        double[] sd = new double[fd];
        for (int c = 0; c < fd; c++) {
            mean[c] = b.getDouble();
        }
        for (int c = 0; c < fd; c++) {
            sd[c] = b.getDouble();
        }
        float[] features = new float[n * fd];
        float[] envelopes = new float[n * FrameAnalysis.GRID];
        for (int i = 0; i < features.length; i++) {
            features[i] = b.getFloat();
        }
        for (int i = 0; i < envelopes.length; i++) {
            envelopes[i] = b.getFloat();
        }
        return new MatchingSet(n, features, envelopes, mean, sd, centre, spread);
    }
}
