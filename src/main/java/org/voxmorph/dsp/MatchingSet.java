package org.voxmorph.dsp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A target voice as the frame-matching converter uses it: every active 10 ms frame of the target's
 * own speech, each with its content vector ({@link ContentNet}: which sound, not whose; stored
 * normalised by the target's own mean and spread) and its spectral envelope ({@link FrameAnalysis}),
 * plus the target's log-F0 centre and spread. {@link FrameMatcher} replaces each source frame's
 * envelope by the average of the envelopes of its nearest frames here.
 *
 * <p>Stored as a small binary file (no code, just numbers: {@link #toBytes}); a voice profile keeps
 * one beside it and a built-in voice package ships one per speaker. The file names the content
 * model its vectors come from; a set made by another (or, before format 2, by MFCCs) is refused
 * with one line saying to enroll again.
 */
public final class MatchingSet {
    public static final double HOP_SECONDS = 0.010;
    /** Frames quieter than the loud ones (95th percentile) by more than this are pauses and left out. */
    private static final double ACTIVE_RANGE_DB = 40;
    /** A minute of active speech: more adds little and costs search time on every frame. */
    public static final int MAX_FRAMES = 6000;
    private static final int MAGIC_V1 = 0x564D5331; // "VMS1": MFCC content, before the content encoder
    private static final int MAGIC = 0x564D5332; // "VMS2"
    private static final int MAX_KIND_BYTES = 200;

    private final String contentKind;
    private final int dimensions;
    private final int frames;
    private final float[] features;
    private final float[] envelopes;
    private final float[] norms;
    private final double[] featureMean;
    private final double[] featureSd;
    private final double logF0Centre;
    private final double logF0Spread;

    public MatchingSet(String contentKind, int frames, float[] features, float[] envelopes, double[] featureMean,
            double[] featureSd, double logF0Centre, double logF0Spread) {
        int d = featureMean.length;
        if (frames < 1 || d < 1 || features.length != frames * d || envelopes.length != frames * FrameAnalysis.GRID
                || featureSd.length != d || !(logF0Spread > 0) || !Double.isFinite(logF0Centre)) {
            throw new IllegalArgumentException("inconsistent matching set (" + frames + " frames)");
        }
        this.contentKind = contentKind;
        this.dimensions = d;
        this.frames = frames;
        this.features = features;
        this.envelopes = envelopes;
        this.featureMean = featureMean.clone();
        this.featureSd = featureSd.clone();
        this.logF0Centre = logF0Centre;
        this.logF0Spread = logF0Spread;
        norms = new float[frames];
        for (int j = 0; j < frames; j++) {
            for (int c = 0; c < d; c++) {
                float v = features[j * d + c];
                norms[j] += v * v;
            }
        }
    }

    /**
     * Analyses clips of one speaker ({@code rate} Hz) whose pitch statistics are already known, every
     * 10 ms, with the content network exactly as {@link FrameMatcher} runs it (each clip starts after
     * digital silence).
     */
    public static MatchingSet analyse(List<float[]> clips, double rate, double logF0Centre, double logF0Spread, ContentNet net) {
        FrameAnalysis analysis = new FrameAnalysis(rate);
        ContentNet.Encoder encoder = net.encoder();
        int d = net.dimensions();
        int bands = FrameAnalysis.BANDS;
        int frame = analysis.frameSamples();
        int hop = (int) Math.round(HOP_SECONDS * rate);
        float[] history = new float[net.context() * bands];
        List<float[]> feats = new ArrayList<>();
        List<double[]> envs = new ArrayList<>();
        List<Double> levels = new ArrayList<>();
        for (float[] x : clips) {
            java.util.Arrays.fill(history, FrameAnalysis.silentLogMel());
            for (int at = 0; at + frame <= x.length; at += hop) {
                double[] e = new double[FrameAnalysis.GRID];
                analysis.analyse(x, at, e);
                System.arraycopy(history, bands, history, 0, history.length - bands);
                analysis.logMel(history, history.length - bands);
                float[] f = new float[d];
                encoder.encode(history, 0, f);
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
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (int i : kept) {
            for (int c = 0; c < d; c++) {
                mean[c] += feats.get(i)[c] / n;
            }
        }
        for (int i : kept) {
            for (int c = 0; c < d; c++) {
                double dev = feats.get(i)[c] - mean[c];
                sd[c] += dev * dev / n;
            }
        }
        for (int c = 0; c < d; c++) {
            sd[c] = Math.sqrt(sd[c]) + 1e-6;
        }
        float[] features = new float[n * d];
        float[] envelopes = new float[n * FrameAnalysis.GRID];
        for (int j = 0; j < n; j++) {
            float[] f = feats.get(kept.get(j));
            for (int c = 0; c < d; c++) {
                features[j * d + c] = (float) ((f[c] - mean[c]) / sd[c]);
            }
            double[] e = envs.get(kept.get(j));
            for (int g = 0; g < FrameAnalysis.GRID; g++) {
                envelopes[j * FrameAnalysis.GRID + g] = (float) e[g];
            }
        }
        return new MatchingSet(net.kind(), n, features, envelopes, mean, sd, logF0Centre, logF0Spread);
    }

    /**
     * The union of several sets: a pseudo-speaker whose frames come from all of them. Its content
     * statistics are the frame-weighted average; its pitch is given.
     */
    public static MatchingSet union(List<MatchingSet> sets, double logF0Centre, double logF0Spread) {
        int n = sets.stream().mapToInt(MatchingSet::frames).sum();
        MatchingSet first = sets.get(0);
        int fd = first.dimensions;
        float[] features = new float[n * fd];
        float[] envelopes = new float[n * FrameAnalysis.GRID];
        double[] mean = new double[fd];
        double[] sd = new double[fd];
        int at = 0;
        for (MatchingSet s : sets) {
            if (!s.contentKind.equals(first.contentKind)) {
                throw new IllegalArgumentException("matching sets of different content models");
            }
            System.arraycopy(s.features, 0, features, at * fd, s.features.length);
            System.arraycopy(s.envelopes, 0, envelopes, at * FrameAnalysis.GRID, s.envelopes.length);
            for (int c = 0; c < fd; c++) {
                mean[c] += s.featureMean[c] * s.frames / n;
                sd[c] += s.featureSd[c] * s.frames / n;
            }
            at += s.frames;
        }
        return new MatchingSet(first.contentKind, n, features, envelopes, mean, sd, logF0Centre, logF0Spread);
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
        return new MatchingSet(contentKind, frames, features, out, featureMean, featureSd, logF0Centre, logF0Spread);
    }

    public int frames() {
        return frames;
    }

    /** Length of a content vector. */
    public int dimensions() {
        return dimensions;
    }

    /** The content model the vectors come from ({@link ContentNet#kind()}). */
    public String contentKind() {
        return contentKind;
    }

    /** Normalised content vectors, {@link #dimensions()} per frame (shared, do not change). */
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

    /**
     * Little-endian: magic, frames, content dimensions, grid size, the content model's name
     * (length-prefixed UTF-8), pitch, content statistics, then the frames.
     */
    public byte[] toBytes() {
        int fd = dimensions;
        byte[] kind = contentKind.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(headerBytes(kind.length, fd) + 4 * (features.length + envelopes.length))
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(frames).putInt(fd).putInt(FrameAnalysis.GRID);
        b.putInt(kind.length).put(kind);
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

    private static int headerBytes(int kindBytes, int dimensions) {
        return 16 + 4 + kindBytes + 16 + 16 * dimensions;
    }

    /** Reads {@link #toBytes}; throws IllegalArgumentException (one line) on anything else. */
    public static MatchingSet fromBytes(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int magic = bytes.length < 20 ? 0 : b.getInt();
        if (magic == MAGIC_V1) {
            throw new IllegalArgumentException("matching set of format 1 (MFCC matching, before the content encoder): enroll the voice again");
        }
        if (magic != MAGIC) {
            throw new IllegalArgumentException("not a Voxmorph matching set");
        }
        int n = b.getInt();
        int fd = b.getInt();
        int grid = b.getInt();
        int kindBytes = b.getInt();
        if (grid != FrameAnalysis.GRID || fd < 1 || fd > 256 || kindBytes < 0 || kindBytes > MAX_KIND_BYTES) {
            throw new IllegalArgumentException("matching set of another version (enroll the voice again)");
        }
        if (n < 1 || bytes.length != headerBytes(kindBytes, fd) + 4L * n * (fd + FrameAnalysis.GRID)) {
            throw new IllegalArgumentException("matching set is truncated or too long");
        }
        byte[] kind = new byte[kindBytes];
        b.get(kind);
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
        return new MatchingSet(new String(kind, java.nio.charset.StandardCharsets.UTF_8), n, features, envelopes, mean, sd,
                centre, spread);
    }
}
