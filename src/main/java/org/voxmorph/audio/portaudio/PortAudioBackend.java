package org.voxmorph.audio.portaudio;

import java.util.ArrayList;
import java.util.List;
import org.voxmorph.audio.AudioCallback;
import org.voxmorph.audio.AudioBackend;
import org.voxmorph.audio.AudioDeviceException;
import org.voxmorph.audio.AudioStream;
import org.voxmorph.audio.DeviceInfo;
import org.voxmorph.audio.DeviceNames;
import org.voxmorph.audio.PulseAudio;
import org.voxmorph.audio.QuietStderr;
import org.voxmorph.audio.StreamRequest;

/**
 * PortAudio through JNA: ALSA and JACK on Linux, CoreAudio on macOS, WASAPI, WDM-KS and (in a
 * build with it, see native/README.md) ASIO on Windows. Devices are named as PortAudio names
 * them; {@code pulse:NAME} picks a PulseAudio sink or source through ALSA's "pulse" device.
 */
public final class PortAudioBackend implements AudioBackend {
    public static final String NAME = "portaudio";
    private static boolean initialized;
    private static int openStreams;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public synchronized String unavailableReason() {
        if (PortAudio.LOAD_ERROR != null) {
            return PortAudio.LOAD_ERROR;
        }
        try {
            initialize();
        } catch (AudioDeviceException e) {
            return e.getMessage();
        }
        boolean in = PortAudio.Pa_GetDefaultInputDevice() != PortAudio.PA_NO_DEVICE;
        boolean out = PortAudio.Pa_GetDefaultOutputDevice() != PortAudio.PA_NO_DEVICE;
        return in && out ? null : "PortAudio finds no " + (in ? "output" : out ? "input" : "sound") + " device";
    }

    /**
     * PortAudio lists devices once, when initialised; to see a device that came back it must be
     * initialised afresh, which is only allowed while none of its streams is open.
     */
    private static synchronized void initialize() throws AudioDeviceException {
        if (initialized && openStreams == 0) {
            PortAudio.Pa_Terminate();
            initialized = false;
        }
        if (!initialized) {
            int rc = QuietStderr.run(PortAudio::Pa_Initialize);
            if (rc != PortAudio.PA_NO_ERROR) {
                throw new AudioDeviceException("PortAudio cannot start: " + PortAudio.Pa_GetErrorText(rc));
            }
            initialized = true;
        }
    }

    static synchronized void streamOpened() {
        openStreams++;
    }

    static synchronized void streamClosed() {
        openStreams--;
    }

    @Override
    public synchronized List<DeviceInfo> devices() throws AudioDeviceException {
        initialize();
        List<DeviceInfo> list = new ArrayList<>();
        int defIn = PortAudio.Pa_GetDefaultInputDevice();
        int defOut = PortAudio.Pa_GetDefaultOutputDevice();
        int count = PortAudio.Pa_GetDeviceCount();
        for (int i = 0; i < count; i++) {
            PortAudio.DeviceInfo d = new PortAudio.DeviceInfo(PortAudio.Pa_GetDeviceInfo(i));
            PortAudio.HostApiInfo api = new PortAudio.HostApiInfo(PortAudio.Pa_GetHostApiInfo(d.hostApi));
            list.add(new DeviceInfo(NAME, d.name, api.name, d.maxInputChannels, d.maxOutputChannels, d.defaultSampleRate,
                    1000 * d.defaultLowInputLatency, 1000 * d.defaultLowOutputLatency, i == defIn, i == defOut));
        }
        if (findByName("pulse") >= 0) {
            list.addAll(PulseAudio.devices(NAME));
        }
        return list;
    }

    /** The PortAudio device index for a name (null: the default), or an error listing the devices. */
    synchronized int deviceIndex(String name, boolean input) throws AudioDeviceException {
        if (name == null) {
            int d = input ? PortAudio.Pa_GetDefaultInputDevice() : PortAudio.Pa_GetDefaultOutputDevice();
            if (d == PortAudio.PA_NO_DEVICE) {
                throw new AudioDeviceException("PortAudio has no default " + (input ? "input" : "output") + " device");
            }
            return d;
        }
        int d = findByName(PulseAudio.isPulseName(name) ? "pulse" : name);
        if (d >= 0) {
            PortAudio.DeviceInfo info = new PortAudio.DeviceInfo(PortAudio.Pa_GetDeviceInfo(d));
            if ((input ? info.maxInputChannels : info.maxOutputChannels) > 0) {
                return d;
            }
        }
        throw new AudioDeviceException(DeviceNames.unknown(NAME, name, input, devices()));
    }

    private static int findByName(String name) {
        int count = PortAudio.Pa_GetDeviceCount();
        for (int i = 0; i < count; i++) {
            if (new PortAudio.DeviceInfo(PortAudio.Pa_GetDeviceInfo(i)).name.equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public synchronized int sampleRateFor(StreamRequest r) throws AudioDeviceException {
        initialize();
        int in = deviceIndex(r.inputDevice(), true);
        int out = deviceIndex(r.outputDevice(), false);
        if (supported(in, out, r.sampleRate())) {
            return r.sampleRate();
        }
        int native_ = (int) new PortAudio.DeviceInfo(PortAudio.Pa_GetDeviceInfo(in)).defaultSampleRate;
        if (supported(in, out, native_)) {
            return native_;
        }
        throw new AudioDeviceException("the input and output devices take no common sample rate ("
                + r.sampleRate() + " Hz and " + native_ + " Hz refused); choose devices on one card or use --backend javasound");
    }

    private static boolean supported(int in, int out, double rate) {
        return QuietStderr.run(() -> PortAudio.Pa_IsFormatSupported(new PortAudio.StreamParameters(in, 1, 0.01),
                new PortAudio.StreamParameters(out, 1, 0.01), rate)) == PortAudio.PA_FORMAT_IS_SUPPORTED;
    }

    @Override
    public synchronized AudioStream open(StreamRequest request, AudioCallback bridge) throws AudioDeviceException {
        initialize();
        return PortAudioStream.open(this, request, bridge);
    }
}
