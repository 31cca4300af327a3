package org.voxmorph.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.voxmorph.audio.AudioBackend;
import org.voxmorph.audio.AudioBackends;
import org.voxmorph.audio.AudioDeviceException;
import org.voxmorph.audio.DeviceInfo;
import org.voxmorph.device.VirtualMicStatus;
import org.voxmorph.device.VirtualMicTarget;
import org.voxmorph.device.VirtualMicrophone;
import org.voxmorph.device.VirtualMicrophones;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "virtual-mic", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "(create | status | remove)",
        description = "Manage the microphone that other applications (OBS, Discord, games) select to hear Voxmorph.",
        subcommands = {VirtualMicCommand.Create.class, VirtualMicCommand.Status.class, VirtualMicCommand.Remove.class})
public final class VirtualMicCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "say what to do: create, status or remove");
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = {
            "Make the microphone and keep it until 'virtual-mic remove'.",
            "Linux (PulseAudio or PipeWire): loads a null sink 'voxmorph_sink' and a source 'voxmorph_mic'"
                    + " that applications list as \"Voxmorph Microphone\".",
            "Windows, macOS: finds VB-CABLE, Virtual Audio Cable or BlackHole, or says how to install one."})
    static final class Create implements Callable<Integer> {
        @Option(names = "--json", description = "Print one JSON object")
        boolean json;

        @Override
        public Integer call() throws Exception {
            VirtualMicTarget target = attempt(() -> microphone().create());
            if (json) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("created", target.created());
                r.put("microphone", target.microphoneName());
                r.put("writeTo", target.outputDevice());
                r.put("kind", target.kind() == VirtualMicTarget.Kind.PULSE_SINK ? "pulse-sink" : "output-device");
                r.put("notices", target.notices());
                System.out.println(new ObjectMapper().writeValueAsString(r));
                return 0;
            }
            target.notices().forEach(System.out::println);
            if (target.kind() == VirtualMicTarget.Kind.OUTPUT_DEVICE) {
                System.out.printf("Voxmorph writes to \"%s\": select \"%s\" as the microphone in your applications%n",
                        target.outputDevice(), target.microphoneName());
            } else {
                System.out.printf(target.created() ? "created \"%s\": select it as the microphone in your applications%n"
                        : "\"%s\" is already there: select it as the microphone in your applications%n",
                        target.microphoneName());
            }
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Say whether the microphone is there, and its modules or driver.")
    static final class Status implements Callable<Integer> {
        @Option(names = "--json", description = "Print one JSON object")
        boolean json;

        @Override
        public Integer call() throws Exception {
            VirtualMicStatus s = attempt(() -> microphone().status());
            if (json) {
                System.out.println(new ObjectMapper().writeValueAsString(s));
                return 0;
            }
            Map<String, Object> lines = new LinkedHashMap<>();
            lines.put("ready", s.ready() ? "yes" : "no");
            lines.put("system", s.system());
            lines.put("write to", s.writeTo());
            lines.put("microphone", s.microphone());
            lines.put("sink module", s.sinkModule());
            lines.put("source module", s.sourceModule());
            lines.put("source exists", s.sourceExists() ? "yes" : "no");
            lines.put("owner", s.owner());
            lines.put("hint", s.hint());
            lines.forEach((k, v) -> {
                if (v != null) {
                    System.out.printf("%-14s %s%n", k, v);
                }
            });
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove the microphone, whoever made it.")
    static final class Remove implements Callable<Integer> {
        @Option(names = "--json", description = "Print one JSON object")
        boolean json;

        @Override
        public Integer call() throws Exception {
            String done = attempt(() -> microphone().remove());
            System.out.println(json ? new ObjectMapper().writeValueAsString(Map.of("message", done)) : done);
            return 0;
        }
    }

    private interface DeviceAction<T> {
        T run() throws AudioDeviceException;
    }

    /** Device failures are the user's to fix (start the server, install a cable): one line, no stack trace. */
    private static <T> T attempt(DeviceAction<T> action) {
        try {
            return action.run();
        } catch (AudioDeviceException e) {
            throw new CliError(e.getMessage());
        }
    }

    static VirtualMicrophone microphone() {
        return VirtualMicrophones.forThisSystem(VirtualMicCommand::playbackDevices);
    }

    /** Windows and macOS: the first audio backend that works here lists the cables. */
    static List<DeviceInfo> playbackDevices() throws AudioDeviceException {
        for (AudioBackend backend : AudioBackends.all()) {
            if (backend.unavailableReason() == null) {
                return backend.devices();
            }
        }
        throw new AudioDeviceException("no audio backend works here, so no virtual cable can be found; use --output DEV");
    }
}
