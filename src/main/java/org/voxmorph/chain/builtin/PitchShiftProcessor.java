package org.voxmorph.chain.builtin;

import org.voxmorph.chain.AudioBlock;
import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.ParameterSet;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorFactory;
import org.voxmorph.chain.StreamSpec;
import org.voxmorph.dsp.PsolaPitchShifter;

/**
 * Pitch shift in semitones with the formants kept where they are (no chipmunk), and a separate
 * formant ratio that makes the voice sound larger or smaller at the same pitch.
 */
public final class PitchShiftProcessor implements Processor {
    private final Parameter semitones = Parameter.ofFloat("semitones", -24, 24, 0, "st");
    private final Parameter formant = Parameter.ofFloat("formant", 0.5, 2.0, 1.0, "x");
    private final ParameterSet parameters = new ParameterSet(semitones, formant);
    private PsolaPitchShifter shifter;

    @Override
    public void prepare(StreamSpec spec) {
        parameters.prepare(spec.sampleRate());
        shifter = new PsolaPitchShifter(spec.sampleRate());
        applyParameters(0);
    }

    @Override
    public void process(AudioBlock block) {
        float[] x = block.samples();
        int n = block.frames();
        int done = 0;
        while (done < n) {
            int chunk = Math.min(n - done, shifter.samplesToNextHop());
            if (shifter.samplesToNextHop() == shifter.hopSamples()) {
                // A hop starts here: the settings for the whole hop are read now, whatever the block size.
                applyParameters(shifter.hopSamples());
            }
            shifter.process(x, done, chunk);
            done += chunk;
        }
    }

    private void applyParameters(int advance) {
        double st = advance == 0 ? semitones.current() : semitones.advance(advance);
        double f = advance == 0 ? formant.current() : formant.advance(advance);
        shifter.setShift(Math.pow(2, st / 12.0), f);
    }

    @Override
    public int latencySamples() {
        return shifter.latencySamples();
    }

    @Override
    public ParameterSet parameters() {
        return parameters;
    }

    @Override
    public void reset() {
        parameters.jumpToTargets();
        shifter.reset();
        applyParameters(0);
    }

    public static final class Factory implements ProcessorFactory {
        @Override public String id() { return "pitch-shift"; }
        @Override public String description() { return "Pitch shift in semitones that keeps the formants, plus a formant ratio"; }
        @Override public Processor create() { return new PitchShiftProcessor(); }
    }
}
