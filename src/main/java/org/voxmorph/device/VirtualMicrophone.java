package org.voxmorph.device;

import org.voxmorph.audio.AudioDeviceException;

/**
 * A microphone that other applications (OBS, Discord, games, softphones) can pick, fed with
 * Voxmorph's output. On Linux we make one ourselves on the PulseAudio/PipeWire server; on Windows
 * and macOS we find an installed virtual cable driver. Every failure is an
 * {@link AudioDeviceException} whose message is one line for the user.
 */
public interface VirtualMicrophone {

    /**
     * For a running session ({@code live --virtual-mic}): makes the microphone available, creating it
     * if missing, and says where to write. What this creates belongs to this process: {@link #release}
     * removes it, and so does a shutdown hook this call registers; after a crash the next start
     * removes it.
     */
    VirtualMicTarget ensure() throws AudioDeviceException;

    /**
     * For a running session whose microphone went away (the sound server restarted, someone
     * unloaded its modules): makes it again, as {@link #ensure} did. Cheap when it is still there.
     */
    default VirtualMicTarget restore() throws AudioDeviceException {
        return ensure();
    }

    /**
     * For a running session: null while the microphone {@link #ensure} gave is there, else one line
     * saying it went away. Any thread, never blocks: it reads what a watcher saw.
     */
    default String lost() {
        return null;
    }

    /**
     * For a running session: runs the action, on the watcher's thread, the moment {@link #lost}
     * starts saying something, so the session can stop writing before the server has long played
     * its stream somewhere else.
     */
    default void whenLost(Runnable action) {
    }

    /** Removes what {@link #ensure} created in this process; does nothing otherwise. Never throws. */
    void release();

    /** For {@code virtual-mic create}: like {@link #ensure} but what it creates stays until {@link #remove}. */
    VirtualMicTarget create() throws AudioDeviceException;

    /** Removes the microphone whoever made it; returns one line saying what was done. */
    String remove() throws AudioDeviceException;

    VirtualMicStatus status() throws AudioDeviceException;
}
