package org.voxmorph.chain;

/** A preset that cannot be read or built; the message names the file and the problem in one line. */
public final class PresetException extends Exception {
    public PresetException(String message) {
        super(message);
    }
}
