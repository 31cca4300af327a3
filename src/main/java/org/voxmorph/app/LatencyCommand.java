package org.voxmorph.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.voxmorph.chain.Chain;
import org.voxmorph.engine.Engine;
import org.voxmorph.engine.LatencyProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "latency", mixinStandardHelpOptions = true,
        description = "Measure the chain's real delay with clicks and chirps, next to what it reports.")
public final class LatencyCommand implements Callable<Integer> {
    @Mixin
    VoiceOptions voice;

    @Mixin
    BlockOption block;

    @Option(names = "--rate", defaultValue = "48000", description = "Engine sample rate (default: ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--json", description = "Print one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        int hop = block.framesFor(rate);
        Map<String, Object> r = new LinkedHashMap<>();
        Chain chain = voice.buildChain();
        try (Engine engine = new Engine(chain, rate, hop, Math.max(16 * hop, 16384))) {
            ConvertCommand.requireComplete(chain);
            LatencyProbe.Result m = LatencyProbe.measure(engine);
            r.put("preset", voice.presetName());
            r.put("sampleRate", rate);
            r.put("blockFrames", hop);
            r.put("reportedMs", engine.latencyMillis());
            r.put("measuredMs", m.impulseMs());
            r.put("chirpMs", m.chirpMs());
            r.put("blockBufferingMs", 1000.0 * hop / rate);
        }
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(r));
        } else {
            r.forEach((k, v) -> System.out.printf("%-18s %s%n", k, v));
        }
        return 0;
    }
}
