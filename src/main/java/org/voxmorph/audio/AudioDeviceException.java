package org.voxmorph.audio;

/** A device that cannot be listed, opened or kept running; the message is one line for the user. */
public final class AudioDeviceException extends Exception {
    public AudioDeviceException(String message) {
        super(message);
    }

    public AudioDeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
