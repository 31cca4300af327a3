package org.voxmorph.device;

import java.util.Locale;

/** Picks the virtual microphone for the operating system we run on. */
public final class VirtualMicrophones {
    private VirtualMicrophones() {}

    /**
     * @param playbackDevices where Windows and macOS drivers are looked for (the audio backend's device
     *                        list); not called on Linux, where the sound server is asked directly
     */
    public static VirtualMicrophone forThisSystem(DeviceLister playbackDevices) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("windows")) {
            return new CableVirtualMicrophone(VirtualCables.Os.WINDOWS, playbackDevices);
        }
        if (os.startsWith("mac")) {
            return new CableVirtualMicrophone(VirtualCables.Os.MACOS, playbackDevices);
        }
        return new PulseVirtualMicrophone();
    }
}
