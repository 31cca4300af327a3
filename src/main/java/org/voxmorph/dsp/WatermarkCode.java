package org.voxmorph.dsp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The Voxmorph watermark's code, shared by {@link WatermarkEmbedder} and {@link WatermarkDetector}.
 *
 * <p>Each carrier is a periodic pseudo-noise: a sum of cosines at every whole frequency from
 * {@value #LOW_HZ} to {@value #HIGH_HZ} Hz with phases drawn from a fixed key, so it repeats
 * exactly once a second at any sample rate and has nothing outside the band. The band survives
 * telephone-grade 16 kHz resampling (flat to 7.2 kHz) and Opus at 64 kb/s, and it is where speech
 * has enough energy to hide it. A one-second period lets a detector find the watermark in an
 * excerpt that starts anywhere: it folds the excerpt onto one period and correlates at every lag.
 *
 * <p>Carrier 0 says "converted by Voxmorph". The optional 16-bit voice id rides on carriers 1 and
 * 2, one byte each, as a delay of that carrier behind carrier 0 of {@code byte * }{@value #ID_STEP_MS}
 * ms: one strong correlation peak per byte rather than sixteen weak bits. Without a voice id,
 * carriers 1 and 2 are not sent at all.
 */
public final class WatermarkCode {
    public static final int LOW_HZ = 1000;
    public static final int HIGH_HZ = 6000;
    /** The analysis bands whose levels shape the watermark: half an octave wide, about two critical bands. */
    public static final int BANDS = 5;
    public static final int MAX_VOICE_ID = 0xFFFF;
    public static final int ID_STEP_MS = 3;
    /** The rate the detector works at; the id delays are whole samples there. */
    public static final int DETECTOR_RATE = 16000;
    static final int CARRIERS = 3;
    // With a voice id the sync carrier keeps 60 % of the power, each id byte 20 %.
    private static final double SYNC_SHARE = 0.6;
    private static final double ID_SHARE = 0.2;
    private static final long KEY = 0x566F786D6F727068L; // "Voxmorph"

    private static final double[][] PHASES = phases();
    private static final Map<List<Integer>, float[][]> RECENT = Collections.synchronizedMap(
            new LinkedHashMap<>(8, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<List<Integer>, float[][]> eldest) {
                    return size() > 4;
                }
            });

    private WatermarkCode() {}

    private static double[][] phases() {
        Random random = new Random(KEY);
        double[][] p = new double[CARRIERS][HIGH_HZ - LOW_HZ];
        for (double[] carrier : p) {
            for (int k = 0; k < carrier.length; k++) {
                carrier[k] = 2 * Math.PI * random.nextDouble();
            }
        }
        return p;
    }

    /** Lower edge of band {@code b} in Hz ({@code b = BANDS} gives the top edge), geometrically spaced. */
    public static double bandEdge(int b) {
        return LOW_HZ * Math.pow((double) HIGH_HZ / LOW_HZ, (double) b / BANDS);
    }

    /** The carriers' phase at {@code hz} (a whole frequency in the band). */
    static double phase(int carrier, int hz) {
        return PHASES[carrier][hz - LOW_HZ];
    }

    /** How far (seconds) an id byte delays its carrier behind the sync carrier. */
    static double idDelaySeconds(int idByte) {
        return idByte * ID_STEP_MS / 1000.0;
    }

    /**
     * One second of each band's watermark at {@code rate} Hz ({@code [band][sample]}), each scaled to
     * an RMS of 1, so a gain of g puts it g below (as an amplitude ratio) a signal of unit RMS in
     * that band. The arrays are shared: read them, never write them.
     *
     * @param voiceId 0..{@value #MAX_VOICE_ID}, or -1 to send no id at all
     */
    public static float[][] bandPeriods(int rate, int voiceId) {
        if (voiceId < -1 || voiceId > MAX_VOICE_ID) {
            throw new IllegalArgumentException("voice id " + voiceId + " is outside -1.." + MAX_VOICE_ID);
        }
        // A second of carriers at 48 kHz takes ~0.1 s of FFTs; engines re-prepare often with the same rate and id.
        return RECENT.computeIfAbsent(List.of(rate, voiceId), key -> {
            float[][] periods = new float[BANDS][];
            for (int b = 0; b < BANDS; b++) {
                periods[b] = bandPeriod(rate, b, voiceId);
            }
            return periods;
        });
    }

    private static float[] bandPeriod(int rate, int band, int voiceId) {
        double[] re = new double[rate];
        double[] im = new double[rate];
        int from = Math.max(LOW_HZ, (int) Math.ceil(bandEdge(band)));
        int to = Math.min(band == BANDS - 1 ? HIGH_HZ : (int) Math.ceil(bandEdge(band + 1)), (rate - 1) / 2);
        for (int hz = from; hz < to; hz++) {
            double cr;
            double ci;
            if (voiceId < 0) {
                cr = Math.cos(phase(0, hz));
                ci = Math.sin(phase(0, hz));
            } else {
                double sync = Math.sqrt(SYNC_SHARE);
                double id = Math.sqrt(ID_SHARE);
                double p1 = phase(1, hz) - 2 * Math.PI * hz * idDelaySeconds(voiceId >> 8);
                double p2 = phase(2, hz) - 2 * Math.PI * hz * idDelaySeconds(voiceId & 0xFF);
                cr = sync * Math.cos(phase(0, hz)) + id * (Math.cos(p1) + Math.cos(p2));
                ci = sync * Math.sin(phase(0, hz)) + id * (Math.sin(p1) + Math.sin(p2));
            }
            re[hz] = cr;
            im[hz] = ci;
            re[rate - hz] = cr;
            im[rate - hz] = -ci;
        }
        new Fft(rate).transform(re, im, true);
        double power = 0;
        for (double v : re) {
            power += v * v;
        }
        float[] period = new float[rate];
        double scale = power > 0 ? Math.sqrt(rate / power) : 0;
        for (int i = 0; i < rate; i++) {
            period[i] = (float) (re[i] * scale);
        }
        return period;
    }
}
