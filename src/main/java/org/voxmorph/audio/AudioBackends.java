package org.voxmorph.audio;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The backends on the class path, found once with {@link ServiceLoader} in the order the service
 * file lists them (jack, pulse, portaudio, javasound, then the file backend for tests and demos).
 */
public final class AudioBackends {
    private static final List<AudioBackend> ALL = load();

    private AudioBackends() {}

    private static List<AudioBackend> load() {
        List<AudioBackend> found = new ArrayList<>();
        ServiceLoader.load(AudioBackend.class).forEach(found::add);
        return List.copyOf(found);
    }

    /** Every backend, usable here or not. */
    public static List<AudioBackend> all() {
        return ALL;
    }

    /** Names of the backends usable here. */
    public static List<String> usable() {
        return ALL.stream().filter(b -> b.unavailableReason() == null).map(AudioBackend::name).toList();
    }

    /**
     * The named backend, or (name null) the first usable one.
     *
     * @throws AudioDeviceException "unknown backend 'x'; there are: ..." or "no sound device (why, per backend)"
     */
    public static AudioBackend pick(String name) throws AudioDeviceException {
        List<String> reasons = new ArrayList<>();
        for (AudioBackend b : ALL) {
            if (name != null && !b.name().equals(name)) {
                continue;
            }
            String why = b.unavailableReason();
            if (why == null) {
                return b;
            }
            if (name != null || !b.name().equals("file")) {
                // The file backend is for tests and demos: not worth a word when no device is found.
                reasons.add(b.name() + ": " + why);
            }
        }
        if (name != null && reasons.isEmpty()) {
            throw new AudioDeviceException("unknown backend '" + name + "'; there are: "
                    + String.join(", ", ALL.stream().map(AudioBackend::name).toList()));
        }
        throw new AudioDeviceException("no sound device (" + String.join("; ", reasons) + ")");
    }

    /** Why no backend can be used here, in one line, or null when one can. */
    public static String noSoundDevice() {
        try {
            pick(null);
            return null;
        } catch (AudioDeviceException e) {
            return e.getMessage();
        }
    }
}
