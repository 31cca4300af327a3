package org.voxmorph.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Optional;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.voxmorph.audio.AudioDeviceException;

/** Java Sound through ALSA's pulse plugin, on the real server; skipped where either is missing. */
class PulseSinkRoutingTest {
    private interface C extends Library {
        C INSTANCE = Native.load("c", C.class);

        String getenv(String name);
    }

    static final AudioFormat FORMAT = new AudioFormat(48000, 16, 1, true, false);

    private final Pactl pactl = new Pactl();
    private final PulseVirtualMicrophone mic = new PulseVirtualMicrophone();

    @BeforeEach
    void needsServer() {
        Assumptions.assumeTrue(PulseVirtualMicrophoneTest.serverReachable(), "no PulseAudio/PipeWire server reachable");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (PulseVirtualMicrophoneTest.serverReachable()) {
            mic.remove();
        }
    }

    @Test
    void javaSoundLineOpenedIntoTheSinkPlaysThereAndLaterLinesDoNot() throws Exception {
        String sink = mic.ensure().outputDevice();
        SourceDataLine routed = PulseSinkRouting.openInto(sink, PulseSinkRoutingTest::openPlaying);
        SourceDataLine plain = openPlaying();
        try {
            String voxmorphSink = sinkIndex(sink).orElseThrow();
            assertEquals(voxmorphSink, sinkOfNewestStream(1));
            String defaultSink = pactl.run("info").lines().filter(l -> l.startsWith("Default Sink: ")).findFirst()
                    .orElseThrow().substring("Default Sink: ".length());
            assertEquals(sinkIndex(defaultSink).orElseThrow(), sinkOfNewestStream(0),
                    "a line opened afterwards goes to the default sink");
            assertNull(C.INSTANCE.getenv("PULSE_SINK"));
            assertNull(C.INSTANCE.getenv("PIPEWIRE_NODE"));
        } finally {
            routed.close();
            plain.close();
            mic.release();
        }
    }

    private static SourceDataLine openPlaying() throws LineUnavailableException {
        SourceDataLine line;
        try {
            line = AudioSystem.getSourceDataLine(FORMAT);
        } catch (IllegalArgumentException | LineUnavailableException e) {
            Assumptions.abort("Java Sound has no output line here: " + e.getMessage());
            throw e;
        }
        line.open(FORMAT, 9600);
        line.start();
        line.write(new byte[9600], 0, 9600); // a playing stream is listed as a sink input
        return line;
    }

    private Optional<String> sinkIndex(String name) throws AudioDeviceException {
        return pactl.run("list", "short", "sinks").lines().map(l -> l.split("\t"))
                .filter(c -> c[1].equals(name)).map(c -> c[0]).findFirst();
    }

    /** The sink of the sink input that was created {@code back} streams before the newest one. */
    private String sinkOfNewestStream(int back) throws AudioDeviceException {
        // columns: index, sink, client, driver, format; newer streams have higher indices
        var rows = pactl.run("list", "short", "sink-inputs").lines().map(l -> l.split("\t"))
                .sorted((a, b) -> Long.compare(Long.parseLong(b[0]), Long.parseLong(a[0]))).toList();
        return rows.get(back)[1];
    }
}
