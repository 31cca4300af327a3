package org.voxmorph.dsp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test-side measurements: pitch and formant ratios between an input and its processed output. */
public final class Measure {
    private Measure() {
    }

    public static double median(List<Double> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : 0.5 * (a[a.length / 2 - 1] + a[a.length / 2]);
    }

    /**
     * Frame-by-frame pitch ratios output/input, measured with a test-side NSDF tracker (independent
     * of the shifter's YIN), the output frame taken {@code latency} samples later. Only frames
     * voiced in both count.
     */
    public static List<Double> pitchRatios(float[] in, float[] out, int latency, double rate) {
        int frame = (int) Math.round(0.064 * rate);
        int hop = (int) Math.round(0.010 * rate);
        NsdfPitch tracker = new NsdfPitch(rate);
        List<Double> ratios = new ArrayList<>();
        for (int start = 0; start + latency + frame <= out.length && start + frame <= in.length; start += hop) {
            double pa = tracker.pitchHz(in, start, frame);
            if (pa <= 0) {
                continue;
            }
            double pb = tracker.pitchHz(out, start + latency, frame);
            if (pb > 0) {
                ratios.add(pb / pa);
            }
        }
        return ratios;
    }

    /**
     * Frame-by-frame F1 and F2 ratios output/input ({@code [0]} F1, {@code [1]} F2) over frames
     * voiced in both (MPM voicing, LPC formants), the output taken {@code latency} samples later.
     */
    public static List<List<Double>> formantRatios(float[] in, float[] out, int latency, double rate) {
        LpcFormants lpc = new LpcFormants(rate);
        int hop = (int) Math.round(0.010 * rate);
        int frame = (int) Math.round(0.064 * rate);
        double[][] fin = lpc.track(in, hop, PitchTrackers.create("mpm", rate, frame));
        float[] aligned = Arrays.copyOfRange(out, Math.min(latency, out.length), out.length);
        double[][] fout = lpc.track(aligned, hop, PitchTrackers.create("mpm", rate, frame));
        List<Double> r1 = new ArrayList<>();
        List<Double> r2 = new ArrayList<>();
        for (int i = 0; i < Math.min(fin.length, fout.length); i++) {
            if (fin[i] != null && fout[i] != null) {
                r1.add(fout[i][0] / fin[i][0]);
                r2.add(fout[i][1] / fin[i][1]);
            }
        }
        return List.of(r1, r2);
    }

    /** Median offset (samples) of the output's largest sample after each click, relative to the click. */
    public static double clickOffset(float[] out, int[] clicks, int window) {
        List<Double> offsets = new ArrayList<>();
        for (int c : clicks) {
            int best = c;
            for (int i = c; i < Math.min(out.length, c + window); i++) {
                if (Math.abs(out[i]) > Math.abs(out[best])) {
                    best = i;
                }
            }
            offsets.add((double) (best - c));
        }
        return median(offsets);
    }
}
