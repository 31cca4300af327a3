package org.voxmorph.chain.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.voxmorph.chain.BlockRunner;
import org.voxmorph.chain.Processor;
import org.voxmorph.chain.ProcessorRegistry;
import org.voxmorph.chain.StreamSpec;
import org.voxmorph.dsp.Measure;
import org.voxmorph.dsp.Speech;

class PitchShiftProcessorTest {
    private static final int MAX_BLOCK = 4096;

    private static Processor create(double semitones, double formant) {
        Processor p = ProcessorRegistry.builtIn().get("pitch-shift").create();
        p.parameters().get("semitones").set(semitones);
        p.parameters().get("formant").set(formant);
        return p;
    }

    /** Runs the whole signal through a freshly prepared processor in blocks of the sizes given. */
    private static float[] run(Processor p, int rate, float[] in, IntSupplier blockSize) {
        p.prepare(new StreamSpec(rate, MAX_BLOCK));
        return BlockRunner.run(p, in, MAX_BLOCK, b -> blockSize.getAsInt());
    }

    /** -13 also runs the widened, aligned blend of large downward shifts. */
    @ParameterizedTest
    @ValueSource(doubles = {-4, -13})
    void outputDoesNotDependOnTheBlockSize(double semitones) throws Exception {
        float[] in = Speech.vctk("p227", "008");
        float[] reference = run(create(semitones, 0.9), 16000, in, () -> 64);
        Random random = new Random(11);
        List<IntSupplier> sizes = List.of(() -> 160, () -> 480, () -> 1024, () -> 1 + random.nextInt(MAX_BLOCK));
        for (IntSupplier size : sizes) {
            float[] out = run(create(semitones, 0.9), 16000, in, size);
            double worst = 0;
            for (int i = 0; i < in.length; i++) {
                worst = Math.max(worst, Math.abs(out[i] - reference[i]));
            }
            assertTrue(worst <= 1e-4, "largest difference from 64-frame blocks: " + worst);
        }
    }

    /**
     * The latency contract: single-sample clicks 150..250 ms apart in silence come out with their
     * largest sample at click + latencySamples(), median within 1 ms, at every supported rate.
     */
    @ParameterizedTest
    @ValueSource(ints = {16000, 22050, 32000, 44100, 48000})
    void clicksComeOutLatencySamplesLater(int rate) {
        for (double[] setting : new double[][] {{-4, 0.85}, {0, 1}, {7, 1.3}}) {
            Processor p = create(setting[0], setting[1]);
            p.prepare(new StreamSpec(rate, MAX_BLOCK));
            int latency = p.latencySamples();
            Random random = new Random(5);
            float[] x = new float[(int) (rate * 7.5)];
            List<Integer> clicks = new ArrayList<>();
            for (int t = rate / 5; clicks.size() < 30; t += (int) ((0.15 + 0.1 * random.nextDouble()) * rate)) {
                x[t] = 0.8f;
                clicks.add(t);
            }
            float[] y = run(p, rate, x, () -> 256);
            double median = Measure.clickOffset(y, clicks.stream().mapToInt(Integer::intValue).toArray(), rate / 10) - latency;
            System.out.printf("%d Hz %s: latency %d samples (%.2f ms), click peak at latency %+.1f samples%n", rate,
                    Arrays.toString(setting), latency, 1000.0 * latency / rate, median);
            assertEquals(0, median, rate / 1000.0, rate + " Hz " + Arrays.toString(setting) + ": click peak off by " + median);
            // 28.4 ms since grains mix the period after them (clean octaves); the DSP voices' budget is 30 ms.
            assertTrue(latency <= 0.0285 * rate, "latency " + latency + " samples is over 28.5 ms at " + rate + " Hz");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {22050, 32000, 44100, 48000})
    void shiftsSpeechAtOtherRates(int rate) throws Exception {
        float[] speech = Speech.vctk("p228", "003");
        float[] in = Speech.resample(Arrays.copyOfRange(speech, 8000, 40000), 16000, rate);
        Processor p = create(5, 1);
        float[] out = run(p, rate, Arrays.copyOf(in, in.length + (int) (0.03 * rate)), () -> 512);
        // Measured at 16 kHz to keep the test quick; the shifter ran at the full rate.
        float[] in16 = Speech.resample(in, rate, 16000);
        float[] out16 = Speech.resample(out, rate, 16000);
        int latency16 = (int) Math.round(p.latencySamples() * 16000.0 / rate);
        double ratio = Measure.median(Measure.pitchRatios(in16, out16, latency16, 16000));
        assertEquals(Math.pow(2, 5 / 12.0), ratio, 0.02 * Math.pow(2, 5 / 12.0), rate + " Hz: pitch ratio " + ratio);
    }

    @Test
    void parametersHaveTheDocumentedRanges() {
        Processor p = create(0, 1);
        assertEquals(-24, p.parameters().get("semitones").min());
        assertEquals(24, p.parameters().get("semitones").max());
        assertEquals(0.5, p.parameters().get("formant").min());
        assertEquals(2.0, p.parameters().get("formant").max());
        p.parameters().get("semitones").set(-2.5); // fractional semitones are allowed
        assertEquals(-2.5, p.parameters().get("semitones").target());
    }
}
