package org.voxmorph.audio.pulse;

import java.util.List;
import org.voxmorph.audio.AudioBackend;
import org.voxmorph.audio.AudioCallback;
import org.voxmorph.audio.AudioDeviceException;
import org.voxmorph.audio.AudioStream;
import org.voxmorph.audio.DeviceInfo;
import org.voxmorph.audio.PulseAudio;
import org.voxmorph.audio.StreamRequest;

/**
 * PulseAudio (and PipeWire's pulse server) spoken to directly through libpulse, not through ALSA:
 * the server's own streams, set up to ride out a late server without a gap (see
 * {@link PulseStream}). Devices are the server's sources and sinks, {@code pulse:NAME}; the server
 * converts rates and channels, so any rate is taken.
 */
public final class PulseBackend implements AudioBackend {
    public static final String NAME = "pulse";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String unavailableReason() {
        if (LibPulse.LOAD_ERROR != null) {
            return LibPulse.LOAD_ERROR;
        }
        return PulseAudio.socket() == null ? "no PulseAudio server is running (no socket in $XDG_RUNTIME_DIR/pulse)" : null;
    }

    @Override
    public List<DeviceInfo> devices() {
        return PulseAudio.devices(NAME);
    }

    @Override
    public AudioStream open(StreamRequest request, AudioCallback callback) throws AudioDeviceException {
        if (LibPulse.LOAD_ERROR != null) {
            throw new AudioDeviceException(LibPulse.LOAD_ERROR);
        }
        return PulseStream.open(request, callback);
    }
}
