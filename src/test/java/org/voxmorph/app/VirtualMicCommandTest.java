package org.voxmorph.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class VirtualMicCommandTest {

    /** Runs the CLI in a child JVM with extra environment: returns exit code and stderr. */
    static CliTest.Run runWithEnvironment(Map<String, String> env, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName());
        builder.command().addAll(List.of(args));
        builder.environment().putAll(env);
        Process p = builder.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new CliTest.Run(p.exitValue(), out, err);
    }

    static boolean linuxWithPactl() {
        return System.getProperty("os.name").startsWith("Linux") && Files.isExecutable(Path.of("/usr/bin/pactl"));
    }

    @Test
    void noSoundServerIsOneClearLine() throws Exception {
        Assumptions.assumeTrue(linuxWithPactl());
        CliTest.Run r = runWithEnvironment(Map.of("PULSE_SERVER", "unix:/nonexistent/voxmorph-test/native"),
                "virtual-mic", "create");
        assertEquals(2, r.code());
        assertEquals("voxmorph: no PulseAudio/PipeWire server is running: start it or use --output DEV\n", r.err());
    }

    @Test
    void missingPactlIsOneClearLine() throws Exception {
        Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        CliTest.Run r = runWithEnvironment(Map.of("PATH", "/nonexistent"), "virtual-mic", "status");
        assertEquals(2, r.code());
        assertEquals("voxmorph: pactl is not installed: install pulseaudio-utils (PulseAudio and PipeWire alike)"
                + " or use --output DEV\n", r.err());
    }

    @Test
    void createStatusRemoveThroughTheCommandLine() throws Exception {
        Assumptions.assumeTrue(linuxWithPactl() && CliTest.run("virtual-mic", "status").code() == 0,
                "no PulseAudio/PipeWire server reachable");
        CliTest.Run created = CliTest.run("virtual-mic", "create");
        assertEquals(0, created.code(), created.err());
        assertTrue(created.out().contains("\"Voxmorph Microphone\""), created.out());

        JsonNode status = new ObjectMapper().readTree(CliTest.run("virtual-mic", "status", "--json").out());
        assertTrue(status.get("ready").asBoolean());
        assertEquals("voxmorph_sink", status.get("writeTo").asText());
        assertTrue(status.get("sinkModule").isInt());
        assertTrue(status.get("sourceModule").isInt());

        JsonNode again = new ObjectMapper().readTree(CliTest.run("virtual-mic", "create", "--json").out());
        assertFalse(again.get("created").asBoolean(), again.toString());
        assertEquals("Voxmorph Microphone", again.get("microphone").asText());
        assertEquals("voxmorph_sink", again.get("writeTo").asText());

        CliTest.Run removed = CliTest.run("virtual-mic", "remove", "--json");
        assertEquals(0, removed.code(), removed.err());
        assertTrue(new ObjectMapper().readTree(removed.out()).get("message").asText().contains("Voxmorph Microphone"), removed.out());
        assertFalse(new ObjectMapper().readTree(CliTest.run("virtual-mic", "status", "--json").out()).get("ready").asBoolean());
        JsonNode fresh = new ObjectMapper().readTree(CliTest.run("virtual-mic", "create", "--json").out());
        assertTrue(fresh.get("created").asBoolean(), fresh.toString());
        assertEquals(0, CliTest.run("virtual-mic", "remove").code());
    }

    @Test
    void virtualMicWithoutSubcommandSaysWhatToDo() {
        CliTest.Run r = CliTest.run("virtual-mic");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("create, status or remove"), r.err());
    }
}
