package org.voxmorph.device;

import java.util.List;
import org.voxmorph.audio.AudioDeviceException;
import org.voxmorph.audio.DeviceInfo;

/** Where the playback devices come from (normally the audio backend in use), so tests can give recorded lists. */
@FunctionalInterface
public interface DeviceLister {
    List<DeviceInfo> devices() throws AudioDeviceException;
}
