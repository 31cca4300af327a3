package org.voxmorph.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.voxmorph.audio.AudioDeviceException;
import org.voxmorph.audio.MonoAudio;
import org.voxmorph.audio.StreamRequest;
import org.voxmorph.audio.WavWriter;
import org.voxmorph.audio.file.FileBackend;
import org.voxmorph.chain.Chain;
import org.voxmorph.engine.LiveRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the live engine at real-time pace over the bundled clip into a WAV file "
        + "(what plain `voxmorph` does when there is no sound device).")
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    VoiceOptions voice = new VoiceOptions();

    @Mixin
    BlockOption block = new BlockOption();

    @Option(names = "--out", paramLabel = "OUT.wav", defaultValue = "voxmorph-demo-out.wav",
            description = "Where the converted clip goes (default: ${DEFAULT-VALUE})")
    Path out = Path.of("voxmorph-demo-out.wav");

    @Override
    public Integer call() throws Exception {
        voice.defaultPreset = "deep";
        MonoAudio clip = SpeechClips.bundled();
        int rate = clip.sampleRate();
        Chain chain = voice.buildChain();
        ConvertCommand.reportFailures(chain);
        System.err.printf("voxmorph: no sound device in use: converting the bundled %.1f s clip in real time "
                + "with preset '%s' into %s%n", clip.seconds(), voice.presetName(), out);
        // The live path itself, with the clip as the microphone and a recorder as the speaker.
        FileBackend device = new FileBackend(clip, false);
        StreamRequest request = new StreamRequest(null, null, null, rate, block.framesFor(rate));
        try (LiveRunner runner = LiveRunner.start(device, request, chain, LiveRunner.Repair.NONE,
                event -> System.err.println("voxmorph: " + event))) {
            long nextLine = System.nanoTime() + 1_000_000_000L;
            while (!device.finished()) {
                Thread.sleep(20);
                if (System.nanoTime() >= nextLine) {
                    nextLine += 1_000_000_000L;
                    System.err.println(StatusLine.format(runner.status(), false));
                }
            }
        } catch (AudioDeviceException e) {
            throw new CliError(e.getMessage());
        }
        WavWriter.write16(out, device.recorded(), rate);
        return 0;
    }
}
