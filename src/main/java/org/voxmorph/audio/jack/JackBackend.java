package org.voxmorph.audio.jack;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.jaudiolibs.jnajack.Jack;
import org.jaudiolibs.jnajack.JackClient;
import org.jaudiolibs.jnajack.JackException;
import org.jaudiolibs.jnajack.JackOptions;
import org.jaudiolibs.jnajack.JackPortFlags;
import org.jaudiolibs.jnajack.JackPortType;
import org.jaudiolibs.jnajack.JackStatus;
import org.voxmorph.audio.AudioCallback;
import org.voxmorph.audio.AudioBackend;
import org.voxmorph.audio.AudioDeviceException;
import org.voxmorph.audio.AudioStream;
import org.voxmorph.audio.DeviceInfo;
import org.voxmorph.audio.QuietStderr;
import org.voxmorph.audio.StreamRequest;

/**
 * JACK (or PipeWire's JACK) through jnajack. Devices are JACK ports: an input is a port that
 * sends audio (e.g. {@code system:capture_1}), an output one that takes it (e.g.
 * {@code system:playback_1}). The engine runs at the server's rate, whatever was asked for.
 */
public final class JackBackend implements AudioBackend {
    public static final String NAME = "jack";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String unavailableReason() {
        try {
            JackClient probe = openClient("voxmorph-probe");
            probe.close();
            return null;
        } catch (AudioDeviceException e) {
            return e.getMessage();
        }
    }

    static JackClient openClient(String name) throws AudioDeviceException {
        Jack jack;
        try {
            jack = Jack.getInstance();
        } catch (JackException | UnsatisfiedLinkError e) {
            throw new AudioDeviceException("the JACK library is not installed (Debian: apt-get install libjack-jackd2-0)");
        }
        JackClient client = QuietStderr.run(() -> {
            try {
                return jack.openClient(name, EnumSet.of(JackOptions.JackNoStartServer), EnumSet.noneOf(JackStatus.class));
            } catch (JackException e) {
                return null;
            }
        });
        if (client == null) {
            throw new AudioDeviceException("no JACK server is running (start jackd, or PipeWire with its JACK support)");
        }
        return client;
    }

    @Override
    public List<DeviceInfo> devices() throws AudioDeviceException {
        JackClient client = openClient("voxmorph-list");
        try {
            Jack jack = Jack.getInstance();
            int rate = client.getSampleRate();
            double periodMs = 1000.0 * client.getBufferSize() / rate;
            List<DeviceInfo> list = new ArrayList<>();
            String[] physicalIn = jack.getPorts(client, "", JackPortType.AUDIO,
                    EnumSet.of(JackPortFlags.JackPortIsOutput, JackPortFlags.JackPortIsPhysical));
            String[] physicalOut = jack.getPorts(client, "", JackPortType.AUDIO,
                    EnumSet.of(JackPortFlags.JackPortIsInput, JackPortFlags.JackPortIsPhysical));
            for (String port : jack.getPorts(client, "", JackPortType.AUDIO, EnumSet.of(JackPortFlags.JackPortIsOutput))) {
                list.add(new DeviceInfo(NAME, port, "JACK", 1, 0, rate, periodMs, 0,
                        physicalIn.length > 0 && port.equals(physicalIn[0]), false));
            }
            for (String port : jack.getPorts(client, "", JackPortType.AUDIO, EnumSet.of(JackPortFlags.JackPortIsInput))) {
                list.add(new DeviceInfo(NAME, port, "JACK", 0, 1, rate, 0, periodMs, false,
                        physicalOut.length > 0 && port.equals(physicalOut[0])));
            }
            return list;
        } catch (JackException e) {
            throw new AudioDeviceException("JACK cannot list its ports: " + e.getMessage());
        } finally {
            client.close();
        }
    }

    @Override
    public int sampleRateFor(StreamRequest request) throws AudioDeviceException {
        JackClient client = openClient("voxmorph-rate");
        try {
            return client.getSampleRate();
        } catch (JackException e) {
            throw new AudioDeviceException("JACK does not tell its sample rate: " + e.getMessage());
        } finally {
            client.close();
        }
    }

    @Override
    public AudioStream open(StreamRequest request, AudioCallback bridge) throws AudioDeviceException {
        return JackStream.open(this, request, bridge);
    }
}
