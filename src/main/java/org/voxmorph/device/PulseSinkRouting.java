package org.voxmorph.device;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Points the sound streams that this process opens next at one PulseAudio/PipeWire sink, such as
 * the virtual microphone's {@code voxmorph_sink}. Java Sound (ALSA "default") and PortAudio (ALSA
 * host API) reach the server through ALSA's pulse or pipewire plugin, which can only be steered by
 * the environment variables PULSE_SINK and PIPEWIRE_NODE, read when a stream is opened. Java cannot
 * change its own environment, so they are set in the C library, for the duration of the open only:
 * streams opened later (a monitor on the speakers) go to the default sink again.
 */
public final class PulseSinkRouting {
    private static final String[] VARIABLES = {"PULSE_SINK", "PIPEWIRE_NODE"};

    private interface CLibrary extends Library {
        String getenv(String name);

        int setenv(String name, String value, int overwrite);

        int unsetenv(String name);
    }

    /** Opens a stream: the backend's open call. */
    @FunctionalInterface
    public interface Opener<T, E extends Exception> {
        T open() throws E;
    }

    private PulseSinkRouting() {}

    /** Runs {@code opener} with new streams directed to {@code sink}; Linux only (elsewhere it just opens). */
    public static synchronized <T, E extends Exception> T openInto(String sink, Opener<T, E> opener) throws E {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return opener.open();
        }
        CLibrary c = Native.load("c", CLibrary.class);
        String[] before = new String[VARIABLES.length];
        for (int i = 0; i < VARIABLES.length; i++) {
            before[i] = c.getenv(VARIABLES[i]);
            c.setenv(VARIABLES[i], sink, 1);
        }
        try {
            return opener.open();
        } finally {
            for (int i = 0; i < VARIABLES.length; i++) {
                if (before[i] == null) {
                    c.unsetenv(VARIABLES[i]);
                } else {
                    c.setenv(VARIABLES[i], before[i], 1);
                }
            }
        }
    }
}
