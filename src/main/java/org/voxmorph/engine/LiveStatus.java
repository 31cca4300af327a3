package org.voxmorph.engine;

/**
 * One snapshot of a live session for meters and the status line. Levels are dBFS of the latest
 * block (-120 for silence); pitches are in Hz, 0 when unvoiced.
 *
 * @param problem what is wrong now in one plain line (device gone, model refused), or null
 * @param provider where the voice model runs ("CPU", "CUDA", ...), or "" without a model
 * @param recordingSeconds how long the current recording runs, or -1 when not recording
 */
public record LiveStatus(boolean running, double inputPeakDb, double inputRmsDb, double outputPeakDb,
        double outputRmsDb, double inputPitchHz, double outputPitchHz, double algorithmicLatencyMs,
        double deviceLatencyMs, double cpuPercent, long lateBlocks, long xruns, String provider, String problem,
        double recordingSeconds) {

    public static final double FLOOR_DB = -120;

    public static LiveStatus stopped(String problem) {
        return new LiveStatus(false, FLOOR_DB, FLOOR_DB, FLOOR_DB, FLOOR_DB, 0, 0, 0, 0, 0, 0, 0, "", problem, -1);
    }
}
