package org.voxmorph.model;

import java.nio.file.Path;
import java.util.List;

/**
 * A user-supplied CREPE pitch model (package file with role {@code pitch}): input {@code [N, 1024]}
 * frames of 16 kHz audio, each normalised to zero mean and unit variance; output {@code [N, 360]}
 * voicing salience over 20-cent bins from 1997.38 cents (≈ 32.7 Hz). Pitch is the
 * salience-weighted mean of the nine bins around the peak, as CREPE decodes it; a peak under
 * {@link #VOICED} is unvoiced, RVC's threshold for CREPE.
 */
final class CrepePitch implements RvcPitch {
    static final int FRAME = 1024;
    static final int BINS = 360;
    static final double VOICED = 0.1;

    private final PinnedSession session;
    private final DirectTensor input;
    private final DirectTensor salience;
    private final float[] frame = new float[FRAME];

    CrepePitch(PinnedSession session, int frames) {
        this.session = session;
        Path file = session.file();
        List<String> inputs = List.copyOf(session.session().getInputNames());
        long[] shape = inputs.size() == 1 ? session.inputInfo(inputs.get(0)).getShape() : new long[0];
        if (shape.length != 2 || shape[1] != FRAME) {
            throw new ModelException(file + ": a CREPE pitch model takes one input [N, 1024] of 16 kHz frames");
        }
        input = session.input(inputs.get(0), frames, FRAME);
        session.warmUp();
        if (session.outputNames().size() != 1) {
            throw new ModelException(file + ": a CREPE pitch model has one output [N, 360]");
        }
        salience = session.output(session.outputNames().iterator().next());
        if (salience.elements() != frames * BINS) {
            throw new ModelException(file + ": a CREPE pitch model's output is [N, 360], not " + java.util.Arrays.toString(salience.shape()));
        }
    }

    @Override
    public void track(float[] audio16k, int len, float[] hz) {
        for (int f = 0; f < hz.length; f++) {
            int start = 160 * f + 80 - FRAME / 2;
            double mean = 0;
            for (int i = 0; i < FRAME; i++) {
                int k = start + i;
                frame[i] = k >= 0 && k < len ? audio16k[k] : 0f;
                mean += frame[i];
            }
            mean /= FRAME;
            double var = 0;
            for (int i = 0; i < FRAME; i++) {
                var += (frame[i] - mean) * (frame[i] - mean);
            }
            double scale = 1.0 / Math.max(1e-10, Math.sqrt(var / FRAME));
            for (int i = 0; i < FRAME; i++) {
                input.setFloat(f * FRAME + i, (float) ((frame[i] - mean) * scale));
            }
        }
        session.run();
        for (int f = 0; f < hz.length; f++) {
            hz[f] = (float) decode(salience, f * BINS);
        }
    }

    /** Hz from one frame's salience starting at {@code offset}, 0 when unvoiced. */
    static double decode(DirectTensor s, int offset) {
        int peak = 0;
        for (int b = 1; b < BINS; b++) {
            if (s.getFloat(offset + b) > s.getFloat(offset + peak)) {
                peak = b;
            }
        }
        if (s.getFloat(offset + peak) < VOICED) {
            return 0;
        }
        double weight = 0;
        double cents = 0;
        for (int b = Math.max(0, peak - 4); b <= Math.min(BINS - 1, peak + 4); b++) {
            double w = s.getFloat(offset + b);
            weight += w;
            cents += w * (1997.3794084376191 + 20.0 * b);
        }
        double f = 10.0 * Math.pow(2.0, cents / weight / 1200.0);
        return RvcPitch.inRange(f);
    }

    @Override
    public void reset() {
        // Each window is analysed afresh.
    }

    @Override
    public List<PinnedSession> sessions() {
        return List.of(session);
    }

    @Override
    public void close() {
        session.close();
    }
}
