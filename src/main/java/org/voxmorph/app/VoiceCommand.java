package org.voxmorph.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.voxmorph.audio.AudioFileException;
import org.voxmorph.audio.MonoAudio;
import org.voxmorph.audio.WavReader;
import org.voxmorph.dsp.Resampler;
import org.voxmorph.model.ModelException;
import org.voxmorph.voice.ConsentRecord;
import org.voxmorph.voice.Enrollment;
import org.voxmorph.voice.SpeakerEncoder;
import org.voxmorph.voice.VoiceException;
import org.voxmorph.voice.VoiceProfile;
import org.voxmorph.voice.VoiceStore;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "voice", mixinStandardHelpOptions = true,
        description = "Target voices enrolled from a short recording, with the speaker's consent (use: convert/live --voice NAME).",
        subcommands = {VoiceCommand.Enroll.class, VoiceCommand.ListVoices.class, VoiceCommand.Show.class, VoiceCommand.Delete.class,
                VoiceCommand.Embed.class})
public final class VoiceCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new CliError("voice needs a subcommand: enroll, list, show, delete or embed (see: voxmorph voice --help)");
    }

    /** Where the profiles are: --voices-dir, else the user's data folder. */
    public static final class VoicesDir {
        @Option(names = "--voices-dir", paramLabel = "DIR",
                description = "Folder of voice profiles (default: $XDG_DATA_HOME/voxmorph/voices or ~/.local/share/voxmorph/voices)")
        Path dir;

        VoiceStore store() {
            return dir != null ? new VoiceStore(dir) : VoiceStore.user();
        }
    }

    static final class Consent {
        @Option(names = "--consent-audio", paramLabel = "CONSENT.wav", required = true,
                description = "A recording of the speaker agreeing to this use of their voice (its sha256 is kept)")
        Path audio;

        @Option(names = "--consent-text", paramLabel = "STATEMENT", required = true,
                description = "The speaker's typed consent, e.g. \"I, Jane Doe, consent to Alex using my voice in Voxmorph\"")
        String text;
    }

    @Command(name = "enroll", mixinStandardHelpOptions = true,
            description = "Analyse 10-60 s of the target's speech (one or more clips) into a voice profile.")
    static final class Enroll implements Callable<Integer> {
        @Parameters(paramLabel = "REF.wav", arity = "1..*", description = "Clean recordings of the target speaking")
        List<Path> clips;

        @Option(names = "--name", paramLabel = "NAME", required = true, description = "Name for the voice (letters, digits, - and _)")
        String name;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Consent consent;

        @Mixin
        VoicesDir voicesDir;

        @Override
        public Integer call() throws AudioFileException {
            try {
                VoiceStore store = voicesDir.store();
                VoiceStore.checkName(name);
                if (store.exists(name)) {
                    throw new VoiceException("a voice named '" + name + "' exists already (voxmorph voice delete " + name + " first)");
                }
                ConsentRecord record = consent.audio != null
                        ? Enrollment.consentFromAudio(consent.audio) : ConsentRecord.ofText(consent.text);
                VoiceProfile profile = Enrollment.enroll(name, clips, record);
                store.saveMatchingSet(name, Enrollment.matchingSet(clips, profile));
                store.save(profile);
                double total = profile.sources().stream().mapToDouble(VoiceProfile.Source::seconds).sum();
                System.out.printf("enrolled %s: %.1f s of speech (%.1f s voiced), median pitch %.0f Hz -> %s%n", name, total,
                        profile.pitch().voicedSeconds(), Math.exp(profile.pitch().logF0Median()), store.file(name));
                return 0;
            } catch (VoiceException e) {
                throw new CliError(e.getMessage());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the enrolled voices.")
    static final class ListVoices implements Callable<Integer> {
        @Mixin
        VoicesDir voicesDir;

        @Override
        public Integer call() {
            try {
                VoiceStore store = voicesDir.store();
                List<String> names = store.names();
                if (names.isEmpty()) {
                    System.out.println("no voices in " + store.folder() + " (add one: voxmorph voice enroll --help)");
                }
                for (String n : names) {
                    VoiceProfile p = store.load(n);
                    System.out.printf("%-20s median pitch %4.0f Hz, enrolled %s%n", n, Math.exp(p.pitch().logF0Median()), p.created());
                }
                return 0;
            } catch (VoiceException e) {
                throw new CliError(e.getMessage());
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a voice profile's figures, sources and consent.")
    static final class Show implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Mixin
        VoicesDir voicesDir;

        @Override
        public Integer call() {
            try {
                VoiceStore store = voicesDir.store();
                VoiceProfile p = store.load(name);
                System.out.println("voice      " + p.name() + " (" + store.file(name) + ")");
                System.out.println("enrolled   " + p.created());
                System.out.printf("pitch      median %.0f Hz, spread %.1f semitones, %.1f s voiced%n",
                        Math.exp(p.pitch().logF0Median()), 12 / Math.log(2) * p.pitch().logF0Spread(), p.pitch().voicedSeconds());
                System.out.printf("formants   F1 %.0f Hz, F2 %.0f Hz, F3 %.0f Hz (log-means)%n", Math.exp(p.formants().logF1Mean()),
                        Math.exp(p.formants().logF2Mean()), Math.exp(p.formants().logF3Mean()));
                double norm = Math.sqrt(java.util.Arrays.stream(p.embedding().values()).map(v -> v * v).sum());
                System.out.printf("embedding  %s, %d values, norm %.3f%n", p.embedding().kind(), p.embedding().values().length, norm);
                for (VoiceProfile.Source s : p.sources()) {
                    System.out.printf("source     %s (%.1f s) sha256 %s%n", s.file(), s.seconds(), s.sha256());
                }
                ConsentRecord c = p.consent();
                System.out.println("consent    " + c.date() + ", " + (c.kind().equals("audio")
                        ? "recorded clip, sha256 " + c.sha256() : "typed: \"" + c.statement() + "\""));
                return 0;
            } catch (VoiceException e) {
                throw new CliError(e.getMessage());
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Erase a voice: its profile and everything derived from it.")
    static final class Delete implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Mixin
        VoicesDir voicesDir;

        @Override
        public Integer call() {
            try {
                int files = voicesDir.store().delete(name);
                System.out.println("deleted voice " + name + " (" + files + " file" + (files == 1 ? "" : "s") + ")");
                return 0;
            } catch (VoiceException e) {
                throw new CliError(e.getMessage());
            }
        }
    }

    @Command(name = "embed", mixinStandardHelpOptions = true,
            description = "Speaker embeddings of WAV files (Voxmorph's speaker encoder) and the time each took on one thread.")
    static final class Embed implements Callable<Integer> {
        @Parameters(paramLabel = "CLIP.wav", arity = "1..*", description = "Speech, any WAV the program reads")
        List<Path> clips;

        @Option(names = "--json", description = "One JSON list: file, seconds, ms, embedding")
        boolean json;

        @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
                description = "Time N runs per file after one warm-up run and report the median (default 1)")
        int repeat;

        @Override
        public Integer call() throws Exception {
            if (repeat < 1 || repeat > 1000) {
                throw new CliError("--repeat must be 1..1000, not " + repeat);
            }
            SpeakerEncoder encoder;
            try {
                encoder = SpeakerEncoder.shared();
            } catch (ModelException e) {
                throw new CliError(e.getMessage());
            }
            List<Map<String, Object>> out = new ArrayList<>();
            for (Path clip : clips) {
                MonoAudio a = WavReader.read(clip);
                float[] x = a.sampleRate() == SpeakerEncoder.RATE ? a.samples()
                        : Resampler.resample(a.samples(), a.sampleRate(), SpeakerEncoder.RATE);
                float[] e = encoder.embed(x);
                double[] ms = new double[repeat];
                for (int i = 0; i < repeat; i++) {
                    long t0 = System.nanoTime();
                    e = encoder.embed(x);
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                }
                Arrays.sort(ms);
                double seconds = x.length / (double) SpeakerEncoder.RATE;
                double median = ms[repeat / 2];
                if (json) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("file", clip.toString());
                    r.put("seconds", seconds);
                    r.put("ms", median);
                    r.put("embedding", e);
                    out.add(r);
                } else {
                    System.out.printf("%s: %.1f s, %d values, %.1f ms (median of %d, max %.1f) = %.5f x real time%n",
                            clip, seconds, e.length, median, repeat, ms[repeat - 1], median / 1000 / seconds);
                }
            }
            if (json) {
                System.out.println(new ObjectMapper().writeValueAsString(Map.of("kind", encoder.kind(), "files", out)));
            }
            return 0;
        }
    }
}
