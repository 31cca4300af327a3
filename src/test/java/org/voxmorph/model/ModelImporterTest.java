package org.voxmorph.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxmorph.chain.StreamSpec;

class ModelImporterTest {
    @TempDir
    Path models;

    @Test
    void importsAnOfficialExportByProbingItsRate() {
        ModelPackage pkg = ModelImporter.importModel(TestModels.BARE.resolve("official-nof0.onnx"),
                TestModels.FIXTURES.resolve("rvc-wokada-f0-fp16/content.onnx"), null, null, 0, null, models);
        assertEquals("official-nof0", pkg.id());
        assertEquals("rvc", pkg.format());
        assertEquals(48000, pkg.sampleRate());
        assertTrue(pkg.fileProblems().stream().allMatch(p -> p == null));
        System.setProperty("voxmorph.models", models.toString());
        ModelProcessor p = new ModelProcessor();
        p.parameters().get("model").setText("official-nof0");
        p.prepare(new StreamSpec(48000, 512));
        assertEquals((16 + 6) * 480, p.latencySamples());
        p.close();
    }

    @Test
    void importsAWokadaExportFromItsMetadata() {
        ModelPackage pkg = ModelImporter.importModel(TestModels.FIXTURES.resolve("rvc-wokada-nof0-fp32/decoder.onnx"),
                TestModels.FIXTURES.resolve("rvc-wokada-nof0-fp32/content.onnx"), null, "mine", 2, "CC-BY-4.0", models);
        assertEquals(32000, pkg.sampleRate());
        assertEquals(2, pkg.speakers().size());
        assertEquals("CC-BY-4.0", pkg.license());
        assertTrue(pkg.provenance().contains("w-okada"), pkg.provenance());
    }

    @Test
    void importsAnF0ModelWithItsOwnCrepe() {
        Path fixture = TestModels.FIXTURES.resolve("rvc-official-f0-fp32");
        ModelPackage pkg = ModelImporter.importModel(fixture.resolve("decoder.onnx"), fixture.resolve("content.onnx"),
                fixture.resolve("pitch.onnx"), "with-crepe", 0, null, models);
        assertEquals("pitch", pkg.file("pitch").role());
        assertTrue(pkg.fileProblems().stream().allMatch(p -> p == null));
    }

    @Test
    void importsAStreamGraphFromItsMetadata() {
        ModelPackage pkg = ModelImporter.importModel(TestModels.FIXTURES.resolve("stream-tiny/stream.onnx"), null, null, "s", 0, null, models);
        assertEquals("voxmorph-stream", pkg.format());
        assertEquals(160, pkg.hopSamples());
        assertEquals(java.util.List.of("alto", "bass"), pkg.speakers());
    }

    @Test
    void refusesWhatItCannotUseAndLeavesNothingBehind() throws IOException {
        ModelException e = assertThrows(ModelException.class, () -> ModelImporter.importModel(
                TestModels.BARE.resolve("official-nof0.onnx"), null, null, null, 0, null, models));
        assertTrue(e.getMessage().contains("--content-encoder"), e.getMessage());
        e = assertThrows(ModelException.class, () -> ModelImporter.importModel(
                TestModels.FIXTURES.resolve("rvc-wokada-f0-fp16/decoder.onnx"),
                TestModels.FIXTURES.resolve("rvc-official-f0-fp32/content.onnx"), null, null, 0, null, models));
        assertTrue(e.getMessage().contains("768") && e.getMessage().contains("256"), e.getMessage());
        Path pth = models.resolve("voice.pth");
        Files.write(pth, new byte[] {(byte) 0x80, 2});
        e = assertThrows(ModelException.class, () -> ModelImporter.importModel(pth, null, null, null, 0, null, models));
        assertTrue(e.getMessage().contains("pickle"), e.getMessage());
        e = assertThrows(ModelException.class, () -> ModelImporter.importModel(
                TestModels.FIXTURES.resolve("stream-tiny/stream.onnx"), null, null, "../escape", 0, null, models));
        assertTrue(e.getMessage().contains("not a plain name"), e.getMessage());
        try (var left = Files.list(models)) {
            assertFalse(left.anyMatch(Files::isDirectory), "no half-made package");
        }
    }
}
