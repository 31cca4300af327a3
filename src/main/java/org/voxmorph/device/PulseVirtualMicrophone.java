package org.voxmorph.device;

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

    private final Pactl pactl;
    private final StateFile stateFile;
    private StateFile.Entry loadedHere;
    private Thread shutdownHook;

    public PulseVirtualMicrophone() {
        this(new Pactl(), new StateFile(StateFile.defaultPath()));
    }

    PulseVirtualMicrophone(Pactl pactl, StateFile stateFile) {
        this.pactl = pactl;
        this.stateFile = stateFile;
    }

    /** Our two modules as the server lists them; either may be null. */
    private record Ours(Pactl.Module sink, Pactl.Module source) {
        boolean complete() {
            return sink != null && source != null;
        }

        List<Pactl.Module> present() {
            List<Pactl.Module> list = new ArrayList<>();
            if (sink != null) {
                list.add(sink);
            }
            if (source != null) {
                list.add(source);
            }
            return list;
        }
    }

    @Override
    public synchronized VirtualMicTarget ensure() throws AudioDeviceException {
        if (loadedHere != null) {
            return target(false, List.of());
        }
        VirtualMicTarget target = provide(Owner.thisProcess());
        if (target.created()) {
            shutdownHook = new Thread(this::release, "voxmorph-virtual-mic-release");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        return target;
    }

    @Override
    public VirtualMicTarget create() throws AudioDeviceException {
        return provide(Owner.user());
    }

    @Override
    public synchronized void release() {
        if (loadedHere == null) {
            return;
        }
        String token = loadedHere.owner().token();
        try {
            for (Pactl.Module m : pactl.modules()) {
                boolean ours = m.index() == loadedHere.sinkModule() || m.index() == loadedHere.sourceModule();
                // a restarted server may have given our old indices to other modules: check the marker too
                if (ours && owner(m).map(Owner::token).filter(token::equals).isPresent()) {
                    pactl.unloadModule(m.index());
                }
            }
        } catch (AudioDeviceException e) {
            // the server is gone, and our modules with it
        }
        stateFile.delete();
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
        Ours ours = find(pactl.modules());
        List<Pactl.Module> present = ours.present();
        // the source first: it reads from the sink's monitor
        for (int i = present.size() - 1; i >= 0; i--) {
            pactl.unloadModule(present.get(i).index());
        }
        stateFile.delete();
        loadedHere = null;
        if (present.isEmpty()) {
            return MICROPHONE_NAME + " was not loaded; nothing to remove";
        }
        return "removed " + MICROPHONE_NAME + " (modules " + indices(present) + ")";
    }

    @Override
    public VirtualMicStatus status() throws AudioDeviceException {
        String system = pactl.serverName();
        Ours ours = find(pactl.modules());
        boolean sourceExists = pactl.sourceNames().contains(SOURCE);
        boolean ready = ours.complete() && sourceExists;
        String owner = ours.present().stream().findFirst().flatMap(PulseVirtualMicrophone::owner)
                .map(Owner::describe).orElse(null);
        return new VirtualMicStatus(system, ready, ready ? SINK : null, MICROPHONE_NAME,
                ours.sink() == null ? null : ours.sink().index(),
                ours.source() == null ? null : ours.source().index(), sourceExists, owner,
                ready ? null : "create it with: voxmorph virtual-mic create (or run: voxmorph live --virtual-mic)");
    }

    private synchronized VirtualMicTarget provide(Owner owner) throws AudioDeviceException {
        List<Pactl.Module> modules = pactl.modules();
        List<String> notices = removeLeftovers(modules);
        if (!notices.isEmpty()) {
            modules = pactl.modules();
        }
        Ours ours = find(modules);
        if (ours.complete()) {
            owner(ours.sink()).filter(o -> !o.isUser() && owner.isUser()).ifPresent(session -> notices.add(
                    MICROPHONE_NAME + " belongs to the running " + session.describe()
                            + " and goes away when it ends"));
            return target(false, notices);
        }
        // half of a pair is useless (a source without its sink, or a sink nobody can record): start over
        for (Pactl.Module m : ours.present()) {
            pactl.unloadModule(m.index());
        }
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
        List<String> notices = new ArrayList<>();
        List<Pactl.Module> left = new ArrayList<>();
        for (Pactl.Module m : find(modules).present()) {
            if (owner(m).filter(Owner::isGone).isPresent()) {
                left.add(m);
            }
        }
        for (int i = left.size() - 1; i >= 0; i--) {
            pactl.unloadModule(left.get(i).index());
        }
        Optional<StateFile.Entry> record = stateFile.read();
        if (record.isPresent() && record.get().owner().isGone()) {
            stateFile.delete();
        }
        if (!left.isEmpty()) {
            notices.add("removed " + MICROPHONE_NAME + " modules " + indices(left) + " left behind by "
                    + owner(left.get(0)).map(Owner::describe).orElse("a session") + ", which ended without cleaning up");
        }
        return notices;
    }

    private static Ours find(List<Pactl.Module> modules) {
        Pactl.Module sink = null;
        Pactl.Module source = null;
        for (Pactl.Module m : modules) {
            if (m.name().equals(NULL_SINK) && hasArgument(m, "sink_name=" + SINK)) {
                sink = m;
            } else if (m.name().equals(REMAP_SOURCE) && hasArgument(m, "source_name=" + SOURCE)) {
                source = m;
            }
        }
        return new Ours(sink, source);
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
        return "master=" + SINK + ".monitor source_name=" + SOURCE + " channels=1 channel_map=mono source_properties='device.description=\""
                + MICROPHONE_NAME + "\" device.icon_name=audio-input-microphone voxmorph.owner=" + owner.token() + "'";
    }

    private static VirtualMicTarget target(boolean created, List<String> notices) {
        return new VirtualMicTarget(VirtualMicTarget.Kind.PULSE_SINK, SINK, MICROPHONE_NAME, created, notices);
    }

    private static String indices(List<Pactl.Module> modules) {
        return String.join(" and ", modules.stream().map(m -> Integer.toString(m.index())).toList());
    }
}
