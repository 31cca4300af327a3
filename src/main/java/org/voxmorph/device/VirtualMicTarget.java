package org.voxmorph.device;

import java.util.List;
import org.voxmorph.audio.AudioDeviceException;
import org.voxmorph.audio.PulseAudio;

/**
 * Where to write so that applications hear it from the virtual microphone.
 *
 * @param kind           how to read {@code outputDevice}
 * @param outputDevice   a PulseAudio sink name (usable as PULSE_SINK) or a playback device name as the
 *                       audio backend lists it
 * @param microphoneName what applications show as the microphone to select
 * @param created        true when this call made it, false when it was there already
 * @param notices        one-line remarks for the user (leftovers of a crash cleaned up, ...)
 */
public record VirtualMicTarget(Kind kind, String outputDevice, String microphoneName, boolean created,
        List<String> notices) {

    public enum Kind {
        /** {@code outputDevice} is a sink on the PulseAudio/PipeWire server. */
        PULSE_SINK,
        /** {@code outputDevice} is a playback device of the audio backend (a virtual cable's input). */
        OUTPUT_DEVICE
    }

    public VirtualMicTarget {
        notices = List.copyOf(notices);
    }

    /** The output device a backend plays into to reach the microphone (Java Sound and PortAudio reach a sink as {@code pulse:SINK}). */
    public String outputFor(String backend) throws AudioDeviceException {
        if (kind == Kind.OUTPUT_DEVICE) {
            return outputDevice;
        }
        if (backend.equals("jack")) {
            throw new AudioDeviceException("the virtual microphone is a PulseAudio/PipeWire sink; use the pulse, portaudio or "
                    + "javasound backend (or connect JACK ports to it yourself with --output)");
        }
        return PulseAudio.PREFIX + outputDevice;
    }
}
