package org.voxmorph.audio;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Asks Linux to schedule the calling thread first-in-first-out at a real-time priority, as JACK
 * and PulseAudio do for their audio threads, so that a busy machine does not delay it by a
 * period. Allowed to root and to users with an rtprio limit (the "audio" group on most
 * distributions); elsewhere, or on other systems, it quietly leaves the thread as it is.
 */
public final class RealtimeThreads {
    /** Device threads: above the engine worker, which must never hold them up. */
    public static final int DEVICE_PRIORITY = 70;
    public static final int WORKER_PRIORITY = 60;
    private static final int SCHED_FIFO = 1;

    private interface LibC extends Library {
        int sched_setscheduler(int pid, int policy, int[] param);
    }

    private RealtimeThreads() {}

    /** @return whether the calling thread now runs at real-time priority */
    public static boolean promoteCurrentThread(int priority) {
        if (!Platform.isLinux()) {
            return false;
        }
        try {
            // pid 0 is the calling thread itself.
            return Native.load("c", LibC.class).sched_setscheduler(0, SCHED_FIFO, new int[] {priority}) == 0;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }
}
