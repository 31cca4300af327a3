package org.voxmorph.device;

import java.util.List;
import java.util.Optional;
import org.voxmorph.audio.AudioDeviceException;

/**
 * The virtual microphone on Windows and macOS: an installed cable driver (VB-CABLE, Virtual Audio
 * Cable, BlackHole). We cannot create one, so every operation finds it or says what to install.
 */
public final class CableVirtualMicrophone implements VirtualMicrophone {
    private final VirtualCables.Os os;
    private final DeviceLister devices;

    public CableVirtualMicrophone(VirtualCables.Os os, DeviceLister devices) {
        this.os = os;
        this.devices = devices;
    }

    @Override
    public VirtualMicTarget ensure() throws AudioDeviceException {
        VirtualCables.Found cable = find().orElseThrow(() -> new AudioDeviceException(VirtualCables.installHint(os)));
        return new VirtualMicTarget(VirtualMicTarget.Kind.OUTPUT_DEVICE, cable.outputDevice(), cable.microphone(),
                false, List.of());
    }

    /** The driver stays installed; there is nothing of ours to undo. */
    @Override
    public void release() {}

    @Override
    public VirtualMicTarget create() throws AudioDeviceException {
        return ensure();
    }

    @Override
    public String remove() throws AudioDeviceException {
        return find().map(c -> c.product() + " is a driver installed on this system, not something Voxmorph"
                + " loaded: nothing to remove (uninstall it from the system settings if you want it gone)")
                .orElse("no virtual audio cable is installed; nothing to remove");
    }

    @Override
    public VirtualMicStatus status() throws AudioDeviceException {
        String system = os == VirtualCables.Os.MACOS ? "macOS" : "Windows";
        Optional<VirtualCables.Found> cable = find();
        return cable.map(c -> new VirtualMicStatus(system, true, c.outputDevice(), c.microphone(), null, null, true,
                        "installed driver (" + c.product() + ")", null))
                .orElseGet(() -> new VirtualMicStatus(system, false, null, null, null, null, false, null,
                        VirtualCables.installHint(os)));
    }

    private Optional<VirtualCables.Found> find() throws AudioDeviceException {
        return VirtualCables.find(os, devices.devices());
    }
}
