package org.voxmorph.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A voice enrolled before the content encoder (its {@code NAME.frames} in format 1, MFCC content
 * vectors) is refused with one line naming the file and saying to enroll again, exit 2, and no
 * output file.
 */
class OldMatchingSetTest {
    @TempDir
    Path dir;

    @Test
    void aFormatOneMatchingSetIsRefusedWithOneLine() throws Exception {
        Path voices = dir.resolve("voices");
        List<String> enroll = new ArrayList<>(List.of("voice", "enroll"));
        enroll.addAll(VoiceCommandTest.clips("p228"));
        enroll.addAll(List.of("--name", "robin", "--consent-text", VoiceCommandTest.CONSENT, "--voices-dir", voices.toString()));
        CliTest.Run r = CliTest.run(enroll.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        // What an older Voxmorph wrote: "VMS1", 1 frame, 19 MFCCs, 80 envelope points, then numbers.
        ByteBuffer old = ByteBuffer.allocate(32 + 16 * 19 + 4 * (19 + 80)).order(ByteOrder.LITTLE_ENDIAN);
        old.putInt(0x564D5331).putInt(1).putInt(19).putInt(80).putDouble(Math.log(200)).putDouble(0.2);
        Path frames = voices.resolve("robin.frames");
        Files.write(frames, old.array());
        Path out = dir.resolve("out.wav");
        r = CliTest.run("convert", VoiceCommandTest.clips("p228").get(0), out.toString(), "--voice", "robin",
                "--voices-dir", voices.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(frames.toString()) && r.err().contains("enroll the voice again"), r.err());
        assertFalse(Files.exists(out));
    }
}
