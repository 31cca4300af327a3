package org.voxmorph.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.voxmorph.audio.FileDevice;
import org.voxmorph.audio.MonoAudio;
import org.voxmorph.audio.WavWriter;
import org.voxmorph.engine.DeviceBridge;
import org.voxmorph.engine.Engine;
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
        int hop = block.framesFor(rate);
        System.err.printf("voxmorph: no sound device in use: converting the bundled %.1f s clip in real time "
                + "with preset '%s' into %s%n", clip.seconds(), voice.presetName(), out);
        try (Engine engine = new Engine(voice.buildChain(), rate, hop, rate)) {
            ConvertCommand.reportFailures(engine.chain());
            DeviceBridge bridge = new DeviceBridge(engine, 4096, DeviceBridge.LatePolicy.PASSTHROUGH);
            FileDevice device = new FileDevice(bridge, clip.samples(), rate, hop);
            Thread deviceThread = new Thread(device::run, "voxmorph-file-device");
            engine.start();
            deviceThread.start();
            StatusLine status = new StatusLine(engine, bridge, 0);
            while (deviceThread.isAlive()) {
                deviceThread.join(1000);
                System.err.println(status.next());
            }
            engine.stop();
            WavWriter.write16(out, device.recorded(), rate);
        }
        return 0;
    }
}
