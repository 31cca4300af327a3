package org.voxmorph.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.Callable;
import org.voxmorph.audio.AudioBackend;
import org.voxmorph.audio.AudioBackends;
import org.voxmorph.audio.AudioDeviceException;
import org.voxmorph.audio.DeviceInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "devices", mixinStandardHelpOptions = true, description = "List input and output devices per backend, with default sample rates and reported latencies.")
public final class DevicesCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ArrayNode backends = root.putArray("backends");
        for (AudioBackend b : AudioBackends.all()) {
            ObjectNode node = backends.addObject();
            node.put("name", b.name());
            String why = b.unavailableReason();
            List<DeviceInfo> devices = List.of();
            if (why == null) {
                try {
                    devices = b.devices();
                } catch (AudioDeviceException e) {
                    why = e.getMessage();
                }
            }
            node.put("available", why == null);
            if (why != null) {
                node.put("reason", why);
            }
            node.set("devices", mapper.valueToTree(devices));
            if (!json) {
                print(b.name(), why, devices);
            }
        }
        if (json) {
            System.out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        }
        return 0;
    }

    private static void print(String backend, String why, List<DeviceInfo> devices) {
        if (why != null) {
            System.out.printf("%s: unavailable (%s)%n", backend, why);
            return;
        }
        System.out.printf("%s:%n", backend);
        if (devices.isEmpty()) {
            System.out.println("  (no devices)");
        }
        for (DeviceInfo d : devices) {
            String dir = (d.isInput() ? "in " + d.inputChannels() : "") + (d.isInput() && d.isOutput() ? ", " : "")
                    + (d.isOutput() ? "out " + d.outputChannels() : "");
            String rate = d.defaultSampleRate() > 0 ? String.format("%.0f Hz", d.defaultSampleRate()) : "any rate";
            String latency = d.inputLatencyMs() + d.outputLatencyMs() > 0
                    ? String.format(", latency in %.1f / out %.1f ms", d.inputLatencyMs(), d.outputLatencyMs()) : "";
            String def = (d.defaultInput() ? " [default input]" : "") + (d.defaultOutput() ? " [default output]" : "");
            System.out.printf("  %-40s %s (%s), %s%s%s%n", d.name(), d.hostApi().isEmpty() ? "" : d.hostApi(), dir, rate, latency, def);
        }
    }
}
