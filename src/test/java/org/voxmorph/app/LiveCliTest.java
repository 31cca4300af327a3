package org.voxmorph.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The devices and live commands' answers that need no sound device. */
class LiveCliTest {

    @Test
    void devicesJsonNamesEveryBackendAndWhyOneIsUnavailable() throws Exception {
        CliTest.Run r = CliTest.run("devices", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode backends = new ObjectMapper().readTree(r.out()).get("backends");
        List<String> names = new ArrayList<>();
        for (JsonNode b : backends) {
            names.add(b.get("name").asText());
            if (b.get("available").asBoolean()) {
                for (JsonNode d : b.get("devices")) {
                    assertTrue(d.has("name") && d.has("defaultSampleRate") && d.has("inputLatencyMs")
                            && d.has("outputLatencyMs") && d.has("hostApi"), "device fields: " + d);
                }
            } else {
                assertFalse(b.get("reason").asText().isBlank(), "a reason: " + b);
            }
        }
        assertEquals(List.of("jack", "pulse", "portaudio", "javasound", "file"), names);
    }

    @Test
    void badLiveOptionsGetOneLineAndExitCode2() {
        String[][] cases = {
            {"live", "--backend", "alsa-direct"},
            {"live", "--block-ms", "0"},
            {"live", "--virtual-mic", "--output", "speakers"},
            {"live", "--rate", "1000"},
        };
        String[] expected = {"unknown --backend 'alsa-direct'; there are: jack, pulse, portaudio, javasound, file", "--block-ms",
            "--virtual-mic and --output", "--rate 1000 is outside"};
        for (int i = 0; i < cases.length; i++) {
            CliTest.Run r = CliTest.run(cases[i]);
            String line = r.err().strip();
            assertEquals(2, r.code(), String.join(" ", cases[i]) + " -> " + line);
            assertTrue(line.startsWith("voxmorph: ") && line.contains(expected[i]), "got: " + line);
            assertFalse(line.contains("\n"), "one line: " + line);
        }
    }
}
