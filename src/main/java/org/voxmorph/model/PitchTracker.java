package org.voxmorph.model;

/** F0 for RVC's pitch inputs: Hz per 10 ms frame of a 16 kHz window, 0 where unvoiced. */
interface PitchTracker extends AutoCloseable {

    /** Fills {@code hz[f]} for the frame centred at sample {@code 160 f + 80} of {@code audio16k[0..len)}. */
    void track(float[] audio16k, int len, float[] hz);

    /** Forgets anything kept from earlier windows. */
    void reset();

    /** The ONNX sessions it runs, for provider reports (none for built-in trackers). */
    default java.util.List<PinnedSession> sessions() {
        return java.util.List.of();
    }

    @Override
    default void close() {
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
