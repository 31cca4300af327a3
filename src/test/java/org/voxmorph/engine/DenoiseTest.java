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

    /**
     * Keyboard clicks pass any stationary-noise tracker; the click suppressor takes them down. The
     * overall segmental SNR is held to "not worse by more than 1 dB": most frames hold no click and
     * sit at the measure's 35 dB ceiling, where taking out even VCTK's own room tone (which the
     * reference keeps) can only lose. The frames the clicks reach show what happens to the noise.
     */
    @Test
    void keyboardClicksComeDownAndTheSpeechBetweenThemStays() throws Exception {
        for (String speaker : new String[] {"p226", "p228"}) {
            float[] clean = TestSignals.speechAt("vctk_" + speaker + "/" + speaker + "_003.wav", RATE);
            for (double snr : new double[] {0, 10}) {
                NoisySpeech.Row r = NoisySpeech.measure(clean, "keyboard", snr, RATE, 5);
                System.out.printf("denoise %s keyboard %.0f dB: segSNR %.1f -> %.1f (frames the clicks reach %.1f -> %.1f), "
                        + "envelope %.3f -> %.3f, clicks alone %.1f dB%n", speaker, snr, r.segSnrIn(), r.segSnrOut(),
                        r.reachedIn(), r.reachedOut(), r.envIn(), r.envOut(), r.noiseDropDb());
                assertTrue(r.noiseDropDb() < -10, speaker + ": clicks alone only " + r.noiseDropDb() + " dB down");
                assertTrue(r.reachedOut() > r.reachedIn() + 3, speaker + " " + snr + " dB: where the clicks are "
                        + r.reachedIn() + " -> " + r.reachedOut());
                assertTrue(r.envOut() > r.envIn() + 0.05, speaker + " " + snr + " dB: envelope " + r.envIn() + " -> " + r.envOut());
                assertTrue(r.improvement() > -1, speaker + " " + snr + " dB: segSNR " + r.improvement());
            }
        }
    }

    /** Babble is speech: little to take out, so the suppressor must at least not make it worse. */
    @Test
    void babbleIsNotMadeWorse() throws Exception {
        for (String speaker : new String[] {"p226", "p228"}) {
            float[] clean = TestSignals.speechAt("vctk_" + speaker + "/" + speaker + "_003.wav", RATE);
            for (double snr : new double[] {0, 10}) {
                NoisySpeech.Row r = NoisySpeech.measure(clean, "babble", snr, RATE, 5);
                System.out.printf("denoise %s babble %.0f dB: segSNR %.1f -> %.1f, envelope %.3f -> %.3f, pause flatness %.3f -> %.3f%n",
                        speaker, snr, r.segSnrIn(), r.segSnrOut(), r.envIn(), r.envOut(), r.flatIn(), r.flatOut());
                assertTrue(r.improvement() > 0.2, speaker + " babble " + snr + " dB: segSNR " + r.improvement());
                assertTrue(r.envOut() > r.envIn() - 0.005, speaker + " babble: envelope " + r.envIn() + " -> " + r.envOut());
            }
        }
    }

    /** The click suppressor leaves speech alone: next to no block of clean speech is taken for a click. */
    @Test
    void cleanSpeechHasNoClicks() throws Exception {
        int blocks = 0;
        int taken = 0;
        for (String speaker : new String[] {"p225", "p226", "p227", "p228"}) {
            for (String u : new String[] {"003", "008"}) {
                float[] x = TestSignals.speechAt("vctk_" + speaker + "/" + speaker + "_" + u + ".wav", 48000);
                org.voxmorph.dsp.ClickSuppressor c = new org.voxmorph.dsp.ClickSuppressor(48000, 384);
                float[] hop = new float[384];
                for (int h = 1; (h + 1) * 384 <= x.length; h++) {
                    c.analyse(x, h * 384);
                    System.arraycopy(x, (h - 1) * 384, hop, 0, 384);
                    c.apply(hop, 0, 0.1);
                    blocks += 8;
                }
                taken += c.suppressedBlocks();
            }
        }
        System.out.printf("click suppressor on clean speech: %d of %d blocks%n", taken, blocks);
        assertTrue(taken < 0.005 * blocks, taken + " of " + blocks + " blocks of clean speech taken for clicks");
    }

    @Test
    void cleanSpeechComesThroughAtItsLevel() throws Exception {
        for (String speaker : new String[] {"p225", "p226", "p227", "p228"}) {
            float[] x = TestSignals.speechAt("vctk_" + speaker + "/" + speaker + "_008.wav", RATE);
            float[] y = NoisySpeech.denoise(x, RATE, 20);
            int delay = new org.voxmorph.dsp.SpectralDenoiser(RATE).latencySamples();
            boolean[] active = NoisySpeech.active(x, RATE);
            double level = 20 * Math.log10(NoisySpeech.activeRms(y, active, RATE, delay) / NoisySpeech.activeRms(x, active, RATE, 0));
            double env = IntelligibilityTest.envelopeCorrelation(x, java.util.Arrays.copyOfRange(y, delay, y.length), RATE);
            System.out.printf("denoise clean %s: level %+.2f dB, envelope correlation %.3f%n", speaker, level, env);
            assertEquals(0, level, 0.1, speaker + " level");
            assertTrue(env > 0.99, speaker + " envelope " + env);
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
