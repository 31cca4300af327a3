package org.voxmorph.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxmorph.chain.BlockRunner;
import org.voxmorph.chain.StreamSpec;
import org.voxmorph.dsp.Measure;
import org.voxmorph.dsp.NsdfPitch;
import org.voxmorph.dsp.Signals;
import org.voxmorph.dsp.Speech;

/**
 * The {@code mcep-voice} fixture through the real {@code model} processor: a graph that delays
 * f0_in by its two hops of look-ahead and emits a fixed formant envelope per speaker whose level
 * follows the input, voiced by the mel-cepstrum vocoder (see tools/fixtures/make_fixtures.py).
 */
class MelCepstrumVoiceTest {
    private static final String ID = "mcep-voice";
    private static final int RATE = 16000;

    @TempDir
    Path models;

    /** Three utterances to learn the speaker's range, then the one that is measured (its start is returned in {@code start[0]}). */
    private static float[] speech(String speaker, int[] start) throws IOException {
        String[] utterances = speaker.equals("p225") ? new String[] {"008", "011", "016", "003"} : new String[] {"005", "008", "011", "003"};
        List<float[]> parts = new ArrayList<>();
        int total = 0;
        for (String u : utterances) {
            float[] x = Speech.vctk(speaker, u);
            parts.add(x);
            start[0] = total;
            total += x.length;
        }
        float[] all = new float[total];
        int pos = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, pos, p.length);
            pos += p.length;
        }
        return all;
    }

    /** Median output pitch over the measured utterance. */
    private static double outputPitch(String source, int speaker, double semitones) throws IOException {
        int[] start = new int[1];
        float[] x = speech(source, start);
        ModelProcessor p = TestModels.processor(ID, RATE);
        p.parameters().get("speaker").set(speaker);
        p.parameters().get("pitch").set(semitones);
        p.reset();
        float[] y = BlockRunner.run(p, x, 512, b -> 512);
        int latency = p.latencySamples();
        p.close();
        NsdfPitch tracker = new NsdfPitch(RATE);
        List<Double> pitches = new ArrayList<>();
        for (int i = start[0] + latency; i + 1024 <= y.length; i += 160) {
            double hz = tracker.pitchHz(y, i, 1024);
            if (hz > 0) {
                pitches.add(hz);
            }
        }
        assertTrue(pitches.size() > 100, "voiced output frames: " + pitches.size());
        return Measure.median(pitches);
    }

    @Test
    void outputPitchFollowsTheChosenSpeakersRangeAndTheTransposition() throws IOException {
        for (String source : new String[] {"p225", "p226"}) {
            double low = outputPitch(source, 0, 0);
            double high = outputPitch(source, 1, 0);
            assertEquals(110, low, 110 * 0.08, source + " as speaker 0 (ln 110 Hz)");
            assertEquals(220, high, 220 * 0.08, source + " as speaker 1 (ln 220 Hz)");
            assertEquals(2.0, high / low, 0.04, source + ": speaker 1 over speaker 0");
            if (source.equals("p225")) {
                assertEquals(2.0, outputPitch(source, 0, 12) / low, 0.04, "pitch +12 doubles");
            }
        }
    }

    @Test
    void reportedLatencyIsTheMeasuredDelayOfAnOnset() {
        ModelProcessor p = TestModels.processor(ID, RATE);
        int onset = 8000; // on a hop boundary, so the whole first hop carries the sound
        float[] x = new float[RATE];
        for (int i = onset; i < x.length; i++) {
            x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 150 * i / RATE));
        }
        float[] y = BlockRunner.run(p, x, 777, b -> 1 + (b * 131) % 777);
        int first = 0;
        while (first < y.length && Math.abs(y[first]) < 1e-3) {
            first++;
        }
        assertEquals(160 + 320, p.latencySamples(), "one hop plus the graph's 320 samples, nothing for the vocoder");
        assertEquals(p.latencySamples(), first - onset, "first output sample above -60 dB after the onset");
        assertTrue(Signals.rms(y, onset + 2000, y.length) > 0.05, "the tone comes out at its level");
        p.close();
    }

    @Test
    void outputDoesNotDependOnBlockSizesThroughTheResamplers() throws IOException {
        float[] x = TestModels.toRate(Speech.vctk("p226", "003"), 48000);
        ModelProcessor p = TestModels.processor(ID, 48000);
        float[] a = BlockRunner.run(p, x, 4096, b -> 1);
        p.reset();
        float[] b = BlockRunner.run(p, x, 4096, k -> 1 + (k * 2654435) % 4096);
        p.close();
        assertTrue(Signals.rms(a, 0, a.length) > 0.01, "it made sound");
        assertTrue(TestModels.maxAbsDiff(a, b) < 1e-4, "block-size dependence " + TestModels.maxAbsDiff(a, b));
    }

    @Test
    void resetForgetsPitchStatisticsVocoderAndStates() throws IOException {
        float[] x = java.util.Arrays.copyOf(Speech.vctk("p225", "003"), 3 * RATE);
        ModelProcessor p = TestModels.processor(ID, RATE);
        float[] a = BlockRunner.run(p, x, 333, b -> 333);
        float[] again = BlockRunner.run(p, x, 333, b -> 333);
        p.reset();
        float[] b = BlockRunner.run(p, x, 333, b2 -> 333);
        p.close();
        assertFalse(java.util.Arrays.equals(a, again), "without a reset the learnt source range carries on");
        assertArrayEquals(a, b);
    }

    /** Copies a fixture into the temp models folder as {@code id} and edits its manifest. */
    private void install(String fixture, String id, Consumer<ObjectNode> edit) throws IOException {
        Path dst = models.resolve(id);
        Files.createDirectories(dst);
        try (var files = Files.list(TestModels.FIXTURES.resolve(fixture))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        Path m = dst.resolve("model.json");
        ObjectNode root = (ObjectNode) ModelPackage.JSON.readTree(Files.readString(m));
        edit.accept(root);
        Files.writeString(m, ModelPackage.JSON.writeValueAsString(root));
    }

    private String failureOf(String id) {
        System.setProperty("voxmorph.models", models.toString());
        ModelProcessor p = new ModelProcessor();
        p.parameters().get("model").setText(id);
        ModelException e = assertThrows(ModelException.class, () -> p.prepare(new StreamSpec(48000, 256)));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void badVocoderOrSpeakerF0FailsWithOneLineNamingTheManifest() throws IOException {
        install(ID, "unknown-vocoder", r -> ((ObjectNode) r.get("vocoder")).put("type", "world"));
        install(ID, "short-f0", r -> r.withArray("speakerF0").remove(1));
        install(ID, "hz-not-ln", r -> r.withArray("speakerF0").set(0, ModelPackage.JSON.createArrayNode().add(110).add(0.15)));
        install("stream-tiny", "audio-out-only", r -> r.putObject("vocoder").put("type", "mel-cepstrum").put("alpha", 0.42));

        String unknown = failureOf("unknown-vocoder");
        assertTrue(unknown.contains("model.json") && unknown.contains("\"world\""), unknown);
        String shortF0 = failureOf("short-f0");
        assertTrue(shortF0.contains("model.json") && shortF0.contains("speakerF0") && shortF0.contains("(2)"), shortF0);
        String hz = failureOf("hz-not-ln");
        assertTrue(hz.contains("model.json") && hz.contains("speakerF0[0]"), hz);
        String noMcep = failureOf("audio-out-only");
        assertTrue(noMcep.contains("stream.onnx") && noMcep.contains("'mcep'"), noMcep);
    }

    @Test
    void aNonFiniteMelCepstrumStopsTheModelAndSilencesItNeverDry() throws IOException {
        // The fixture's c0 is the input's log level, so one NaN sample upstream makes a NaN cepstrum.
        float[] x = java.util.Arrays.copyOf(Speech.vctk("p226", "003"), 2 * RATE);
        int broken = RATE / 2;
        x[broken] = Float.NaN;
        ModelProcessor p = TestModels.processor(ID, RATE);
        try (org.voxmorph.chain.Chain chain = new org.voxmorph.chain.Chain("t", java.util.List.of(p), java.util.List.of("model"))) {
            chain.prepare(new org.voxmorph.chain.StreamSpec(RATE, 256));
            org.voxmorph.chain.AudioBlock block = new org.voxmorph.chain.AudioBlock(256);
            int failedFrom = -1;
            for (int pos = 0; pos + 256 <= x.length; pos += 256) {
                System.arraycopy(x, pos, block.samples(), 0, 256);
                block.setFrames(256);
                chain.process(block);
                if (chain.lastBlockFailed() && failedFrom < 0) {
                    failedFrom = pos;
                }
                if (failedFrom >= 0) {
                    for (int i = 0; i < 256; i++) {
                        assertEquals(0f, block.samples()[i], "silent, not the input, at " + (pos + i));
                    }
                }
            }
            assertTrue(failedFrom >= broken - 256 && failedFrom < broken + 4 * 256, "failed at " + failedFrom);
            String line = chain.failures().get(0);
            assertTrue(line.contains("non-finite mel-cepstrum") && line.endsWith("(silent instead)"), line);
        }
    }
}
