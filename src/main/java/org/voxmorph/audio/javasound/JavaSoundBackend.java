package org.voxmorph.audio.javasound;

import java.util.ArrayList;
import java.util.List;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;
import org.voxmorph.audio.AudioCallback;
import org.voxmorph.audio.AudioBackend;
import org.voxmorph.audio.AudioDeviceException;
import org.voxmorph.audio.AudioStream;
import org.voxmorph.audio.DeviceInfo;
import org.voxmorph.audio.DeviceNames;
import org.voxmorph.audio.PulseAudio;
import org.voxmorph.audio.StreamRequest;

/**
 * Java Sound: always there, no native library of ours. On Linux its lines are ALSA devices, and
 * ALSA's "default" is PulseAudio when a server runs; {@code pulse:NAME} devices choose a sink or
 * source through {@link PulseAudio#route}.
 */
public final class JavaSoundBackend implements AudioBackend {
    public static final String NAME = "javasound";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String unavailableReason() {
        boolean in = false;
        boolean out = false;
        for (Mixer.Info info : AudioSystem.getMixerInfo()) {
            Mixer m = AudioSystem.getMixer(info);
            in |= m.isLineSupported(new DataLine.Info(TargetDataLine.class, null));
            out |= m.isLineSupported(new DataLine.Info(SourceDataLine.class, null));
        }
        return in && out ? null : "Java Sound finds no " + (in ? "output" : out ? "input" : "sound") + " device";
    }

    @Override
    public List<DeviceInfo> devices() {
        List<DeviceInfo> list = new ArrayList<>();
        Mixer.Info defaultIn = defaultMixer(TargetDataLine.class);
        Mixer.Info defaultOut = defaultMixer(SourceDataLine.class);
        for (Mixer.Info info : AudioSystem.getMixerInfo()) {
            Mixer m = AudioSystem.getMixer(info);
            int in = m.isLineSupported(new DataLine.Info(TargetDataLine.class, null)) ? channels(m, TargetDataLine.class) : 0;
            int out = m.isLineSupported(new DataLine.Info(SourceDataLine.class, null)) ? channels(m, SourceDataLine.class) : 0;
            if (in + out > 0) {
                list.add(new DeviceInfo(NAME, info.getName(), info.getVendor().startsWith("ALSA") ? "ALSA" : info.getVendor(),
                        in, out, 0, 0, 0, info.equals(defaultIn), info.equals(defaultOut)));
            }
        }
        list.addAll(PulseAudio.devices(NAME));
        return list;
    }

    /** The requested rate if both devices take it, else the first common one of 48 and 44.1 kHz. */
    @Override
    public int sampleRateFor(StreamRequest r) throws AudioDeviceException {
        Mixer in = mixerFor(r.inputDevice(), TargetDataLine.class);
        Mixer out = mixerFor(r.outputDevice(), SourceDataLine.class);
        for (int rate : new int[] {r.sampleRate(), 48000, 44100}) {
            if (takes(in, TargetDataLine.class, rate) && takes(out, SourceDataLine.class, rate)) {
                return rate;
            }
        }
        throw new AudioDeviceException("the input and output devices take no common sample rate (tried "
                + r.sampleRate() + ", 48000 and 44100 Hz)");
    }

    private static boolean takes(Mixer m, Class<? extends DataLine> type, int rate) {
        for (int ch : new int[] {1, 2}) {
            if (m.isLineSupported(new DataLine.Info(type, new AudioFormat(rate, 16, ch, true, false)))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public AudioStream open(StreamRequest request, AudioCallback bridge) throws AudioDeviceException {
        return JavaSoundStream.open(this, request, bridge);
    }

    /** The mixer for a device name: an exact mixer name, or the default one for {@code pulse:} names and null. */
    Mixer mixerFor(String device, Class<? extends DataLine> type) throws AudioDeviceException {
        if (device == null || PulseAudio.isPulseName(device)) {
            Mixer.Info info = defaultMixer(type);
            if (info == null) {
                throw new AudioDeviceException("Java Sound finds no " + (type == TargetDataLine.class ? "input" : "output") + " device");
            }
            return AudioSystem.getMixer(info);
        }
        for (Mixer.Info info : AudioSystem.getMixerInfo()) {
            Mixer m = AudioSystem.getMixer(info);
            if (info.getName().equals(device) && m.isLineSupported(new DataLine.Info(type, null))) {
                return m;
            }
        }
        throw new AudioDeviceException(DeviceNames.unknown(NAME, device, type == TargetDataLine.class, devices()));
    }

    /** The mixer Java Sound would pick for a line of this type: the first one that has it. */
    private static Mixer.Info defaultMixer(Class<? extends DataLine> type) {
        for (Mixer.Info info : AudioSystem.getMixerInfo()) {
            if (AudioSystem.getMixer(info).isLineSupported(new DataLine.Info(type, null))) {
                return info;
            }
        }
        return null;
    }

    private static int channels(Mixer m, Class<? extends DataLine> type) {
        for (int ch : new int[] {2, 1}) {
            AudioFormat f = new AudioFormat(48000, 16, ch, true, false);
            if (m.isLineSupported(new DataLine.Info(type, f))) {
                return ch;
            }
        }
        return 1;
    }
}
