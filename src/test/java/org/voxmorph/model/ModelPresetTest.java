package org.voxmorph.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.voxmorph.chain.Chain;
import org.voxmorph.chain.Preset;
import org.voxmorph.chain.ProcessorRegistry;
import org.voxmorph.chain.StreamSpec;

class ModelPresetTest {

    @Test
    void aPresetUsesAModelThroughTheRegisteredProcessor() throws Exception {
        TestModels.useFixtures();
        assertTrue(ProcessorRegistry.builtIn().has("model"), "listed in META-INF/services");
        Preset preset = new Preset("voice", "", List.of(new Preset.Step("model",
                Map.of("model", "rvc-wokada-nof0-fp32", "speaker", 1.0, "blockMs", 200.0, "lookaheadMs", 50.0))), "test");
        try (Chain chain = preset.build(ProcessorRegistry.builtIn())) {
            chain.prepare(new StreamSpec(48000, 256));
            assertEquals(List.of(), chain.failures());
            assertEquals((20 + 5) * 480, chain.latencySamples());
            ModelProcessor p = (ModelProcessor) chain.slots().get(0).processor();
            assertEquals("rvc-wokada-nof0-fp32", p.loadedPackage().id());
            assertTrue(p.providerSummary().contains("decoder.onnx on CPU"), p.providerSummary());
        }
    }
}
