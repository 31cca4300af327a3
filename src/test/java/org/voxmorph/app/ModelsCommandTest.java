package org.voxmorph.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ModelsCommandTest {

    @Test
    void listsTheFixturePackagesAsJson() throws Exception {
        System.setProperty("voxmorph.models", "src/test/resources/models");
        System.setProperty("voxmorph.userModels", "target/no-user-models");
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = new CommandLine(new ModelsCommand()).execute("--json");
        } finally {
            System.setOut(old);
        }
        assertEquals(0, rc);
        JsonNode all = new ObjectMapper().readTree(buf.toString(StandardCharsets.UTF_8));
        assertEquals(7, all.size());
        assertEquals("shipped", all.get(0).path("where").asText());
        JsonNode fp16 = all.get(1);
        assertEquals("mcep-voice", all.get(0).path("id").asText(), "listed in name order");
        assertEquals("rvc-official-f0-fp32", fp16.path("id").asText());
        assertEquals(48000, fp16.path("sampleRate").asInt());
        assertTrue(fp16.path("filesOk").asBoolean());
        assertTrue(fp16.path("sizeBytes").asLong() > 100_000);
        assertEquals("CC0-1.0", fp16.path("license").asText());
    }

    /** The encoders serve the converter: they are listed, but with no speakers a user could pick. */
    @Test
    void shippedEncodersAreNotOfferedAsVoices() throws Exception {
        String before = System.getProperty("voxmorph.models");
        System.setProperty("voxmorph.models", "models");
        System.setProperty("voxmorph.userModels", "target/no-user-models");
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, new CommandLine(new ModelsCommand()).execute("--json"));
        } finally {
            System.setOut(old);
            if (before == null) {
                System.clearProperty("voxmorph.models");
            } else {
                System.setProperty("voxmorph.models", before);
            }
        }
        JsonNode all = new ObjectMapper().readTree(buf.toString(StandardCharsets.UTF_8));
        int checked = 0;
        for (JsonNode m : all) {
            String id = m.path("id").asText();
            if (id.equals("voxmorph-speaker") || id.equals("voxmorph-content")) {
                assertEquals(false, m.path("voice").asBoolean(), id);
                assertEquals(0, m.path("speakers").size(), id);
                checked++;
            } else if (id.equals("voxmorph-frames")) {
                assertEquals(true, m.path("voice").asBoolean(), id);
                assertEquals(4, m.path("speakers").size(), id);
                checked++;
            }
        }
        assertEquals(3, checked, buf.toString(StandardCharsets.UTF_8));
    }
}
