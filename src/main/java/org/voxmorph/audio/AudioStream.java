package org.voxmorph.audio;

/** Open capture and playback for one engine. */
public interface AudioStream extends AutoCloseable {

    void start() throws AudioDeviceException;

    /** Latency the devices add on the way in and out (buffers, driver), in ms, as granted. */
    double inputLatencyMs();

    double outputLatencyMs();

    /** Buffer underruns and overruns the backend saw on the devices. */
    long xruns();

    /**
     * Of the {@link #xruns}, those the engine should answer by keeping more output ready in its own
     * reserve; a backend whose device buffer grows after an underrun by itself reports none of them.
     */
    default long xrunsForTheEngine() {
        return xruns();
    }

    /** Null while healthy; otherwise what went wrong with a device in one line (it is being reopened). */
    String problem();

    @Override
    void close();
}
