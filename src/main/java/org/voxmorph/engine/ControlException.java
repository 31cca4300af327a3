package org.voxmorph.engine;

/** A live-session failure explained in one plain line, fit to show the user as it is. */
public final class ControlException extends RuntimeException {
    public ControlException(String message) {
        super(message);
    }
}
