package org.voxmorph.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.voxmorph.audio.AudioFileException;
import org.voxmorph.audio.WavReader;
import org.voxmorph.audio.WavWriter;
import org.voxmorph.chain.StagedProcessor;
import org.voxmorph.chain.Slot;
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

    /**
     * Streams: reads a block, converts it, writes it, so any length converts in bounded memory.
     * The output goes to a temporary file renamed into place at the end; on any error it is
     * deleted, so the output is complete or absent.
     */
    @Override
    public Integer call() throws AudioFileException {
        if (outRate != null && (outRate < WavReader.MIN_RATE || outRate > WavReader.MAX_RATE)) {
            throw new CliError("--out-rate " + outRate + " is outside " + WavReader.MIN_RATE + ".." + WavReader.MAX_RATE + " Hz");
        }
        try (WavReader in = WavReader.open(input)) {
            int rate = in.sampleRate();
            int hop = block.framesFor(rate);
            int toRate = outRate == null ? rate : outRate;
            ProgressBar bar = in.seconds() >= ProgressBar.MIN_SECONDS ? new ProgressBar("converting", rate) : null;
            try (Engine engine = new Engine(voice.buildChain(), rate, hop, Math.max(16 * hop, 16384));
                    WavWriter out = WavWriter.open16(output, toRate)) {
                requireComplete(engine.chain());
                Resampled sink = new Resampled(out, rate, toRate, in.frames());
                OfflineRenderer.stream(engine, in::read, in.frames(), (x, off, n) -> {
                    requireWorking(engine);
                    sink.write(x, off, n);
                }, bar);
                requireWorking(engine);
                sink.finish();
                out.commit();
            }
            if (bar != null) {
                bar.finish();
            }
            if (in.damagedSamples() > 0) {
                System.err.println("voxmorph: warning: " + input + ": " + in.damagedSamples()
                        + " damaged samples (NaN, infinite or beyond ±" + (int) WavReader.MAX_FLOAT_SAMPLE
                        + ") were converted as silence or full scale");
            }
        }
        return 0;
    }

    /** A model that throws or makes NaN part-way must not leave a file of silence behind: exit 2. */
    private static void requireWorking(Engine engine) {
        if (engine.failedBlocks() > 0) {
            throw new CliError(engine.chain().failures().get(0).replace(Slot.FALLBACK_NOTE, "")
                    + "; no output written");
        }
    }

    /** The engine's output on its way to the file, through a rate converter when --out-rate asks. */
    private static final class Resampled {
        private final WavWriter out;
        private final Resampler resampler;
        private final long length;
        private float[] buf = new float[0];
        private long written;

        Resampled(WavWriter out, int from, int to, long frames) {
            this.out = out;
            this.resampler = from == to ? null : Resampler.aligned(from, to);
            this.length = (frames * to + from - 1) / from;
        }

        void write(float[] x, int off, int n) throws AudioFileException {
            if (resampler == null) {
                out.write(x, off, n);
                return;
            }
            if (buf.length < resampler.maxOutput(n)) {
                buf = new float[resampler.maxOutput(n)];
            }
            emit(resampler.process(x, off, n, buf, 0));
        }

        /** The last outputs need half a filter of input beyond the end: feed silence. */
        void finish() throws AudioFileException {
            if (resampler != null) {
                write(new float[resampler.taps()], 0, resampler.taps());
            }
        }

        private void emit(int n) throws AudioFileException {
            int keep = (int) Math.min(n, length - written);
            if (keep > 0) {
                out.write(buf, 0, keep);
                written += keep;
            }
        }
    }

    /** Offline work must not quietly produce an unconverted file: a part that failed to load is an error. */
    static void requireComplete(StagedProcessor chain) {
        if (!chain.failures().isEmpty()) {
            throw new CliError(chain.failures().get(0).replace(Slot.FALLBACK_NOTE, ""));
        }
    }

    /** Live work carries on (a failed stage plays the fill, never the dry voice) and says so. */
    static void reportFailures(StagedProcessor chain) {
        for (String f : chain.failures()) {
            System.err.println("voxmorph: " + f);
        }
    }
}
