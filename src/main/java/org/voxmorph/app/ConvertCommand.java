package org.voxmorph.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.voxmorph.audio.AudioFileException;
import org.voxmorph.audio.MonoAudio;
import org.voxmorph.audio.WavReader;
import org.voxmorph.audio.WavWriter;
import org.voxmorph.chain.Chain;
import org.voxmorph.dsp.Resampler;
import org.voxmorph.engine.Engine;
import org.voxmorph.engine.OfflineRenderer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a WAV file through a preset, with the same engine live mode uses.")
public final class ConvertCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN.wav")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT.wav")
    Path output;

    @Mixin
    VoiceOptions voice;

    @Mixin
    BlockOption block;

    @Option(names = "--out-rate", paramLabel = "HZ", description = "Output sample rate (default: the input's)")
    Integer outRate;

    @Override
    public Integer call() throws AudioFileException {
        if (outRate != null && (outRate < WavReader.MIN_RATE || outRate > WavReader.MAX_RATE)) {
            throw new CliError("--out-rate " + outRate + " is outside " + WavReader.MIN_RATE + ".." + WavReader.MAX_RATE + " Hz");
        }
        MonoAudio in = WavReader.read(input);
        int hop = block.framesFor(in.sampleRate());
        ProgressBar bar = in.seconds() >= ProgressBar.MIN_SECONDS ? new ProgressBar("converting", in.sampleRate()) : null;
        float[] out;
        Chain chain = voice.buildChain();
        try (Engine engine = new Engine(chain, in.sampleRate(), hop, Math.max(16 * hop, 16384))) {
            requireComplete(chain);
            out = OfflineRenderer.render(engine, in.samples(), bar);
        }
        if (bar != null) {
            bar.finish();
        }
        int rate = in.sampleRate();
        if (outRate != null && outRate != rate) {
            out = Resampler.resample(out, rate, outRate);
            rate = outRate;
        }
        WavWriter.write16(output, out, rate);
        return 0;
    }

    /** Offline work must not quietly produce an unconverted file: a part that failed to load is an error. */
    static void requireComplete(Chain chain) {
        if (!chain.failures().isEmpty()) {
            throw new CliError(chain.failures().get(0).replace(" (passing audio through instead)", ""));
        }
    }

    /** Live work carries on in passthrough and says so. */
    static void reportFailures(Chain chain) {
        for (String f : chain.failures()) {
            System.err.println("voxmorph: " + f);
        }
    }
}
