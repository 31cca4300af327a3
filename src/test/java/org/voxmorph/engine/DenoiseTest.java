package org.voxmorph.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.voxmorph.chain.BlockRunner;
import org.voxmorph.chain.builtin.DenoiseProcessor;
import org.voxmorph.chain.StreamSpec;
import org.voxmorph.dsp.Signals;

/**
 * The denoise processor on VCTK speech mixed with noises we make ({@link NoisySpeech}): the
 * segmental SNR goes up and the speech envelope (the STOI-like measure of
 * {@link IntelligibilityTest}) does not go down where the noise is stationary; clean speech comes
 * through at its level with its envelope; the residual noise in pauses stays as flat as the noise
 * was (no musical tones); blocks of any size give the same output; nothing is allocated per block.
 */
class DenoiseTest {
    private static final int RATE = 16000;

    @Test
    void stationaryNoiseGoesDownAndTheSpeechEnvelopeStays() throws Exception {
        for (String speaker : new String[] {"p226", "p228"}) {
            float[] clean = TestSignals.speechAt("vctk_" + speaker + "/" + speaker + "_003.wav", RATE);
            for (String kind : new String[] {"fan", "hum"}) {
                for (double snr : new double[] {0, 10}) {
                    NoisySpeech.Row r = NoisySpeech.measure(clean, kind, snr, RATE, 5);
                    System.out.printf("denoise %s %s %.0f dB: segSNR %.1f -> %.1f, envelope %.3f -> %.3f, "
                            + "pause flatness %.3f -> %.3f, noise alone %.1f dB%n", speaker, kind, snr, r.segSnrIn(),
                            r.segSnrOut(), r.envIn(), r.envOut(), r.flatIn(), r.flatOut(), r.noiseDropDb());
                    assertTrue(r.improvement() > 2.5, speaker + " " + kind + " " + snr + " dB: segSNR +" + r.improvement());
                    assertTrue(r.envOut() > r.envIn() - 0.035, speaker + " " + kind + ": envelope " + r.envIn() + " -> " + r.envOut());
                    assertTrue(r.noiseDropDb() < -14, kind + " alone only " + r.noiseDropDb() + " dB down");
                    // Musical noise would show as isolated peaks: a much less flat residual.
                    assertTrue(r.flatOut() > 0.5 * r.flatIn(), kind + ": residual flatness " + r.flatIn() + " -> " + r.flatOut());
                }
            }
        }
    }

    @Test
    void cleanSpeechComesThroughAtItsLevel() throws Exception {
        for (String speaker : new String[] {"p225", "p227"}) {
            float[] x = TestSignals.speechAt("vctk_" + speaker + "/" + speaker + "_008.wav", RATE);
            float[] y = NoisySpeech.denoise(x, RATE, 20);
            int delay = new org.voxmorph.dsp.SpectralDenoiser(RATE).latencySamples();
            boolean[] active = NoisySpeech.active(x, RATE);
            double level = 20 * Math.log10(NoisySpeech.activeRms(y, active, RATE, delay) / NoisySpeech.activeRms(x, active, RATE, 0));
            double env = IntelligibilityTest.envelopeCorrelation(x, java.util.Arrays.copyOfRange(y, delay, y.length), RATE);
            System.out.printf("denoise clean %s: level %+.2f dB, envelope correlation %.3f%n", speaker, level, env);
            assertEquals(0, level, 0.5, speaker + " level");
            assertTrue(env > 0.95, speaker + " envelope " + env);
        }
    }

    @Test
    void blockSizeDoesNotMatterAndNothingIsAllocated() throws Exception {
        float[] speech = java.util.Arrays.copyOf(TestSignals.speechAt("vctk_p225/p225_003.wav", 48000), 48000 * 3);
        float[] x = NoisySpeech.mix(speech, NoisySpeech.noise("fan", 48000, speech.length, 1), 5, 48000);
        float[][] outs = new float[3][];
        int[] sizes = {64, 480, 4096};
        for (int s = 0; s < sizes.length; s++) {
            DenoiseProcessor p = new DenoiseProcessor();
            p.prepare(new StreamSpec(48000, 4096));
            int size = sizes[s];
            outs[s] = BlockRunner.run(p, x, 4096, b -> size == 64 ? 64 + (b % 3) * 7 : size);
            assertEquals(768, p.latencySamples(), "16 ms at 48 kHz");
        }
        assertTrue(TestSignals.maxAbsDiff(outs[0], outs[1], 0, x.length) < 1e-6);
        assertTrue(TestSignals.maxAbsDiff(outs[0], outs[2], 0, x.length) < 1e-6);
        DenoiseProcessor p = new DenoiseProcessor();
        p.prepare(new StreamSpec(48000, 480));
        org.voxmorph.chain.AudioBlock block = new org.voxmorph.chain.AudioBlock(480);
        block.setFrames(480);
        for (int i = 0; i < 200; i++) {
            p.process(block);
        }
        long bytes = Signals.allocatedBytes(() -> {
            for (int i = 0; i < 1000; i++) {
                System.arraycopy(x, (i % 200) * 480, block.samples(), 0, 480);
                p.process(block);
            }
        });
        assertTrue(bytes < 1000, bytes + " bytes allocated over 1000 blocks");
    }
}
