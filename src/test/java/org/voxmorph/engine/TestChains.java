package org.voxmorph.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.voxmorph.chain.Chain;
import org.voxmorph.chain.Preset;
import org.voxmorph.chain.PresetLibrary;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorRegistry;

/** Shipped presets and small hand-made chains for engine tests. */
public final class TestChains {
    public static final Path PRESETS = Path.of("presets");

    private TestChains() {}

    public static List<String> shippedPresetNames() throws Exception {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(PRESETS)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().forEach(names::add);
        }
        return names;
    }

    /** A shipped preset as users run it: with the watermark. */
    public static Chain preset(String name) throws Exception {
        Preset p = new PresetLibrary(PRESETS).load(name).withWatermark(-1);
        return p.build(ProcessorRegistry.builtIn());
    }

    public static Chain of(Processor... processors) {
        List<String> ids = new ArrayList<>();
        for (Processor p : processors) {
            ids.add(p.getClass().getSimpleName());
        }
        return new Chain("test", List.of(processors), ids);
    }
}
