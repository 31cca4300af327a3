package org.voxmorph.audio.pulse;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The libpulse calls the pulse backend uses, bound directly (JNA direct mapping) so that the
 * device thread's calls pass only preallocated arguments and allocate nothing. No callbacks: the
 * device thread runs libpulse's plain main loop itself and polls the states it needs.
 */
final class LibPulse {
    static final int CONTEXT_NOAUTOSPAWN = 1;
    static final int CONTEXT_READY = 4;
    static final int CONTEXT_FAILED = 5;
    static final int CONTEXT_TERMINATED = 6;
    static final int STREAM_READY = 2;
    static final int STREAM_FAILED = 3;
    static final int STREAM_TERMINATED = 4;
    static final int SAMPLE_FLOAT32LE = 5;
    static final int SEEK_RELATIVE = 0;
    static final int INTERPOLATE_TIMING = 0x2;
    static final int AUTO_TIMING_UPDATE = 0x8;
    static final int DONT_MOVE = 0x200;
    static final int EARLY_REQUESTS = 0x4000;

    /** Why the library could not be loaded, or null once it is bound. */
    static final String LOAD_ERROR = load();

    private LibPulse() {}

    private static String load() {
        try {
            Native.register(LibPulse.class, NativeLibrary.getInstance("libpulse.so.0"));
            Native.register(LibC.class, NativeLibrary.getInstance("c"));
            return null;
        } catch (UnsatisfiedLinkError e) {
            return "the PulseAudio client library is not installed (Debian: apt-get install libpulse0)";
        }
    }

    /** memcpy from an address libpulse hands out (pa_stream_peek), without making a Pointer for it. */
    static final class LibC {
        private LibC() {}

        static native long memcpy(Pointer dst, long src, long n);
    }

    static native Pointer pa_mainloop_new();

    static native Pointer pa_mainloop_get_api(Pointer m);

    /** timeoutMicros -1 waits for the next event; pa_mainloop_wakeup (any thread) ends the wait. */
    static native int pa_mainloop_prepare(Pointer m, int timeoutMicros);

    static native int pa_mainloop_poll(Pointer m);

    static native int pa_mainloop_dispatch(Pointer m);

    static native void pa_mainloop_wakeup(Pointer m);

    static native void pa_mainloop_free(Pointer m);

    static native Pointer pa_context_new(Pointer api, String name);

    static native int pa_context_connect(Pointer c, String server, int flags, Pointer spawnApi);

    static native int pa_context_get_state(Pointer c);

    static native int pa_context_errno(Pointer c);

    static native void pa_context_disconnect(Pointer c);

    static native void pa_context_unref(Pointer c);

    static native String pa_strerror(int error);

    static native Pointer pa_stream_new(Pointer c, String name, Pointer sampleSpec, Pointer channelMap);

    static native int pa_stream_connect_playback(Pointer s, String dev, Pointer bufferAttr, int flags, Pointer volume,
            Pointer sync);

    static native int pa_stream_connect_record(Pointer s, String dev, Pointer bufferAttr, int flags);

    static native int pa_stream_get_state(Pointer s);

    static native int pa_stream_disconnect(Pointer s);

    static native void pa_stream_unref(Pointer s);

    /** size_t results are declared long: both are 64 bits where this runs (Linux x86-64, arm64). */
    static native long pa_stream_readable_size(Pointer s);

    static native long pa_stream_writable_size(Pointer s);

    /** data and nbytes are out-parameters (a pointer and a size_t): preallocated memory. */
    static native int pa_stream_peek(Pointer s, Pointer data, Pointer nbytes);

    static native int pa_stream_drop(Pointer s);

    static native int pa_stream_write(Pointer s, Pointer data, long nbytes, Pointer freeCb, long offset, int seek);

    /** Microseconds from a sample written now to its playing (playback), into a pa_usec_t; 0 when known. */
    static native int pa_stream_get_latency(Pointer s, Pointer usec, Pointer negative);

    /** The write index of the last underrun the server reported, or -1 while there was none. */
    static native long pa_stream_get_underflow_index(Pointer s);

    /** The address of the stream's pa_timing_info (0 before the first update). */
    static native long pa_stream_get_timing_info(Pointer s);
}
