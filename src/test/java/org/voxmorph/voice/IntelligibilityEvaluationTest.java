package org.voxmorph.voice;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voxmorph.audio.WavWriter;
import org.voxmorph.dsp.IdentityConverter;
import org.voxmorph.dsp.MatchingSet;
import org.voxmorph.dsp.Speech;

/**
 * Word error rate of an open recogniser (CMU PocketSphinx 0.8, Debian's {@code pocketsphinx} and
 * {@code pocketsphinx-en-us}) on all nine shared sentences (the enrolled ones too: the words, not the voice, are measured) of each source, read through one
 * converter, before and after conversion, for the four pairs of {@link ConversionQualityTest}.
 * The recogniser is weak on clean VCTK speech already, so what counts is the change. A test
 * tool, not part of the product: it runs only with {@code -Dvoxmorph.eval=true} and pocketsphinx
 * installed (about three minutes).
 */
class IntelligibilityEvaluationTest {
    private static final String RECOGNISER = "/usr/bin/pocketsphinx_continuous";

    @TempDir
    Path dir;

    @Test
    void convertedSpeechStaysAboutAsRecognisableAsTheSource() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("voxmorph.eval"), "evaluation tool: run with -Dvoxmorph.eval=true");
        Assumptions.assumeTrue(Files.isExecutable(Path.of(RECOGNISER)), "needs pocketsphinx and pocketsphinx-en-us");
        List<String> sentences = new java.util.ArrayList<>(ConversionQualityTest.ENROLL);
        sentences.addAll(ConversionQualityTest.METER);
        sentences.add(ConversionQualityTest.SENTENCE);
        System.out.println("pair       words  WER source  WER converted  WER target's own");
        List<String> worse = new java.util.ArrayList<>();
        for (String[] pair : ConversionQualityTest.PAIRS) {
            String src = pair[0];
            ConverterSession session = new ConverterSession(ConversionQualityTest.matchingSet(pair[1]));
            int words = 0;
            double errorsBefore = 0;
            double errorsAfter = 0;
            double errorsTarget = 0;
            // One converter for the whole reading, as in a call: sentence after sentence.
            for (String sentence : sentences) {
                List<String> truth = words(transcript(src, sentence));
                float[] source = Speech.vctk(src, sentence);
                words += truth.size();
                errorsBefore += wer(truth, recognise(source)) * truth.size();
                errorsAfter += wer(truth, recognise(session.convert(source))) * truth.size();
                errorsTarget += wer(truth, recognise(Speech.vctk(pair[1], sentence))) * truth.size();
            }
            double before = errorsBefore / words;
            double after = errorsAfter / words;
            double target = errorsTarget / words;
            System.out.printf("%s>%s  %5d  %5.1f%%       %5.1f%%         %5.1f%%%n", src, pair[1], words, 100 * before,
                    100 * after, 100 * target);
            // This recogniser is itself far better on some voices than others, so the converted speech
            // is held to the better of the two real speakers, with a margin for what resynthesis costs.
            if (after > Math.max(before, target) + 0.10) {
                worse.add(src + ">" + pair[1]);
            }
        }
        assertTrue(worse.isEmpty(), "converted speech is clearly harder to recognise for " + worse);
    }

    /** A converter kept across utterances, each returned aligned with its input. */
    private static final class ConverterSession {
        private final IdentityConverter converter;

        ConverterSession(MatchingSet target) {
            converter = new IdentityConverter(16000, target, org.voxmorph.model.ContentModel.shared());
        }

        float[] convert(float[] in) {
            int latency = converter.latencySamples();
            float[] x = Arrays.copyOf(in, in.length + latency);
            converter.process(x, 0, x.length);
            return Arrays.copyOfRange(x, latency, x.length);
        }
    }

    private String recognise(float[] x) throws Exception {
        Path wav = Files.createTempFile(dir, "utterance", ".wav");
        WavWriter.write16(wav, x, 16000);
        Process p = new ProcessBuilder(RECOGNISER, "-infile", wav.toString(), "-logfn", "/dev/null")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return text;
    }

    private static String transcript(String speaker, String utterance) throws Exception {
        Path tsv = Speech.ROOT.resolve("vctk_" + speaker).resolve("transcripts.tsv");
        return Files.readAllLines(tsv).stream().filter(l -> l.startsWith(speaker + "_" + utterance + "\t"))
                .findFirst().orElseThrow().split("\t")[1];
    }

    static List<String> words(String text) {
        return Arrays.stream(text.toLowerCase(Locale.ROOT).replaceAll("[^a-z' ]", " ").trim().split("\\s+"))
                .filter(w -> !w.isEmpty()).toList();
    }

    /** Levenshtein distance over words, divided by the reference length. */
    static double wer(List<String> truth, String hypothesis) {
        List<String> h = words(hypothesis);
        int[][] d = new int[truth.size() + 1][h.size() + 1];
        for (int i = 0; i <= truth.size(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= h.size(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= truth.size(); i++) {
            for (int j = 1; j <= h.size(); j++) {
                int substitute = d[i - 1][j - 1] + (truth.get(i - 1).equals(h.get(j - 1)) ? 0 : 1);
                d[i][j] = Math.min(substitute, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
            }
        }
        return d[truth.size()][h.size()] / (double) truth.size();
    }
}
