package org.voxmorph.app;

/** A problem the user can fix: printed as one line, exit code 2, no stack trace. */
public final class CliError extends RuntimeException {
    public CliError(String message) {
        super(message);
    }
}
