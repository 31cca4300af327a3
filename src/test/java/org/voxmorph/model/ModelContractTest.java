package org.voxmorph.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.node.IntNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelContractTest {

    private static ModelContract detect(Path file) throws Exception {
        try (OrtSession s = OnnxSessions.open(file, Files.readAllBytes(file), 1, false).session()) {
            return ModelContract.detect(s, file);
        }
    }

    @Test
    void recognisesEachExporter() throws Exception {
        Path m = TestModels.FIXTURES;
        assertEquals(new ModelContract("voxmorph-stream", "voxmorph", false, false, 0, 16000, 160, List.of("alto", "bass"),
                Map.of("latencySamples", IntNode.valueOf(0))),
                detect(m.resolve("stream-tiny/stream.onnx")));
        assertEquals(new ModelContract("rvc", "w-okada", true, true, 256, 40000, 400, List.of(), Map.of()),
                detect(m.resolve("rvc-wokada-f0-fp16/decoder.onnx")));
        assertEquals(new ModelContract("rvc", "w-okada", false, false, 768, 32000, 320, List.of(), Map.of()),
                detect(m.resolve("rvc-wokada-nof0-fp32/decoder.onnx")));
        assertEquals(new ModelContract("rvc", "rvc-official", true, false, 768, 0, 0, List.of(), Map.of()),
                detect(m.resolve("rvc-official-f0-fp32/decoder.onnx")));
        assertEquals(new ModelContract("rvc", "rvc-official", false, false, 256, 0, 0, List.of(), Map.of()),
                detect(TestModels.BARE.resolve("official-nof0.onnx")));
    }

    @Test
    void anUnknownGraphIsNamedWithItsInputs() {
        Path f = TestModels.BARE.resolve("wrong-contract.onnx");
        ModelException e = assertThrows(ModelException.class, () -> detect(f));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("[x]"), e.getMessage());
    }

    @Test
    void gpuRequestFallsBackToCpuWithOneLine() throws Exception {
        Path f = TestModels.FIXTURES.resolve("stream-tiny/stream.onnx");
        OnnxSessions.Opened o = OnnxSessions.open(f, Files.readAllBytes(f), 1, true);
        o.session().close();
        if (o.note() != null) { // the CPU-only runtime (default build): CUDA cannot load
            assertEquals("CPU", o.provider());
            assertTrue(o.note().startsWith("GPU requested but") && o.note().contains("on CPU") && !o.note().contains("\n"), o.note());
        }
    }
}
