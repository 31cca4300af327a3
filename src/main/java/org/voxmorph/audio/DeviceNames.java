package org.voxmorph.audio;

import java.util.List;
import java.util.stream.Collectors;

/** Messages about device names, so every backend answers a wrong name the same helpful way. */
public final class DeviceNames {
    private DeviceNames() {}

    /** "no input device 'X' on javasound; there are: 'a', 'b' (see: voxmorph devices)" */
    public static String unknown(String backend, String name, boolean input, List<DeviceInfo> devices) {
        String names = devices.stream().filter(d -> input ? d.isInput() : d.isOutput())
                .map(d -> "'" + d.name() + "'").collect(Collectors.joining(", "));
        return "no " + (input ? "input" : "output") + " device '" + name + "' on " + backend + "; there "
                + (names.isEmpty() ? "are none" : "are: " + names) + " (see: voxmorph devices)";
    }
}
