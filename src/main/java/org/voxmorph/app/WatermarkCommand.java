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

    @Command(name = "detect", mixinStandardHelpOptions = true, description = "Say whether FILE carries the Voxmorph watermark, the detector's score "
            + "against its threshold, and the voice id if one was embedded. Ten seconds of speech are enough. "
            + "Exit code: 0 present, 1 not found, 2 the file cannot be read (like grep).")
    static final class Detect implements Callable<Integer> {
        @Parameters(paramLabel = "FILE.wav", description = "The recording to check")
        Path file;

        @Option(names = "--json", description = "Print one JSON object")
        boolean json;

        @Override
        public Integer call() throws Exception {
            MonoAudio audio;
            long damaged;
            try (WavReader r = WavReader.open(file)) {
                audio = r.readAll();
                damaged = r.damagedSamples();
            }
            if (damaged > 0) {
                System.err.println("voxmorph: warning: " + file + ": " + damaged
                        + " NaN or infinite samples (damaged float data) were read as silence or full scale");
            }
            Detection d = WatermarkDetector.detect(audio.samples(), audio.sampleRate());
            double threshold = WatermarkDetector.zThreshold();
            if (json) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("file", file.toString());
                r.put("present", d.present());
                r.put("z", d.z());
                r.put("zThreshold", threshold);
                r.put("pValue", d.pValue());
                r.put("voiceId", d.voiceId() < 0 ? null : d.voiceId());
                r.put("seconds", d.seconds());
                System.out.println(new ObjectMapper().writeValueAsString(r));
            } else {
                System.out.printf(Locale.ROOT, "%s: Voxmorph watermark %s%n", file, d.present() ? "PRESENT" : "not found");
                // The score is the mark's correlation peak in standard deviations of the recording's own
                // noise; what it means is how it compares with the threshold, not a percentage.
                System.out.printf(Locale.ROOT, "score: z = %.1f against a threshold of %.1f (unmarked audio passes it with a "
                        + "chance below %.0e); %.1f s examined%n", d.z(), threshold, WatermarkDetector.FALSE_ALARM, d.seconds());
                if (d.present()) {
                    System.out.println("voice id: " + (d.voiceId() < 0 ? "none embedded" : String.valueOf(d.voiceId())));
                }
            }
            return d.present() ? 0 : 1;
        }
    }
}
