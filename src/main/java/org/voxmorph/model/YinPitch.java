package org.voxmorph.model;

import be.tarsos.dsp.pitch.PitchDetectionResult;
import be.tarsos.dsp.pitch.Yin;

/**
 * Fundamental frequency per 10 ms frame of 16 kHz audio for RVC's pitch inputs, using TarsosDSP's
 * YIN directly. The lead may swap in the shared pitch tracker from {@code dsp}; RVC only needs Hz
 * per frame with 0 for unvoiced.
 */
final class YinPitch {
    static final int RATE = 16000;
    /** 40 ms: YIN needs two periods, so 50 Hz (RVC's lowest pitch) is the floor. */
    static final int WINDOW = 640;

    private final Yin yin = new Yin(RATE, WINDOW);
    private final float[] frame = new float[WINDOW];

    /** Hz of the frame centred at {@code centre} in {@code audio[0..len)}, or 0 when unvoiced. */
    float pitchAt(float[] audio, int len, int centre) {
        int start = Math.max(0, Math.min(len - WINDOW, centre - WINDOW / 2));
        for (int i = 0; i < WINDOW; i++) {
            int k = start + i;
            frame[i] = k >= 0 && k < len ? audio[k] : 0f;
        }
        PitchDetectionResult r = yin.getPitch(frame);
        float hz = r.getPitch();
        return r.isPitched() && hz >= 50f && hz <= 1100f ? hz : 0f;
    }

    /** RVC's coarse pitch: mel scale mapped linearly from mel(50 Hz)..mel(1100 Hz) to 1..255; unvoiced is 1. */
    static long coarse(double hz) {
        if (hz <= 0) {
            return 1;
        }
        double melMin = mel(50.0);
        double melMax = mel(1100.0);
        double c = (mel(hz) - melMin) * 254.0 / (melMax - melMin) + 1.0;
        return (long) Math.max(1, Math.min(255, Math.rint(c)));
    }

    private static double mel(double hz) {
        return 1127.0 * Math.log(1.0 + hz / 700.0);
    }
}
