package org.voxmorph.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxmorph.audio.MonoAudio;
import org.voxmorph.audio.WavReader;
import org.voxmorph.audio.WavWriter;
import org.voxmorph.dsp.WatermarkDetector.Detection;

/** The watermark on real speech: found after the attacks it must survive, never found where it is not. */
class WatermarkTest {
    private static final Path SPEECH = Path.of("../shared/speech");
    private static final int RATE = 48000;
    private static final double STRENGTH_DB = -25;
    private static final double STRENGTH = Math.pow(10, STRENGTH_DB / 20);

    private static float[] vctk48;   // > 10 s of one VCTK speaker at 48 kHz
    private static float[] libri48;  // > 10 s of two LibriSpeech speakers at 48 kHz
    private static float[] marked;   // vctk48 watermarked, no voice id

    @BeforeAll
    static void load() throws Exception {
        vctk48 = Resampler.resample(concatenate(SPEECH.resolve("vctk_p226"), 14), 16000, RATE);
        libri48 = Resampler.resample(concatenate(SPEECH.resolve("libri_trainclean100_cohort"), 14), 16000, RATE);
        marked = embed(vctk48, RATE, -1);
    }

    /** Utterances of a folder, in name order, until there are at least {@code seconds} at 16 kHz. */
    private static float[] concatenate(Path folder, double seconds) throws Exception {
        List<float[]> parts = new ArrayList<>();
        int total = 0;
        for (Path f : wavs(folder)) {
            MonoAudio a = WavReader.read(f);
            assertEquals(16000, a.sampleRate(), f.toString());
            parts.add(a.samples());
            total += a.samples().length;
            if (total >= seconds * 16000) {
                break;
            }
        }
        float[] all = new float[total];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    private static List<Path> wavs(Path folder) throws IOException {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
        }
    }

    private static float[] embed(float[] x, int rate, int voiceId) {
        float[] y = x.clone();
        new WatermarkEmbedder(rate, voiceId).process(y, 0, y.length, STRENGTH);
        return y;
    }

    private static float[] scaledAndClipped(float[] x, double gain) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) Math.max(-1, Math.min(1, x[i] * gain));
        }
        return y;
    }

    private static float[] excerpt(float[] x, int from, double seconds) {
        return Arrays.copyOfRange(x, from, from + (int) (seconds * RATE));
    }

    private static Detection assertPresent(String attack, float[] y, int rate) {
        Detection d = WatermarkDetector.detect(y, rate);
        System.out.printf("watermark after %-28s z = %5.1f  confidence = 1 - %.1e%n", attack + ":", d.z(), d.pValue());
        assertTrue(d.present(), attack + ": watermark not found, z = " + d.z());
        assertEquals(-1, d.voiceId(), attack + ": a voice id was read though none was embedded");
        return d;
    }

    @Test
    void survivesGainResamplingExcerptsAndOpus() throws Exception {
        int odd = RATE + 12347;
        assertPresent("nothing", marked, RATE);
        assertPresent("gain x0.3", scaledAndClipped(marked, 0.3), RATE);
        assertPresent("gain x2, clipped at 1", scaledAndClipped(marked, 2), RATE);
        assertPresent("48k -> 16k -> 48k", Resampler.resample(Resampler.resample(marked, RATE, 16000), 16000, RATE), RATE);
        assertPresent("48k -> 16k", Resampler.resample(marked, RATE, 16000), 16000);
        assertPresent("10 s excerpt at odd offset", excerpt(marked, odd, 10), RATE);
        assertPresent("10 s excerpt, inverted", scaledAndClipped(excerpt(marked, odd, 10), -1), RATE);
        float[] libri = embed(libri48, RATE, -1);
        assertPresent("LibriSpeech 10 s excerpt", excerpt(libri, odd, 10), RATE);
        assertPresent("embedded at 16 kHz", embed(Resampler.resample(libri48, RATE, 16000), 16000, -1), 16000);
        assertPresent("embedded at 44.1 kHz", embed(Resampler.resample(libri48, RATE, 44100), 44100, -1), 44100);
    }

    @Test
    void survivesOpusAt64kbps(@TempDir Path dir) throws Exception {
        float[] piece = excerpt(marked, RATE + 12347, 10);
        assertPresent("Opus 64 kb/s, 10 s excerpt", opus(piece, dir), RATE);
        assertPresent("Opus 64 kb/s, 48k->16k", Resampler.resample(opus(piece, dir), RATE, 16000), 16000);
    }

    private static float[] opus(float[] x, Path dir) throws Exception {
        assumeTrue(onPath("opusenc") && onPath("opusdec"), "opusenc/opusdec not installed (Debian package opus-tools)");
        Path in = dir.resolve("in.wav");
        Path coded = dir.resolve("coded.opus");
        Path out = dir.resolve("out.wav");
        WavWriter.write16(in, x, RATE);
        run("opusenc", "--quiet", "--bitrate", "64", in.toString(), coded.toString());
        run("opusdec", "--quiet", "--rate", String.valueOf(RATE), coded.toString(), out.toString());
        MonoAudio a = WavReader.read(out);
        assertEquals(RATE, a.sampleRate());
        return a.samples();
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), command[0] + " did not finish");
        assertEquals(0, p.exitValue(), command[0] + " failed: " + output);
    }

    @Test
    void neverFoundInUnprocessedSpeech() throws Exception {
        List<Path> files = wavs(SPEECH);
        assertTrue(files.size() >= 60, "expected the whole speech set, found " + files.size() + " files");
        double maxZ = 0;
        double maxConfidence = 0;
        for (Path f : files) {
            MonoAudio a = WavReader.read(f);
            Detection d = WatermarkDetector.detect(a.samples(), a.sampleRate());
            assertFalse(d.present(), f + ": false watermark, z = " + d.z());
            maxZ = Math.max(maxZ, d.z());
            maxConfidence = Math.max(maxConfidence, d.confidence());
        }
        for (float[] x : new float[][] {vctk48, libri48}) {
            Detection d = WatermarkDetector.detect(x, RATE);
            assertFalse(d.present(), "false watermark in concatenated speech, z = " + d.z());
            maxZ = Math.max(maxZ, d.z());
            maxConfidence = Math.max(maxConfidence, d.confidence());
        }
        Detection silence = WatermarkDetector.detect(new float[10 * RATE], RATE);
        assertFalse(silence.present());
        assertEquals(0, silence.z());
        System.out.printf("unmarked speech, %d files: highest z = %.2f, highest confidence = %.4f (present needs z >= %.1f)%n",
                files.size(), maxZ, maxConfidence, zForPresent());
        assertTrue(maxZ < zForPresent() - 1.5, "the null comes too close to the threshold: z = " + maxZ);
    }

    @Test
    void carriesTheVoiceIdOnlyWhenAsked(@TempDir Path dir) throws Exception {
        float[] withId = embed(libri48, RATE, 0xBEEF);
        int odd = RATE + 12347;
        for (float[] attacked : new float[][] {withId, excerpt(withId, odd, 10), scaledAndClipped(excerpt(withId, odd, 10), 0.3)}) {
            Detection d = WatermarkDetector.detect(attacked, RATE);
            System.out.printf("voice id 0xBEEF: read %d, sync z = %.1f, weaker id byte z = %.1f%n", d.voiceId(), d.z(), d.idZ());
            assertTrue(d.present());
            assertEquals(0xBEEF, d.voiceId());
        }
        float[] small = embed(vctk48, RATE, 7);
        assertEquals(7, WatermarkDetector.detect(small, RATE).voiceId());
        Detection opus = WatermarkDetector.detect(opus(excerpt(withId, odd, 10), dir), RATE);
        System.out.printf("voice id after Opus 64 kb/s, 10 s: read %d, weaker id byte z = %.1f%n", opus.voiceId(), opus.idZ());
        assertEquals(0xBEEF, opus.voiceId());

        // Without an id the id carriers are absent, not zero: their best lag looks like the null.
        Detection none = WatermarkDetector.detect(embed(libri48, RATE, -1), RATE);
        System.out.printf("no voice id: weaker id byte z = %.1f (an id is read from z = %.1f)%n", none.idZ(), zForId());
        assertTrue(none.present());
        assertEquals(-1, none.voiceId());
        assertTrue(none.idZ() < 4, "id carriers present without an id: z = " + none.idZ());
    }

    @Test
    void sitsFarBelowTheSpeechInEveryBand() {
        float[] mark = new float[marked.length];
        for (int i = 0; i < mark.length; i++) {
            mark[i] = marked[i] - vctk48[i];
        }
        int frame = 1024;
        Fft fft = new Fft(frame);
        List<Double> bandRatios = new ArrayList<>();
        List<Double> frameSnrs = new ArrayList<>();
        for (int start = 0; start + frame <= mark.length; start += frame) {
            double speechPower = Signals.rms(vctk48, start, start + frame);
            if (speechPower < 0.003) { // -50 dBFS: pauses carry (almost) no watermark anyway
                continue;
            }
            frameSnrs.add(Signals.db(speechPower / Signals.rms(mark, start, start + frame)));
            double[] speech = bandPowers(fft, vctk48, start);
            double[] wm = bandPowers(fft, mark, start);
            for (int b = 0; b < WatermarkCode.BANDS; b++) {
                bandRatios.add(10 * Math.log10(wm[b] / speech[b]));
            }
        }
        double segmentalSnr = frameSnrs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double[] snrs = frameSnrs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double worstSnr = snrs[0];
        double snr1 = snrs[snrs.length / 100];
        double[] ratios = bandRatios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = ratios[ratios.length / 2];
        double p99 = ratios[(int) (ratios.length * 0.99)];
        System.out.printf("watermark at %.0f dB: segmental SNR %.1f dB (1st percentile %.1f dB, worst %.1f dB, 21 ms frames); "
                + "watermark-to-speech per band: median %.1f dB, 99th percentile %.1f dB%n",
                STRENGTH_DB, segmentalSnr, snr1, worstSnr, median, p99);
        assertTrue(segmentalSnr >= 30, "segmental SNR " + segmentalSnr);
        assertTrue(snr1 >= 20, "1st percentile of frame SNR " + snr1);
        assertEquals(STRENGTH_DB, median, 2, "median in-band ratio");
        // The worst 1 %: frames where speech stops and the watermark runs on for a few ms, under forward masking.
        assertTrue(p99 <= STRENGTH_DB + 18, "99th percentile in-band ratio " + p99);
    }

    /** Power in each of the code's bands of one Hann-windowed frame. */
    private static double[] bandPowers(Fft fft, float[] x, int start) {
        int n = fft.length();
        double[] re = new double[n];
        double[] im = new double[n];
        for (int i = 0; i < n; i++) {
            re[i] = x[start + i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / n));
        }
        fft.transform(re, im, false);
        double[] power = new double[WatermarkCode.BANDS];
        for (int b = 0; b < WatermarkCode.BANDS; b++) {
            for (int k = (int) Math.ceil(WatermarkCode.bandEdge(b) * n / RATE); k < WatermarkCode.bandEdge(b + 1) * n / RATE; k++) {
                power[b] += re[k] * re[k] + im[k] * im[k];
            }
        }
        return power;
    }

    @Test
    void silenceAndNearSilenceStayUntouched() {
        float[] quiet = new float[RATE * 2];
        java.util.Random random = new java.util.Random(3);
        for (int i = RATE; i < quiet.length; i++) {
            quiet[i] = (float) (random.nextGaussian() * Math.pow(10, -65 / 20.0)); // 1 s of zeros, 1 s at -65 dBFS RMS
        }
        assertArrayEquals(quiet, embed(quiet, RATE, 0xBEEF), "digital silence or -65 dBFS noise was changed");

        int speechEnd = 3 * RATE;
        float[] speechThenSilence = new float[speechEnd + RATE];
        System.arraycopy(vctk48, 0, speechThenSilence, 0, speechEnd);
        float[] y = embed(speechThenSilence, RATE, -1);
        int firstUntouched = y.length;
        while (firstUntouched > 0 && y[firstUntouched - 1] == 0f) {
            firstUntouched--;
        }
        double tailMs = 1000.0 * (firstUntouched - speechEnd) / RATE;
        System.out.printf("watermark stops %.0f ms after the speech does%n", tailMs);
        assertTrue(tailMs < 300, "watermark went on " + tailMs + " ms into silence");
    }

    /** The z-score at which the detector starts to call a recording marked. */
    private static double zForPresent() {
        return solve(z -> WatermarkDetector.detectionPValue(z) >= WatermarkDetector.FALSE_ALARM);
    }

    /** The z-score from which a voice id is read. */
    private static double zForId() {
        return solve(z -> WatermarkDetector.idPValue(z) >= WatermarkDetector.ID_FALSE_ALARM);
    }

    private static double solve(java.util.function.DoublePredicate below) {
        double z = 0;
        while (below.test(z)) {
            z += 0.01;
        }
        return z;
    }
}
