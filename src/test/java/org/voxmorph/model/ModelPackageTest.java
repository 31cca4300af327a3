package org.voxmorph.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.Chain;
import org.voxmorph.chain.Preset;
import org.voxmorph.chain.ProcessorRegistry;
import org.voxmorph.chain.StreamSpec;

/** Every way a model can be broken ends in one clear line, and the chain goes silent, never dry. */
class ModelPackageTest {
    @TempDir
    Path models;

    /** Copies a fixture package into the temp models folder as {@code id}, then lets the test break it. */
    private void install(String fixture, String id, Consumer<Path> breakIt) throws IOException {
        Path dst = models.resolve(id);
        Files.createDirectories(dst);
        try (var files = Files.list(TestModels.FIXTURES.resolve(fixture))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dst.resolve(f.getFileName()));
            }
        }
        breakIt.accept(dst);
    }

    private static void editManifest(Path folder, Consumer<ObjectNode> edit) {
        try {
            Path m = folder.resolve("model.json");
            ObjectNode root = (ObjectNode) ModelPackage.JSON.readTree(Files.readString(m));
            edit.accept(root);
            Files.writeString(m, ModelPackage.JSON.writeValueAsString(root));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void setFile(Path folder, int index, String path, byte[] data) {
        editManifest(folder, root -> {
            ObjectNode f = (ObjectNode) root.withArray("files").get(index);
            f.put("path", path);
            if (data != null) {
                f.put("sha256", ModelPackage.sha256(data));
            }
        });
    }

    private static void write(Path file, byte[] data) {
        try {
            Files.write(file, data);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Prepares a chain gain → model → gain on the broken model; returns its one failure line. */
    private String failureOf(String id) {
        System.setProperty("voxmorph.models", models.toString());
        Preset preset = new Preset("t", "", List.of(new Preset.Step("gain", Map.of()),
                new Preset.Step("model", Map.of("model", id)), new Preset.Step("gain", Map.of())), "test");
        try (Chain chain = preset.build(ProcessorRegistry.builtIn())) {
            chain.prepare(new StreamSpec(48000, 256));
            assertEquals(1, chain.failures().size(), "exactly the model slot failed");
            AudioBlock block = new AudioBlock(256);
            for (int i = 0; i < 256; i++) {
                block.samples()[i] = (float) Math.sin(i * 0.05);
            }
            block.setFrames(256);
            chain.process(block);
            assertTrue(chain.lastBlockFailed(), "the engine plays its fill instead");
            for (int i = 0; i < 256; i++) {
                assertEquals(0f, block.samples()[i], "never the unconverted input");
            }
            assertEquals(0, chain.latencySamples());
            String line = chain.failures().get(0);
            assertFalse(line.contains("\n"), "one line: " + line);
            return line;
        } catch (org.voxmorph.chain.PresetException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void corruptBytesWithAMatchingHashAreNotOnnx() throws IOException {
        install("rvc-wokada-f0-fp16", "corrupt", f -> {
            byte[] junk = new byte[4000];
            new java.util.Random(1).nextBytes(junk);
            junk[0] = 0x08;
            write(f.resolve("decoder.onnx"), junk);
            setFile(f, 0, "decoder.onnx", junk);
        });
        String line = failureOf("corrupt");
        assertTrue(line.contains("decoder.onnx") && line.contains("not a usable ONNX model"), line);
    }

    @Test
    void aTruncatedFileFailsItsChecksum() throws IOException {
        install("stream-tiny", "truncated", f -> {
            try {
                byte[] all = Files.readAllBytes(f.resolve("stream.onnx"));
                write(f.resolve("stream.onnx"), java.util.Arrays.copyOf(all, all.length / 2));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        String line = failureOf("truncated");
        assertTrue(line.contains("stream.onnx") && line.contains("sha256"), line);
    }

    @Test
    void aTruncatedFileWithAnUpdatedChecksumIsStillRefused() throws IOException {
        install("stream-tiny", "truncated2", f -> {
            try {
                byte[] all = Files.readAllBytes(f.resolve("stream.onnx"));
                byte[] half = java.util.Arrays.copyOf(all, all.length / 2);
                write(f.resolve("stream.onnx"), half);
                setFile(f, 0, "stream.onnx", half);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        String line = failureOf("truncated2");
        assertTrue(line.contains("stream.onnx") && line.contains("not a usable ONNX model"), line);
    }

    @Test
    void aGraphWithTheWrongContractIsNamed() throws IOException {
        install("rvc-official-f0-fp32", "wrong", f -> {
            try {
                byte[] other = Files.readAllBytes(TestModels.BARE.resolve("wrong-contract.onnx"));
                write(f.resolve("decoder.onnx"), other);
                setFile(f, 0, "decoder.onnx", other);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        String line = failureOf("wrong");
        assertTrue(line.contains("decoder.onnx") && line.contains("no known contract"), line);
    }

    @Test
    void picklesAreRefusedByNameAndByContent() throws IOException {
        install("stream-tiny", "pth", f -> setFile(f, 0, "voice.pth", null));
        String line = failureOf("pth");
        assertTrue(line.contains("voice.pth") && line.contains("pickle"), line);

        install("stream-tiny", "disguised", f -> {
            byte[] pickle = {(byte) 0x80, 0x02, 'c', 't', 'o', 'r', 'c', 'h'};
            write(f.resolve("stream.onnx"), pickle);
            setFile(f, 0, "stream.onnx", pickle);
        });
        line = failureOf("disguised");
        assertTrue(line.contains("stream.onnx") && line.contains("pickle"), line);
    }

    @Test
    void pathsThatLeaveTheModelFolderAreRefused() throws IOException {
        Files.copy(TestModels.FIXTURES.resolve("stream-tiny/stream.onnx"), models.resolve("outside.onnx"));
        install("stream-tiny", "dotdot", f -> setFile(f, 0, "../outside.onnx", null));
        String line = failureOf("dotdot");
        assertTrue(line.contains("../outside.onnx") && line.contains("leaves the model folder"), line);

        install("stream-tiny", "absolute", f -> setFile(f, 0, models.resolve("outside.onnx").toAbsolutePath().toString(), null));
        line = failureOf("absolute");
        assertTrue(line.contains("must be relative"), line);

        install("stream-tiny", "link", f -> {
            try {
                Files.delete(f.resolve("stream.onnx"));
                Files.createSymbolicLink(f.resolve("stream.onnx"), models.resolve("outside.onnx").toAbsolutePath());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        line = failureOf("link");
        assertTrue(line.contains("stream.onnx") && line.contains("leaves the model folder"), line);
    }

    @Test
    void aMissingModelOrManifestIsNamed() throws IOException {
        String line = failureOf("nobody");
        assertTrue(line.contains("nobody") && line.contains("no model.json"), line);
        Files.createDirectories(models.resolve("badjson"));
        Files.writeString(models.resolve("badjson/model.json"), "{\"format\": ");
        line = failureOf("badjson");
        assertTrue(line.contains("model.json") && line.contains("not valid JSON"), line);
    }

    @Test
    void aModelFailingMidStreamIsReportedInOneLineAndSilencedNeverDry() throws IOException {
        // The manifest promises a third speaker the graph's table lacks: loading (speaker 0) works,
        // the first hop with speaker 2 fails inside ONNX Runtime.
        install("stream-tiny", "liar", f -> editManifest(f, root -> root.putArray("speakers").add("a").add("b").add("c")));
        System.setProperty("voxmorph.models", models.toString());
        ModelProcessor p = new ModelProcessor();
        p.parameters().get("model").setText("liar");
        p.parameters().get("speaker").set(2);
        try (Chain chain = new Chain("t", List.of(p), List.of("model"))) {
            chain.prepare(new StreamSpec(16000, 512));
            float[] x = new float[4000];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) Math.sin(i * 0.03);
            }
            AudioBlock block = new AudioBlock(256);
            for (int pos = 0; pos + 256 <= x.length; pos += 256) {
                System.arraycopy(x, pos, block.samples(), 0, 256);
                block.setFrames(256);
                chain.process(block);
                for (int i = 0; i < 256; i++) {
                    assertTrue(block.samples()[i] == 0f || !chain.lastBlockFailed(), "a failed block is silent");
                }
            }
            assertEquals(1, chain.failures().size());
            String line = chain.failures().get(0);
            assertTrue(line.startsWith("model: ") && line.contains("stream.onnx") && !line.contains("\n"), line);
            assertTrue(chain.lastBlockFailed() && chain.failedBlocks() > 10, "failed blocks " + chain.failedBlocks());
        }
    }

    @Test
    void listingReportsEachFilesChecksum() throws IOException {
        install("rvc-wokada-nof0-fp32", "listed", f -> write(f.resolve("content.onnx"), new byte[] {1, 2, 3}));
        ModelPackage pkg = ModelPackage.read(models.resolve("listed"));
        List<String> problems = pkg.fileProblems();
        assertEquals(null, problems.get(0));
        assertTrue(problems.get(1).contains("content.onnx") && problems.get(1).contains("sha256"), problems.get(1));
        assertEquals(List.of("speaker 0", "speaker 1"), pkg.speakers());
    }
}
