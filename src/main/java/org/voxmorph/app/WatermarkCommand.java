package org.voxmorph.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.voxmorph.audio.MonoAudio;
import org.voxmorph.audio.WavReader;
import org.voxmorph.dsp.WatermarkDetector;
import org.voxmorph.dsp.WatermarkDetector.Detection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "watermark", mixinStandardHelpOptions = true, description = "Check audio for the inaudible \"converted by Voxmorph\" watermark.",
        subcommands = WatermarkCommand.Detect.class)
public final class WatermarkCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "say what to do: watermark detect FILE.wav");
    }

    @Command(name = "detect", mixinStandardHelpOptions = true, description = "Say whether FILE carries the Voxmorph watermark, how sure that is, "
            + "and the voice id if one was embedded. Ten seconds of speech are enough.")
    static final class Detect implements Callable<Integer> {
        @Parameters(paramLabel = "FILE.wav", description = "The recording to check")
        Path file;

        @Option(names = "--json", description = "Print one JSON object")
        boolean json;

        @Override
        public Integer call() throws Exception {
            MonoAudio audio = WavReader.read(file);
            Detection d = WatermarkDetector.detect(audio.samples(), audio.sampleRate());
            if (json) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("file", file.toString());
                r.put("present", d.present());
                r.put("confidence", d.confidence());
                r.put("pValue", d.pValue());
                r.put("z", d.z());
                r.put("voiceId", d.voiceId() < 0 ? null : d.voiceId());
                r.put("seconds", d.seconds());
                System.out.println(new ObjectMapper().writeValueAsString(r));
                return 0;
            }
            System.out.printf(Locale.ROOT, "%s: Voxmorph watermark %s%n", file, d.present() ? "PRESENT" : "not found");
            System.out.printf(Locale.ROOT, "confidence: %s (z = %.1f over %.1f s; present from p < %.0e)%n",
                    confidence(d.pValue()), d.z(), d.seconds(), WatermarkDetector.FALSE_ALARM);
            if (d.present()) {
                System.out.println("voice id:   " + (d.voiceId() < 0 ? "none embedded" : String.valueOf(d.voiceId())));
            }
            return 0;
        }

        /** 1 - p, written so that a tiny p stays readable. */
        private static String confidence(double p) {
            if (p == 0) {
                return "1 - p, p < 1e-300";
            }
            return p < 1e-4 ? String.format(Locale.ROOT, "1 - %.1e", p) : String.format(Locale.ROOT, "%.4f", 1 - p);
        }
    }
}
