package org.voxmorph.chain.builtin;

import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.ParameterSet;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorFactory;
import org.voxmorph.chain.StreamSpec;
import org.voxmorph.dsp.SpectralDenoiser;

/** Noise suppression for fans, hum, hiss, room noise and keyboard clicks under the voice (16 ms delay). */
public final class DenoiseProcessor implements Processor {
    private final Parameter reductionDb = Parameter.ofFloat("reductionDb", 0, 40, 20, "dB");
    private final ParameterSet parameters = new ParameterSet(reductionDb);
    private SpectralDenoiser denoiser;

    @Override
    public void prepare(StreamSpec spec) {
        parameters.prepare(spec.sampleRate());
        denoiser = new SpectralDenoiser(spec.sampleRate());
        denoiser.setReductionDb(reductionDb.current());
    }

    @Override
    public void process(AudioBlock block) {
        float[] x = block.samples();
        int n = block.frames();
        int done = 0;
        while (done < n) {
            int chunk = Math.min(n - done, denoiser.samplesToNextHop());
            if (denoiser.samplesToNextHop() == denoiser.hopSamples()) {
                // A hop starts here: the setting for the whole frame is read now, whatever the block size.
                denoiser.setReductionDb(reductionDb.advance(denoiser.hopSamples()));
            }
            denoiser.process(x, done, chunk);
            done += chunk;
        }
    }

    @Override
    public int latencySamples() {
        return denoiser.latencySamples();
    }

    @Override
    public ParameterSet parameters() {
        return parameters;
    }

    @Override
    public void reset() {
        parameters.jumpToTargets();
        denoiser.reset();
        denoiser.setReductionDb(reductionDb.current());
    }

    public static final class Factory implements ProcessorFactory {
        @Override public String id() { return "denoise"; }
        @Override public String description() { return "Noise suppression: fans, hum, hiss, room noise and keyboard clicks under the voice"; }
        @Override public Processor create() { return new DenoiseProcessor(); }
    }
}
