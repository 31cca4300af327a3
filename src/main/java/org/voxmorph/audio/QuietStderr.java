package org.voxmorph.audio;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.function.Supplier;

/**
 * ALSA prints a screenful of "cannot find card" lines to stderr whenever PortAudio probes the
 * devices, and libjack several lines whenever no JACK server answers; the user asked for one
 * clear line, so standard error is pointed at /dev/null meanwhile.
 */
public final class QuietStderr {
    private interface LibC extends Library {
        int open(String path, int flags);

        int dup(int fd);

        int dup2(int from, int to);

        int close(int fd);
    }

    private static final int STDERR = 2;
    private static final int O_WRONLY = 1;

    private QuietStderr() {}

    public static synchronized <T> T run(Supplier<T> action) {
        if (System.getenv("VOXMORPH_DEBUG") != null || System.getProperty("os.name").startsWith("Windows")) {
            return action.get();
        }
        LibC c = Native.load("c", LibC.class);
        System.err.flush();
        int saved = c.dup(STDERR);
        int devNull = c.open("/dev/null", O_WRONLY);
        if (saved < 0 || devNull < 0) {
            return action.get();
        }
        c.dup2(devNull, STDERR);
        c.close(devNull);
        try {
            return action.get();
        } finally {
            c.dup2(saved, STDERR);
            c.close(saved);
        }
    }
}
