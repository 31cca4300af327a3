package org.voxmorph.audio;

/** A sound file that cannot be read or written; the message names the file and the problem. */
public final class AudioFileException extends Exception {
    public AudioFileException(String message) {
        super(message);
    }
}
