package org.voxmorph.audio;

/**
 * The seam between live mode and the per-OS virtual microphone ({@code org.voxmorph.device}),
 * found with {@link java.util.ServiceLoader} from
 * {@code META-INF/services/org.voxmorph.audio.VirtualMicrophone}. Live mode plays into the device
 * {@link #ensure} names; other programs record from the microphone it feeds.
 */
public interface VirtualMicrophone {

    /** Null when a virtual microphone can be made here, otherwise why not, in one line. */
    String unavailableReason();

    /**
     * Creates the virtual microphone unless it exists, and returns the output device that feeds
     * it, named as {@code backend} names devices (for javasound and portaudio under PulseAudio:
     * {@code pulse:SINK}; for jack: a port name such as {@code voxmorph-mic:playback_1}).
     */
    String ensure(String backend) throws AudioDeviceException;

    /** Removes what {@link #ensure} created in this run, if anything; called on the way out, also on Ctrl-C. */
    void release();
}
