package org.voxmorph.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.voxmorph.audio.MonoAudio;
import org.voxmorph.chain.Chain;
import org.voxmorph.chain.Slot;
import org.voxmorph.engine.Engine;
import org.voxmorph.model.InferenceStats;
import org.voxmorph.model.ModelProcessor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run the engine over real speech as fast as it goes and report its speed.")
public final class BenchCommand implements Callable<Integer> {
    private static final double WARMUP_SECONDS = 3;

    @Mixin
    VoiceOptions voice;

    @Mixin
    BlockOption block;

    @Option(names = "--seconds", defaultValue = "30", description = "Seconds of audio to process (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--rate", defaultValue = "48000", description = "Engine sample rate (default: ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--json", description = "Print one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (seconds <= 0 || seconds > 3600) {
            throw new CliError("--seconds " + seconds + " is outside 0..3600");
        }
        int hop = block.framesFor(rate);
        MonoAudio speech = SpeechClips.speech(WARMUP_SECONDS + seconds, rate);
        Map<String, Object> r = new LinkedHashMap<>();
        Chain chain = voice.buildChain();
        try (Engine engine = new Engine(chain, rate, hop, 4 * hop)) {
            ConvertCommand.requireComplete(chain);
            float[] x = speech.samples();
            float[] buf = new float[hop];
            int warmupHops = (int) (WARMUP_SECONDS * rate / hop);
            int hops = (int) (seconds * rate / hop);
            for (int i = 0; i < warmupHops; i++) {
                runHop(engine, x, i * hop, buf);
            }
            long slowBefore = engine.slowBlocks();
            long busyBefore = engine.busyNanos();
            resetPeaks();
            long[] nanos = new long[hops];
            for (int i = 0; i < hops; i++) {
                runHop(engine, x, (warmupHops + i) * hop, buf);
                nanos[i] = engine.lastBlockNanos();
            }
            double audioSeconds = (double) hops * hop / rate;
            Arrays.sort(nanos);
            if (voice.model == null || voice.preset != null) {
                r.put("preset", voice.presetName()); // a model alone is reported as the model, below
            }
            r.put("blockFrames", hop);
            r.put("sampleRate", rate);
            r.put("seconds", audioSeconds);
            r.put("realtimeFactor", (engine.busyNanos() - busyBefore) / 1e9 / audioSeconds);
            r.put("algorithmicLatencyMs", engine.latencyMillis());
            r.put("blocks", hops);
            r.put("lateBlocks", engine.slowBlocks() - slowBefore);
            r.put("failedBlocks", engine.failedBlocks());
            r.put("blockMsMedian", nanos[hops / 2] / 1e6);
            r.put("blockMsP99", nanos[Math.min(hops - 1, (int) (hops * 0.99))] / 1e6);
            r.put("peakHeapMb", peakHeapMb());
            Slot model = chain.findSlotWith("model");
            if (model != null) {
                ModelProcessor mp = (ModelProcessor) model.processor();
                InferenceStats stats = mp.stats();
                r.put("model", mp.loadedPackage().id());
                r.put("provider", mp.providerSummary());
                r.put("inferenceMsPerBlock", Map.of("median", stats.medianMillis(), "p99", stats.p99Millis()));
                r.put("modelRealtimeFactor", stats.realtimeFactor());
            }
            r.put("speech", Home.sharedSpeech() != null ? "../shared/speech (VCTK)" : "bundled clip");
        }
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(r));
        } else {
            r.forEach((k, v) -> System.out.printf("%-22s %s%n", k, v));
        }
        return 0;
    }

    private static void runHop(Engine engine, float[] x, int offset, float[] buf) {
        engine.input().write(x, offset, buf.length);
        engine.processOneHop();
        engine.output().read(buf, 0, buf.length);
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static double peakHeapMb() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return Math.round(sum / 1e5) / 10.0;
    }
}
