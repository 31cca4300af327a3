package org.voxmorph.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ResamplerTest {

    /** Streams the whole input through a fresh resampler in one call. */
    private static float[] stream(float[] in, int from, int to) {
        Resampler r = new Resampler(from, to);
        float[] out = new float[r.maxOutput(in.length)];
        int n = r.process(in, 0, in.length, out, 0);
        return java.util.Arrays.copyOf(out, n);
    }

    @ParameterizedTest
    @CsvSource({"48000,16000", "44100,16000", "48000,22050", "44100,32000", "48000,44100", "32000,16000"})
    void downsamplingAliasesAreAtLeast80DbDown(int from, int to) {
        int frames = from / 4;
        double nyquistOut = to / 2.0;
        float[] pass = stream(Signals.sine(1000, from, frames, 0.5), from, to);
        int skip = to / 50;
        double passAmp = Signals.toneAmplitude(pass, skip, pass.length - skip, 1000, to);
        double worst = Double.MAX_VALUE;
        for (double hz = nyquistOut * 1.005; hz < from / 2.0 * 0.98; hz += (from / 2.0 - nyquistOut) / 23) {
            float[] y = stream(Signals.sine(hz, from, frames, 0.5), from, to);
            double aliasAmp = Signals.rms(y, skip, y.length - skip) * Math.sqrt(2);
            worst = Math.min(worst, Signals.db(passAmp / aliasAmp));
        }
        System.out.printf("resample %d->%d: worst alias %.1f dB below the passband%n", from, to, worst);
        assertTrue(worst >= 80, "alias only " + worst + " dB down");
    }

    @ParameterizedTest
    @CsvSource({"16000,48000", "22050,44100", "16000,44100", "32000,48000", "44100,48000", "16000,22050"})
    void upsamplingImagesAreAtLeast80DbDown(int from, int to) {
        int frames = from / 4;
        int skip = to / 50;
        double worst = Double.MAX_VALUE;
        for (double hz = 100; hz <= 0.9 * from / 2; hz += 0.9 * from / 2 / 13) {
            float[] y = stream(Signals.sine(hz, from, frames, 0.5), from, to);
            double wanted = Signals.toneAmplitude(y, skip, y.length - skip, hz, to);
            double rest = Signals.residualRms(y, skip, y.length - skip, hz, to) * Math.sqrt(2);
            worst = Math.min(worst, Signals.db(wanted / rest));
        }
        System.out.printf("resample %d->%d: worst image %.1f dB below the tone%n", from, to, worst);
        assertTrue(worst >= 80, "image only " + worst + " dB down");
    }

    @ParameterizedTest
    @CsvSource({"48000,16000", "16000,48000", "44100,48000", "22050,32000"})
    void passbandIsFlatTo90PercentOfTheLowerNyquist(int from, int to) {
        double edge = 0.9 * Math.min(from, to) / 2;
        int frames = from / 4;
        int skip = to / 50;
        double min = Double.MAX_VALUE, max = -Double.MAX_VALUE;
        for (double hz = 50; hz <= edge; hz += (edge - 50) / 17) {
            float[] y = stream(Signals.sine(hz, from, frames, 0.5), from, to);
            double gainDb = Signals.db(Signals.toneAmplitude(y, skip, y.length - skip, hz, to) / 0.5);
            min = Math.min(min, gainDb);
            max = Math.max(max, gainDb);
        }
        System.out.printf("resample %d->%d: passband gain %.4f..%.4f dB%n", from, to, min, max);
        assertTrue(min > -0.01 && max < 0.01, "passband gain " + min + ".." + max + " dB");
    }

    @ParameterizedTest
    @CsvSource({"16000,48000", "48000,16000", "44100,48000", "48000,44100", "48000,48000"})
    void outputDoesNotDependOnChunking(int from, int to) {
        Random random = new Random(7);
        float[] in = new float[from / 2];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) (random.nextGaussian() * 0.2);
        }
        float[] whole = stream(in, from, to);
        Resampler r = new Resampler(from, to);
        float[] out = new float[whole.length + 10];
        float[] scratch = new float[r.maxOutput(5000)];
        int n = 0;
        for (int pos = 0; pos < in.length; ) {
            int len = Math.min(in.length - pos, 1 + random.nextInt(random.nextBoolean() ? 8 : 5000));
            int got = r.process(in, pos, len, scratch, 0);
            System.arraycopy(scratch, 0, out, n, got);
            n += got;
            pos += len;
        }
        assertEquals(whole.length, n);
        assertArrayEquals(whole, java.util.Arrays.copyOf(out, n));
    }

    @ParameterizedTest
    @CsvSource({"44100,48000", "16000,48000", "48000,16000", "22050,40000"})
    void declaredDelayIsExact(int from, int to) {
        Resampler r = new Resampler(from, to);
        float[] in = Signals.sine(1000, from, from / 4, 0.5);
        float[] out = new float[r.maxOutput(in.length)];
        int n = r.process(in, 0, in.length, out, 0);
        double step = (double) from / to;
        double worst = 0;
        for (int k = n / 2; k < n; k++) {
            double inputTime = k * step - r.delayInputSamples();
            worst = Math.max(worst, Math.abs(out[k] - 0.5 * Math.sin(2 * Math.PI * 1000 * inputTime / from)));
        }
        assertTrue(worst < 1e-3, "output is not the input delayed by " + r.delayInputSamples() + ": error " + worst);
    }

    @Test
    void wholeArrayConversionIsAlignedAndSizedFromTheRates() {
        float[] in = Signals.sine(1000, 44100, 44100, 0.5);
        float[] out = Resampler.resample(in, 44100, 16000);
        assertEquals(16000, out.length);
        double worst = 0;
        for (int k = 100; k < out.length - 100; k++) {
            worst = Math.max(worst, Math.abs(out[k] - 0.5 * Math.sin(2 * Math.PI * 1000 * k / 16000.0)));
        }
        assertTrue(worst < 1e-3, "misaligned by error " + worst);
        assertEquals(3, Resampler.resample(new float[2], 16000, 22050).length);
    }

    @Test
    void aOneKilohertzSineKeepsItsFrequency() {
        float[] y = stream(Signals.sine(1000, 44100, 2 * 44100, 0.5), 44100, 48000);
        double hz = Signals.frequency(y, 1000, y.length - 1000, 48000);
        System.out.printf("1 kHz at 44.1k -> 48k measures %.6f Hz%n", hz);
        assertEquals(1000.0, hz, 0.001);
    }

    @Test
    void driftCorrectionScalesTheRatioWithoutGlitches() {
        Resampler r = new Resampler(48000, 48000);
        r.setCorrection(1.001);
        float[] in = Signals.sine(1000, 48000, 2 * 48000, 0.5);
        float[] out = new float[r.maxOutput(in.length)];
        int n = r.process(in, 0, in.length, out, 0);
        assertEquals(in.length * 1.001, n, 2.0);
        double hz = Signals.frequency(out, 1000, n - 1000, 48000);
        assertEquals(1000 / 1.001, hz, 0.001);
        // A sine through a moving ratio stays a clean sine: nothing but the tone above -80 dB.
        float[] sweep = new float[n];
        Resampler moving = new Resampler(48000, 48000);
        int m = 0;
        for (int pos = 0; pos < in.length; pos += 480) {
            moving.setCorrection(1 + 0.001 * Math.sin(pos / 48000.0 * 2 * Math.PI));
            m += moving.process(in, pos, 480, sweep, m);
        }
        for (int k = 1; k < m; k++) {
            // The derivative of a 1 kHz sine of amplitude 0.5 at 48 kHz is at most 0.066 per sample.
            assertTrue(Math.abs(sweep[k] - sweep[k - 1]) < 0.0655 * 1.003 + 1e-4, "jump at " + k);
        }
    }

    @ParameterizedTest
    @CsvSource({"16000,48000", "48000,16000", "48000,48000", "44100,48000"})
    void costsLittleTimeOnOneCore(int from, int to) {
        float[] in = Signals.sine(440, from, from, 0.5);
        Resampler r = new Resampler(from, to);
        float[] out = new float[r.maxOutput(480)];
        Runnable second = () -> {
            for (int pos = 0; pos + 480 <= in.length; pos += 480) {
                r.process(in, pos, 480, out, 0);
            }
        };
        double realTimeFactor = Double.MAX_VALUE; // best of a few runs: the first ones warm up the JIT
        for (int attempt = 0; attempt < 4; attempt++) {
            long t0 = System.nanoTime();
            second.run();
            realTimeFactor = Math.min(realTimeFactor, (System.nanoTime() - t0) / 1e9);
        }
        System.out.printf("resample %d->%d (%d taps): %.4f x real time%n", from, to, r.taps(), realTimeFactor);
        assertTrue(realTimeFactor < 0.05, "took " + realTimeFactor + " x real time");
    }

    @Test
    void streamingDoesNotAllocate() {
        Resampler r = new Resampler(44100, 48000);
        float[] in = Signals.sine(440, 44100, 441, 0.5);
        float[] out = new float[r.maxOutput(441)];
        long bytes = Signals.allocatedBytes(() -> {
            for (int i = 0; i < 200; i++) {
                r.process(in, 0, in.length, out, 0);
            }
        });
        assertEquals(0, bytes);
    }
}
