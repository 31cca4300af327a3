package org.voxmorph.voice;

/** A one-line, user-facing problem with a voice profile, its enrollment or its consent. */
public final class VoiceException extends RuntimeException {
    public VoiceException(String message) {
        super(message);
    }
}
