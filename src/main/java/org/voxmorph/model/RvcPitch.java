package org.voxmorph.model;

/**
 * F0 for RVC's pitch inputs, from YIN ({@link YinPitch}) or a package's CREPE model
 * ({@link CrepePitch}): Hz per 10 ms frame of a 16 kHz window, 0 where unvoiced. A whole window at
 * once, because CREPE runs all of a window's frames in one inference call.
 */
interface RvcPitch extends AutoCloseable {

    /** Fills {@code hz[f]} for the frame centred at sample {@code 160 f + 80} of {@code audio16k[0..len)}. */
    void track(float[] audio16k, int len, float[] hz);

    /** Forgets anything kept from earlier windows. */
    void reset();

    /** The ONNX sessions it runs, for provider reports (none for YIN). */
    default java.util.List<PinnedSession> sessions() {
        return java.util.List.of();
    }

    @Override
    default void close() {
    }

    /** RVC's pitch range: 50 Hz is YIN's floor in a 40 ms frame, 1100 Hz the top of the coarse scale. */
    double MIN_HZ = 50.0;
    double MAX_HZ = 1100.0;

    /** {@code hz} inside RVC's range, else 0 (unvoiced). */
    static double inRange(double hz) {
        return hz >= MIN_HZ && hz <= MAX_HZ ? hz : 0;
    }

    /** RVC's coarse pitch: mel scale mapped linearly from mel(50 Hz)..mel(1100 Hz) to 1..255; unvoiced is 1. */
    static long coarse(double hz) {
        if (hz <= 0) {
            return 1;
        }
        double melMin = mel(MIN_HZ);
        double melMax = mel(MAX_HZ);
        double c = (mel(hz) - melMin) * 254.0 / (melMax - melMin) + 1.0;
        return (long) Math.max(1, Math.min(255, Math.rint(c)));
    }

    private static double mel(double hz) {
        return 1127.0 * Math.log(1.0 + hz / 700.0);
    }
}
