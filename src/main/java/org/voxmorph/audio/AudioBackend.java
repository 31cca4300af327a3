package org.voxmorph.audio;

import java.util.List;


/**
 * A way to reach sound devices (Java Sound, PortAudio, JACK, ...). Implementations are found with
 * {@link java.util.ServiceLoader} from {@code META-INF/services/org.voxmorph.audio.AudioBackend}.
 * The backend's device threads only call {@link AudioCallback#capture} and {@link AudioCallback#render}.
 */
public interface AudioBackend {

    /** The name used with --backend, e.g. {@code javasound}. */
    String name();

    /** Null when this backend can be used here, otherwise why not, in one line (library missing, no server). */
    String unavailableReason();

    List<DeviceInfo> devices() throws AudioDeviceException;

    /**
     * The rate to run the engine at for this request: the requested one when the devices take it,
     * else one they do (JACK: the server's rate). The chain is prepared for whatever rate this
     * returns, so a rate a device refuses is never an error.
     */
    default int sampleRateFor(StreamRequest request) throws AudioDeviceException {
        return request.sampleRate();
    }

    /** Opens (but does not start) capture and playback for whatever implements the callback (the engine). */
    AudioStream open(StreamRequest request, AudioCallback callback) throws AudioDeviceException;
}
