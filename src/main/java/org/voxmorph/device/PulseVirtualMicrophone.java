package org.voxmorph.device;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.voxmorph.audio.AudioDeviceException;

/**
 * The virtual microphone on PulseAudio or PipeWire (through pipewire-pulse): a null sink we write
 * into, and a remap source on its monitor that applications list as "Voxmorph Microphone". A plain
 * monitor source is hidden or listed as "Monitor of ..." by most applications; the remapped source
 * is a real capture device to them.
 */
public final class PulseVirtualMicrophone implements VirtualMicrophone {
    public static final String SINK = "voxmorph_sink";
    public static final String SOURCE = "voxmorph_mic";
    public static final String MICROPHONE_NAME = "Voxmorph Microphone";
    private static final String SINK_DESCRIPTION = "Voxmorph Microphone Feed";
    private static final String NULL_SINK = "module-null-sink";
    private static final String REMAP_SOURCE = "module-remap-source";
    private static final Pattern OWNER = Pattern.compile("voxmorph\\.owner=([^\\s'\"]+)");
    /** Within this JVM; the state folder's lock file serialises processes. */
    private static final Object CHANGES = new Object();

    private final Pactl pactl = new Pactl();
    private final StateFile stateFile = new StateFile(StateFile.defaultPath());
    private StateFile.Entry loadedHere;
    private Thread shutdownHook;
    /** While a session runs: {@code pactl subscribe}, whose "remove" events say our modules went away. */
    private Process watcher;
    private volatile String lost;
    private volatile Runnable onLost = () -> { };

    /** Our two modules as the server lists them (the first of each name); either may be null. */
    private record Ours(Pactl.Module sink, Pactl.Module source) {
        boolean complete() {
            return sink != null && source != null;
        }
    }

    @Override
    public synchronized VirtualMicTarget ensure() throws AudioDeviceException {
        if (loadedHere != null) {
            return target(false, List.of());
        }
        VirtualMicTarget target = provide(Owner.thisProcess());
        if (target.created() && shutdownHook == null) {
            shutdownHook = new Thread(this::release, "voxmorph-virtual-mic-release");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        if (loadedHere != null) {
            watch(loadedHere);
        }
        return target;
    }

    @Override
    public synchronized VirtualMicTarget restore() throws AudioDeviceException {
        if (loadedHere != null && lost == null && watcher != null && watcher.isAlive()) {
            return target(false, List.of());
        }
        stopWatching();
        loadedHere = null;
        lost = null;
        VirtualMicTarget target = ensure();
        List<String> notices = new ArrayList<>(target.notices());
        if (target.created()) {
            notices.add("re-created " + MICROPHONE_NAME + " (it had gone away)");
        }
        return new VirtualMicTarget(target.kind(), target.outputDevice(), target.microphoneName(), target.created(),
                notices);
    }

    @Override
    public String lost() {
        return lost;
    }

    @Override
    public void whenLost(Runnable action) {
        onLost = action;
    }

    /**
     * Follows the server's events: when either of our modules is unloaded (by hand, by another
     * program, or the server itself goes), {@link #lost} says so at once, so the session stops
     * writing before the server could move its stream to the speakers.
     */
    private void watch(StateFile.Entry entry) {
        stopWatching();
        lost = null;
        try {
            Process p = pactl.subscribe();
            watcher = p;
            Pattern gone = Pattern.compile("Event 'remove' on module #(" + entry.sinkModule() + "|" + entry.sourceModule() + ")\\b");
            Thread reader = new Thread(() -> {
                try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()))) {
                    for (String line; (line = lines.readLine()) != null; ) {
                        if (gone.matcher(line).find() && lost == null) {
                            lost = MICROPHONE_NAME + " was removed from the sound server";
                            onLost.run();
                        }
                    }
                } catch (IOException e) {
                    // the process ended
                }
                if (watcher == p && lost == null) {
                    lost = "the sound server went away, and " + MICROPHONE_NAME + " with it";
                    onLost.run();
                }
            }, "voxmorph-virtual-mic-watch");
            reader.setDaemon(true);
            reader.start();
        } catch (AudioDeviceException e) {
            watcher = null; // without a watcher the session only notices when its devices fail
        }
    }

    private void stopWatching() {
        Process p = watcher;
        watcher = null;
        if (p != null) {
            p.destroy();
        }
    }

    @Override
    public VirtualMicTarget create() throws AudioDeviceException {
        return provide(Owner.user());
    }

    @Override
    public synchronized void release() {
        stopWatching();
        if (loadedHere == null) {
            return;
        }
        String token = loadedHere.owner().token();
        List<Integer> indices = List.of(loadedHere.sinkModule(), loadedHere.sourceModule());
        try {
            underLock(() -> {
                if (stateFile.read().filter(e -> e.owner().token().equals(token)).isPresent()) {
                    stateFile.delete();
                }
                // a restarted server may have given our old indices to other modules: check the marker too
                unload(pactl.modules().stream().filter(m -> indices.contains(m.index()))
                        .filter(m -> owner(m).map(Owner::token).filter(token::equals).isPresent()).toList());
                return null;
            });
        } catch (AudioDeviceException e) {
            // the server is gone, and our modules with it
        }
        loadedHere = null;
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook will find nothing left to do
            }
        }
        shutdownHook = null;
    }

    @Override
    public synchronized String remove() throws AudioDeviceException {
        return underLock(() -> {
            List<Pactl.Module> ours = ours(pactl.modules());
            unload(ours);
            stateFile.delete();
            loadedHere = null;
            return ours.isEmpty() ? MICROPHONE_NAME + " was not loaded; nothing to remove"
                    : "removed " + MICROPHONE_NAME + " (modules " + indices(ours) + ")";
        });
    }

    @Override
    public VirtualMicStatus status() throws AudioDeviceException {
        String system = pactl.serverName();
        List<Pactl.Module> modules = pactl.modules();
        Ours ours = find(modules);
        boolean sourceExists = pactl.sourceNames().contains(SOURCE);
        Optional<Owner> who = ours(modules).stream().findFirst().flatMap(PulseVirtualMicrophone::owner);
        boolean dead = who.filter(Owner::isGone).isPresent();
        boolean ready = ours.complete() && sourceExists && !dead;
        String owner = who.map(o -> dead ? "left by a dead session (" + o.describe() + ")" : o.describe()).orElse(null);
        String hint = dead ? "nothing feeds it: voxmorph virtual-mic create cleans it up (or run: voxmorph live --virtual-mic)"
                : ready ? null : "create it with: voxmorph virtual-mic create (or run: voxmorph live --virtual-mic)";
        return new VirtualMicStatus(system, ready, ready ? SINK : null, MICROPHONE_NAME,
                ours.sink() == null ? null : ours.sink().index(),
                ours.source() == null ? null : ours.source().index(), sourceExists, owner, hint);
    }

    private VirtualMicTarget provide(Owner owner) throws AudioDeviceException {
        return underLock(() -> provideLocked(owner));
    }

    private interface Change<T> {
        T run() throws AudioDeviceException;
    }

    /** One change at a time, across threads and processes: look at the modules, then act on what was seen. */
    private <T> T underLock(Change<T> change) throws AudioDeviceException {
        synchronized (CHANGES) {
            Closeable lock = stateFile.lock();
            try {
                return change.run();
            } finally {
                try {
                    lock.close();
                } catch (IOException e) {
                    // the lock goes with the process anyway
                }
            }
        }
    }

    private VirtualMicTarget provideLocked(Owner owner) throws AudioDeviceException {
        List<String> notices = removeLeftovers(pactl.modules());
        List<Pactl.Module> modules = pactl.modules();
        Ours ours = find(modules);
        if (ours.complete()) {
            Optional<Owner> holder = owner(ours.sink());
            if (!owner.isUser() && holder.filter(o -> !o.isUser() && !o.equals(owner)).isPresent()) {
                // Two voices mixed into one microphone clip and reach the listener as one: refuse.
                throw new AudioDeviceException(MICROPHONE_NAME + " is in use by the running " + holder.get().describe()
                        + "; stop that one first, or play elsewhere with --output DEV");
            }
            holder.filter(o -> !o.isUser() && owner.isUser()).ifPresent(session -> notices.add(
                    MICROPHONE_NAME + " belongs to the running " + session.describe() + " and goes away when it ends"));
            return target(false, notices);
        }
        // half of a pair is useless (a source without its sink, or a sink nobody can record): start over
        unload(ours(modules));
        int sink = pactl.loadModule(NULL_SINK, sinkArguments(owner));
        int source;
        try {
            source = pactl.loadModule(REMAP_SOURCE, sourceArguments(owner));
        } catch (AudioDeviceException e) {
            pactl.unloadModule(sink);
            throw e;
        }
        StateFile.Entry entry = new StateFile.Entry(owner, sink, source);
        stateFile.write(entry);
        if (!owner.isUser()) {
            loadedHere = entry;
        }
        return target(true, notices);
    }

    /** Unloads modules of ours whose session ended without cleaning up (killed, crashed, power cut). */
    private List<String> removeLeftovers(List<Pactl.Module> modules) throws AudioDeviceException {
        List<Pactl.Module> left = ours(modules).stream().filter(m -> owner(m).filter(Owner::isGone).isPresent()).toList();
        unload(left);
        Optional<StateFile.Entry> record = stateFile.read();
        if (record.isPresent() && record.get().owner().isGone()) {
            stateFile.delete();
        }
        List<String> notices = new ArrayList<>();
        if (!left.isEmpty()) {
            notices.add("removed " + MICROPHONE_NAME + " modules " + indices(left) + " left behind by "
                    + owner(left.get(0)).map(Owner::describe).orElse("a session") + ", which ended without cleaning up");
        }
        return notices;
    }

    /** Sources first: a remap source reads from the sink's monitor. */
    private void unload(List<Pactl.Module> modules) throws AudioDeviceException {
        for (Pactl.Module m : modules) {
            if (m.name().equals(REMAP_SOURCE)) {
                pactl.unloadModule(m.index());
            }
        }
        for (Pactl.Module m : modules) {
            if (!m.name().equals(REMAP_SOURCE)) {
                pactl.unloadModule(m.index());
            }
        }
    }

    /** All of our modules, duplicates included (left by an older version, or made by hand with our names). */
    private static List<Pactl.Module> ours(List<Pactl.Module> modules) {
        return modules.stream().filter(PulseVirtualMicrophone::isOurs).toList();
    }

    private static boolean isOurs(Pactl.Module m) {
        return m.name().equals(NULL_SINK) && hasArgument(m, "sink_name=" + SINK)
                || m.name().equals(REMAP_SOURCE) && hasArgument(m, "source_name=" + SOURCE);
    }

    private static Ours find(List<Pactl.Module> modules) {
        List<Pactl.Module> ours = ours(modules);
        return new Ours(ours.stream().filter(m -> m.name().equals(NULL_SINK)).findFirst().orElse(null),
                ours.stream().filter(m -> m.name().equals(REMAP_SOURCE)).findFirst().orElse(null));
    }

    private static boolean hasArgument(Pactl.Module m, String argument) {
        return (" " + m.arguments() + " ").contains(" " + argument + " ");
    }

    static Optional<Owner> owner(Pactl.Module m) {
        Matcher matcher = OWNER.matcher(m.arguments());
        return matcher.find() ? Owner.parse(matcher.group(1)) : Optional.empty();
    }

    /*
     * Both PulseAudio and pipewire-pulse take a single-quoted argument value with double-quoted
     * property values inside: sink_properties='device.description="Two Words"'. Other quotings
     * (double outside, backslash escapes) fail on PulseAudio 16 with "Module initialization failed".
     */
    static String sinkArguments(Owner owner) {
        return "sink_name=" + SINK + " rate=48000 channels=1 channel_map=mono sink_properties='device.description=\""
                + SINK_DESCRIPTION + "\" voxmorph.owner=" + owner.token() + "'";
    }

    static String sourceArguments(Owner owner) {
        return "master=" + SINK + ".monitor source_name=" + SOURCE + " channels=1 channel_map=mono"
                + " source_properties='device.description=\"" + MICROPHONE_NAME + "\""
                + " device.icon_name=audio-input-microphone voxmorph.owner=" + owner.token() + "'";
    }

    private static VirtualMicTarget target(boolean created, List<String> notices) {
        return new VirtualMicTarget(VirtualMicTarget.Kind.PULSE_SINK, SINK, MICROPHONE_NAME, created, notices);
    }

    private static String indices(List<Pactl.Module> modules) {
        return String.join(" and ", modules.stream().map(m -> Integer.toString(m.index())).toList());
    }
}
