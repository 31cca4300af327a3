package org.voxmorph.audio.jack;

import java.nio.FloatBuffer;
import java.util.EnumSet;
import java.util.List;
import org.jaudiolibs.jnajack.Jack;
import org.jaudiolibs.jnajack.JackClient;
import org.jaudiolibs.jnajack.JackException;
import org.jaudiolibs.jnajack.JackPort;
import org.jaudiolibs.jnajack.JackPortFlags;
import org.jaudiolibs.jnajack.JackPortType;
import org.voxmorph.audio.AudioCallback;
import org.voxmorph.audio.AudioDeviceException;
import org.voxmorph.audio.AudioStream;
import org.voxmorph.audio.DeviceInfo;
import org.voxmorph.audio.DeviceNames;
import org.voxmorph.audio.StreamRequest;

/**
 * A JACK client "voxmorph" with ports in, out and (with a monitor) monitor. The process callback
 * is the device thread: it copies the input port into the bridge and the bridge into the output
 * ports, nothing else. Input and output share JACK's clock, so they never drift apart.
 */
final class JackStream implements AudioStream {
    private static final int MAX_FRAMES = 8192;

    private final AudioCallback bridge;
    private final JackClient client;
    private final JackPort in;
    private final JackPort out;
    private final JackPort monitor;
    private final StreamRequest request;
    private final List<DeviceInfo> devices;
    private final float[] samples = new float[MAX_FRAMES];
    private final double periodMs;
    private volatile long xruns;
    private volatile String problem;

    private JackStream(AudioCallback bridge, JackClient client, StreamRequest request, List<DeviceInfo> devices)
            throws JackException {
        this.bridge = bridge;
        this.client = client;
        this.request = request;
        this.devices = devices;
        this.in = client.registerPort("in", JackPortType.AUDIO, JackPortFlags.JackPortIsInput);
        this.out = client.registerPort("out", JackPortType.AUDIO, JackPortFlags.JackPortIsOutput);
        this.monitor = request.monitorDevice() == null ? null
                : client.registerPort("monitor", JackPortType.AUDIO, JackPortFlags.JackPortIsOutput);
        this.periodMs = 1000.0 * client.getBufferSize() / client.getSampleRate();
        client.setProcessCallback(this::process);
        client.setXrunCallback(c -> xruns++);
        client.onShutdown(c -> problem = "the JACK server went away");
    }

    static JackStream open(JackBackend backend, StreamRequest request, AudioCallback bridge) throws AudioDeviceException {
        List<DeviceInfo> devices = backend.devices();
        check(request.inputDevice(), true, devices);
        check(request.outputDevice(), false, devices);
        check(request.monitorDevice(), false, devices);
        JackClient client = JackBackend.openClient("voxmorph");
        try {
            return new JackStream(bridge, client, request, devices);
        } catch (JackException e) {
            client.close();
            throw new AudioDeviceException("JACK refuses our ports: " + e.getMessage());
        }
    }

    private static void check(String port, boolean input, List<DeviceInfo> devices) throws AudioDeviceException {
        if (port != null && devices.stream().noneMatch(d -> d.name().equals(port) && (input ? d.isInput() : d.isOutput()))) {
            throw new AudioDeviceException(DeviceNames.unknown(JackBackend.NAME, port, input, devices));
        }
    }

    private boolean process(JackClient c, int frames) {
        int n = Math.min(frames, MAX_FRAMES);
        // Render first: the engine has had a whole period for the last input, so the bridge finds it caught up.
        bridge.render(samples, 0, n);
        out.getFloatBuffer().put(samples, 0, n);
        if (monitor != null) {
            monitor.getFloatBuffer().put(samples, 0, n);
        }
        in.getFloatBuffer().get(samples, 0, n);
        bridge.capture(samples, 0, n);
        return true;
    }

    @Override
    public void start() throws AudioDeviceException {
        try {
            client.activate();
            Jack jack = Jack.getInstance();
            String input = request.inputDevice() != null ? request.inputDevice() : firstDefault(true);
            if (input != null) {
                jack.connect(client, input, in.getName());
            }
            for (String target : outputs(request.outputDevice())) {
                jack.connect(client, out.getName(), target);
            }
            if (monitor != null) {
                jack.connect(client, monitor.getName(), request.monitorDevice());
            }
        } catch (JackException e) {
            throw new AudioDeviceException("JACK cannot connect our ports: " + e.getMessage());
        }
    }

    private String firstDefault(boolean input) {
        return devices.stream().filter(d -> input ? d.defaultInput() : d.defaultOutput()).map(DeviceInfo::name)
                .findFirst().orElse(null);
    }

    /** The chosen port, or with none chosen every physical playback port (both speakers, not just the left). */
    private List<String> outputs(String chosen) throws JackException {
        if (chosen != null) {
            return List.of(chosen);
        }
        return List.of(Jack.getInstance().getPorts(client, "", JackPortType.AUDIO,
                EnumSet.of(JackPortFlags.JackPortIsInput, JackPortFlags.JackPortIsPhysical)));
    }

    @Override
    public double inputLatencyMs() {
        return periodMs;
    }

    @Override
    public double outputLatencyMs() {
        return periodMs;
    }

    @Override
    public long xruns() {
        return xruns;
    }

    @Override
    public String problem() {
        return problem;
    }

    @Override
    public void close() {
        client.deactivate();
        client.close();
    }
}
