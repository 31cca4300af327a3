package org.voxmorph.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxmorph.audio.AudioFileException;
import org.voxmorph.audio.MonoAudio;
import org.voxmorph.audio.WavReader;
import org.voxmorph.audio.WavWriter;
import org.voxmorph.dsp.WatermarkEmbedder;
import picocli.CommandLine;

class WatermarkCommandTest {
    private static final String SPEECH = "../shared/speech/libri_trainclean100_cohort";

    @TempDir
    Path dir;

    private static synchronized String detect(int exitCode, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            String[] all = new String[args.length + 1];
            all[0] = "detect";
            System.arraycopy(args, 0, all, 1, args.length);
            assertEquals(exitCode, new CommandLine(new WatermarkCommand()).execute(all), "exit code: 0 present, 1 not found");
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(old);
        }
    }

    private Path oneUtterance(int voiceId) throws Exception {
        Path source;
        try (var files = Files.list(Path.of(SPEECH))) {
            source = files.filter(p -> p.toString().endsWith(".wav")).sorted().findFirst().orElseThrow();
        }
        MonoAudio a = WavReader.read(source);
        float[] x = a.samples().clone();
        if (voiceId != Integer.MIN_VALUE) {
            new WatermarkEmbedder(a.sampleRate(), voiceId).process(x, 0, x.length, Math.pow(10, -25 / 20.0));
        }
        Path file = dir.resolve("clip" + voiceId + ".wav");
        WavWriter.write16(file, x, a.sampleRate());
        return file;
    }

    @Test
    void reportsPresenceConfidenceAndVoiceId() throws Exception {
        String marked = detect(0, oneUtterance(-1).toString());
        assertTrue(marked.contains("watermark PRESENT") && marked.contains("voice id: none embedded"), marked);

        JsonNode withId = new ObjectMapper().readTree(detect(0, oneUtterance(513).toString(), "--json"));
        assertTrue(withId.get("present").asBoolean(), withId.toString());
        assertEquals(513, withId.get("voiceId").asInt());
        assertTrue(withId.get("z").asDouble() > withId.get("zThreshold").asDouble(), withId.toString());

        Path unmarked = oneUtterance(Integer.MIN_VALUE);
        JsonNode plain = new ObjectMapper().readTree(detect(1, unmarked.toString(), "--json"));
        assertFalse(plain.get("present").asBoolean(), plain.toString());
        assertTrue(plain.get("voiceId").isNull());
        assertTrue(plain.get("z").asDouble() < plain.get("zThreshold").asDouble(), plain.toString());
        String text = detect(1, unmarked.toString());
        assertTrue(text.contains("not found") && text.contains("threshold") && !text.contains("confidence"), text);
    }

    @Test
    void aBadFileIsOneLineNamingIt() throws Exception {
        Path junk = dir.resolve("junk.wav");
        Files.writeString(junk, "not audio");
        WatermarkCommand.Detect detect = CommandLine.populateCommand(new WatermarkCommand.Detect(), junk.toString());
        AudioFileException e = assertThrows(AudioFileException.class, detect::call);
        assertTrue(e.getMessage().startsWith(junk.toString()) && !e.getMessage().contains("\n"), e.getMessage());
    }
}
