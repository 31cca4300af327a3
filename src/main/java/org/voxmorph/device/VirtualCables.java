package org.voxmorph.device;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.voxmorph.audio.DeviceInfo;

/**
 * Finds an installed virtual audio cable among playback devices: we write into its playback side,
 * and applications pick its recording side as the microphone. Names are matched loosely because
 * Windows' MME API cuts them to 31 characters and numbers duplicates ("CABLE Input (2- VB-Audio...").
 */
public final class VirtualCables {
    public enum Os { WINDOWS, MACOS }

    /**
     * @param product      the driver, e.g. "VB-CABLE"
     * @param outputDevice the playback device to write into, exactly as listed
     * @param microphone   what applications list as the microphone to select
     */
    public record Found(String product, String outputDevice, String microphone) {}

    private static final Pattern VB_CABLE = Pattern.compile("^CABLE(?:-([A-D]))? Input \\(.*VB-Audio");
    private static final Pattern VAC = Pattern.compile("^(Line \\d+) \\(.*Virtual Audio Cable");
    private static final Pattern BLACKHOLE = Pattern.compile("^BlackHole (\\d+)ch");

    private VirtualCables() {}

    /**
     * The preferred cable among the devices: VB-CABLE before Virtual Audio Cable, a full name before
     * one cut short by MME (the user recognises the full one); BlackHole with the fewest channels.
     */
    public static Optional<Found> find(Os os, List<DeviceInfo> devices) {
        List<String> outputs = devices.stream().filter(DeviceInfo::isOutput).map(DeviceInfo::name).toList();
        if (os == Os.MACOS) {
            return outputs.stream().filter(n -> BLACKHOLE.matcher(n).find())
                    .min(Comparator.comparingInt(VirtualCables::blackHoleChannels))
                    .map(n -> new Found("BlackHole", n, n));
        }
        return outputs.stream().map(n -> vbCable(n).or(() -> vac(n))).flatMap(Optional::stream)
                .min(Comparator.comparingInt((Found f) -> f.product().equals("VB-CABLE") ? 0 : 1)
                        .thenComparingInt(f -> f.outputDevice().endsWith(")") ? 0 : 1));
    }

    /** One line telling the user exactly what to install. */
    public static String installHint(Os os) {
        return os == Os.MACOS
                ? "no virtual audio device found: install BlackHole with 'brew install blackhole-2ch'"
                        + " (or from https://existential.audio/blackhole/), then run again; or use --output DEV"
                : "no virtual audio cable found: install VB-CABLE (free) from https://vb-audio.com/Cable/ and restart"
                        + " Windows, or Virtual Audio Cable from https://vac.muzychenko.net/en/; or use --output DEV";
    }

    private static Optional<Found> vbCable(String name) {
        Matcher m = VB_CABLE.matcher(name);
        if (!m.find()) {
            return Optional.empty();
        }
        // the recording side's full name, whatever truncation the playback name suffered
        String microphone = m.group(1) == null ? "CABLE Output (VB-Audio Virtual Cable)"
                : "CABLE-" + m.group(1) + " Output (VB-Audio Cable " + m.group(1) + ")";
        return Optional.of(new Found("VB-CABLE", name, microphone));
    }

    private static Optional<Found> vac(String name) {
        Matcher m = VAC.matcher(name);
        return m.find() ? Optional.of(new Found("Virtual Audio Cable", name, m.group(1) + " (Virtual Audio Cable)"))
                : Optional.empty();
    }

    private static int blackHoleChannels(String name) {
        Matcher m = BLACKHOLE.matcher(name);
        return m.find() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
    }
}
