package org.voxmorph.device;

import java.util.List;

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
}
