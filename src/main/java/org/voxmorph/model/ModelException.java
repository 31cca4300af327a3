package org.voxmorph.model;

/** A model that cannot be used, with a one-line message naming the file and the problem. */
public final class ModelException extends RuntimeException {
    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
