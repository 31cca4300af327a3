package org.voxmorph.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.voxmorph.audio.AudioBackend;
import org.voxmorph.audio.AudioBackends;
import org.voxmorph.audio.AudioDeviceException;
import org.voxmorph.audio.AudioFileException;
import org.voxmorph.audio.DeviceInfo;
import org.voxmorph.audio.StreamRequest;
import org.voxmorph.audio.file.FileBackend;
import org.voxmorph.chain.Chain;
import org.voxmorph.chain.ChainRecipe;
import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.PresetException;
import org.voxmorph.chain.ProcessorRegistry;
import org.voxmorph.chain.Slot;
import org.voxmorph.chain.VoiceControl;
import org.voxmorph.device.VirtualMicStatus;
import org.voxmorph.device.VirtualMicTarget;
import org.voxmorph.device.VirtualMicrophone;
import org.voxmorph.dsp.PitchTracker;
import org.voxmorph.dsp.PitchTrackers;
import org.voxmorph.engine.ControlException;
import org.voxmorph.engine.LiveControl;
import org.voxmorph.engine.LiveRunner;
import org.voxmorph.engine.LiveSettings;
import org.voxmorph.engine.LiveStatus;
import org.voxmorph.model.ModelProcessor;
import org.voxmorph.model.ModelsFolder;
import org.voxmorph.voice.SpeakerEncoder;
import org.voxmorph.voice.VoiceStore;

/**
 * The panel's live voice session behind {@link LiveControl}: the chain from the one recipe, run by
 * the one {@link LiveRunner} live mode uses (devices, rate, engine, drift, chain swaps, reopening),
 * plus what only the panel wants: the virtual microphone, recording, and a monitor thread that
 * tracks the pitch of both taps and publishes the status 25 times a second.
 */
public final class LiveSession implements LiveControl {
    private static final int WANTED_RATE = 48000;
    private static final long TICK_MILLIS = 40;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ProcessorRegistry registry = ProcessorRegistry.withPlugins(Home.plugins());
    /** Chain swaps asked for by a control whose stage the chain lacks: one at a time, off the caller's thread. */
    private final ExecutorService rebuilds = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "voxmorph-chain-builder");
        t.setDaemon(true);
        return t;
    });

    private volatile LiveSettings settings = LiveSettings.defaults();
    /** The monitor thread's latest snapshot while running. */
    private volatile LiveStatus status = LiveStatus.stopped(null);
    /** Why no backend works here, once {@link #backends} found none. */
    private volatile String noDevice;
    private volatile boolean bypass;
    private volatile Chain idleChain;
    private volatile Running running;
    private volatile SessionRecording recording;
    /** Why the last chain rebuild a control asked for failed, shown until a voice loads again. */
    private volatile String rebuildProblem;

    public LiveSession() throws IOException {
    }

    /** What exists only while running. */
    private record Running(LiveRunner runner, VirtualMicrophone mic, Monitor monitor) {}

    @Override
    public List<String> backends() {
        List<String> names = AudioBackends.usable();
        noDevice = names.isEmpty() ? AudioBackends.noSoundDevice() : null;
        return names;
    }

    @Override
    public DeviceList devices(String backend) {
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        try {
            for (DeviceInfo d : backend(backend).devices()) {
                if (d.isInput()) {
                    in.add(d.name());
                }
                if (d.isOutput()) {
                    out.add(d.name());
                }
            }
        } catch (AudioDeviceException e) {
            throw new ControlException(e.getMessage());
        }
        return new DeviceList(in, out);
    }

    @Override
    public String noSoundDevice() {
        return AudioBackends.noSoundDevice();
    }

    private static AudioBackend backend(String name) {
        if (DEMO_BACKEND.equals(name)) {
            return new FileBackend(SpeechClips.bundled(), true);
        }
        try {
            return AudioBackends.pick(name);
        } catch (AudioDeviceException e) {
            throw new ControlException(e.getMessage());
        }
    }

    @Override
    public List<String> presets() {
        return Presets.names();
    }

    @Override
    public List<String> models() {
        return ModelsFolder.all().stream().filter(d -> Files.isRegularFile(d.resolve("model.json")))
                .map(d -> d.getFileName().toString())
                .filter(id -> !id.equals(SpeakerEncoder.MODEL_ID)) // not a voice
                .sorted().toList();
    }

    @Override
    public List<String> voiceProfiles() {
        return VoiceStore.user().names();
    }

    @Override
    public String virtualMicStatus() {
        try {
            VirtualMicStatus s = VirtualMicCommand.microphone().status();
            return s.ready() ? "ready: " + s.microphone() : "not created" + (s.hint() == null ? "" : " (" + s.hint() + ")");
        } catch (AudioDeviceException e) {
            return "not available: " + e.getMessage();
        }
    }

    @Override
    public String createVirtualMic() {
        try {
            VirtualMicTarget t = VirtualMicCommand.microphone().create();
            return (t.created() ? "created " : "already there: ") + t.microphoneName();
        } catch (AudioDeviceException e) {
            throw new ControlException(e.getMessage());
        }
    }

    @Override
    public synchronized void start(LiveSettings wanted) {
        if (running != null) {
            throw new ControlException("already running");
        }
        if (wanted.blockMs() < 1 || wanted.blockMs() > 100) {
            throw new ControlException("block size " + wanted.blockMs() + " ms is outside 1..100 ms");
        }
        settings = wanted;
        AudioBackend backend = backend(wanted.backend());
        Chain chain = buildChain(wanted);
        VirtualMicrophone mic = null;
        try {
            String output = wanted.output();
            if (wanted.virtualMic()) {
                mic = VirtualMicCommand.microphone();
                VirtualMicTarget target = mic.ensure();
                output = target.outputFor(backend.name());
            }
            String monitor = wanted.hearMyself() ? wanted.monitor() : null;
            StreamRequest request = new StreamRequest(wanted.input(), output, monitor, WANTED_RATE,
                    LiveRunner.periodFor(wanted.blockMs(), WANTED_RATE));
            LiveRunner runner = LiveRunner.start(backend, request, chain, LiveCommand.repairing(mic), event -> {});
            status = LiveStatus.stopped(null); // until the monitor's first snapshot
            running = new Running(runner, mic, new Monitor(runner));
            closeIdleChain();
            running.monitor.start();
        } catch (AudioDeviceException e) {
            chain.close();
            release(mic);
            throw new ControlException(e.getMessage());
        } catch (RuntimeException e) {
            chain.close();
            release(mic);
            throw e;
        }
    }

    private static void release(VirtualMicrophone mic) {
        if (mic != null) {
            mic.release();
        }
    }

    @Override
    public synchronized void stop() {
        Running r = running;
        if (r == null) {
            return;
        }
        running = null;
        r.monitor.finish();
        r.runner.close(); // closes the voice chain too
        release(r.mic);
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }

    @Override
    public void setBypass(boolean on) {
        bypass = on;
        Chain c = chain();
        if (c != null) {
            c.setBypassAll(on);
        }
    }

    @Override
    public synchronized void loadVoice(LiveSettings wanted) {
        settings = wanted;
        Chain chain = buildChain(wanted);
        rebuildProblem = null;
        Running r = running;
        if (r == null) {
            closeIdleChain();
            idleChain = chain;
            return;
        }
        try {
            r.runner.switchTo(chain);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeIdleChain() {
        Chain c = idleChain;
        idleChain = null;
        if (c != null) {
            c.close();
        }
    }

    @Override
    public void setControl(VoiceControl control, double value) {
        LiveSettings wanted = settings.withControl(control, value);
        settings = wanted;
        Chain c = chain();
        Parameter p = c == null ? null : control.find(c);
        if (p != null) {
            p.set(Math.max(p.min(), Math.min(p.max(), value)));
        } else if (c != null && control.addsStage() && value != control.neutral()) {
            rebuilds.execute(() -> {
                try {
                    if (settings == wanted || settings.controls().equals(wanted.controls())) {
                        loadVoice(settings);
                    }
                } catch (ControlException e) {
                    rebuildProblem = e.getMessage();
                }
            });
        }
    }

    @Override
    public Chain chain() {
        Running r = running;
        return r != null ? r.runner.chain() : idleChain;
    }

    @Override
    public LiveStatus status() {
        if (running != null) {
            return status;
        }
        return LiveStatus.stopped(rebuildProblem != null ? rebuildProblem : noDevice);
    }

    /** The chain for the settings, by the recipe the command line uses too, bypassed if Bypass is on. */
    private Chain buildChain(LiveSettings s) {
        ChainRecipe recipe;
        try {
            recipe = new ChainRecipe(Presets.load(s.preset())).model(s.model(), s.model() == null ? null : s.speaker(), false)
                    .controls(s.controls()).watermark(true, -1);
        } catch (PresetException e) {
            throw new ControlException(e.getMessage());
        }
        if (s.voice() != null) {
            recipe.voice(VoiceStore.user().file(s.voice()).toString());
        }
        Chain chain;
        try {
            chain = recipe.build(registry);
        } catch (PresetException e) {
            throw new ControlException(e.getMessage());
        }
        chain.setBypassAll(bypass);
        return chain;
    }

    @Override
    public synchronized void startRecording(Path folder, boolean withInput) {
        Running r = running;
        if (r == null) {
            throw new ControlException("start the voice first, then record");
        }
        if (!Files.isDirectory(folder)) {
            throw new ControlException(folder + ": cannot record there: no such folder");
        }
        recording = new SessionRecording(folder, withInput, r.runner.sampleRate(), System.nanoTime());
    }

    @Override
    public synchronized List<Path> stopRecording() {
        SessionRecording rec = recording;
        recording = null;
        if (rec == null) {
            return List.of();
        }
        synchronized (rec) {
            try {
                return rec.write();
            } catch (AudioFileException e) {
                throw new ControlException(e.getMessage());
            }
        }
    }

    @Override
    public Path saveAsPreset(String name) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9 _-]*")) {
            throw new ControlException("a preset name is letters, digits, spaces, '_' and '-', not '" + name + "'");
        }
        Chain c = chain();
        if (c == null) {
            c = buildChain(settings);
            idleChain = c;
        }
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Slot s : c.slots()) {
            if (s.id().equals("watermark")) {
                continue; // added to every converted output anyway
            }
            Map<String, Object> params = new LinkedHashMap<>();
            for (Parameter p : s.processor().parameters().all()) {
                params.put(p.name(), switch (p.kind()) {
                    case TEXT -> p.text();
                    case CHOICE -> p.choices().get((int) p.target());
                    case BOOL -> p.target() >= 0.5;
                    case INT -> (long) p.target();
                    case FLOAT -> p.target();
                });
            }
            steps.add(Map.of("processor", s.id(), "params", params));
        }
        Map<String, Object> preset = new LinkedHashMap<>();
        preset.put("name", name);
        preset.put("description", "Saved from the control panel");
        preset.put("chain", steps);
        Path file = UserFolders.presets().resolve(name + ".json");
        try {
            Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), preset);
        } catch (IOException e) {
            throw new ControlException(file + ": cannot save the preset (" + e.getMessage() + ")");
        }
        return file;
    }

    @Override
    public void close() {
        stop();
        closeIdleChain();
        rebuilds.shutdownNow();
    }

    /** Every {@value #TICK_MILLIS} ms: drains the taps (pitch, recording) and publishes the status. */
    private final class Monitor {
        private final Thread thread = new Thread(this::loop, "voxmorph-session-monitor");
        private final LiveRunner runner;
        private volatile boolean finished;

        Monitor(LiveRunner runner) {
            this.runner = runner;
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void finish() {
            finished = true;
            thread.interrupt();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void loop() {
            int rate = runner.sampleRate();
            int frame = Math.max(256, rate / 25);
            PitchTracker inTracker = PitchTrackers.yin(rate, frame, 0.15);
            PitchTracker outTracker = PitchTrackers.yin(rate, frame, 0.15);
            float[] inWindow = new float[frame];
            float[] outWindow = new float[frame];
            float[] chunk = new float[runner.inputTap().capacity()];
            while (!finished) {
                try {
                    Thread.sleep(TICK_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                SessionRecording rec = recording;
                int n = runner.inputTap().read(chunk, 0, chunk.length);
                slide(inWindow, chunk, n);
                if (rec != null) {
                    rec.addInput(chunk, n);
                }
                n = runner.outputTap().read(chunk, 0, chunk.length);
                slide(outWindow, chunk, n);
                if (rec != null) {
                    rec.addOutput(chunk, n);
                }
                status = snapshot(inTracker.pitchHz(inWindow), outTracker.pitchHz(outWindow), rec);
            }
        }

        private LiveStatus snapshot(double inPitch, double outPitch, SessionRecording rec) {
            LiveRunner.Status st = runner.status();
            Chain voice = runner.chain();
            String provider = "";
            String problem = st.problem();
            for (Slot s : voice.slots()) {
                if (s.processor() instanceof ModelProcessor m) {
                    provider = m.providerSummary();
                }
            }
            if (problem == null && !voice.failures().isEmpty()) {
                problem = String.join("; ", voice.failures());
            }
            if (problem == null) {
                problem = rebuildProblem;
            }
            return new LiveStatus(true, st.inputPeakDb(), st.inputRmsDb(), st.outputPeakDb(), st.outputRmsDb(),
                    inPitch, outPitch, st.algorithmicLatencyMs(), st.deviceLatencyMs(), st.cpuPercent(), st.lateBlocks(),
                    st.xruns(), provider, problem, rec == null ? -1 : rec.seconds());
        }

        /** Keeps the latest samples of a signal in a window for the pitch tracker. */
        private static void slide(float[] window, float[] fresh, int n) {
            int keep = Math.max(0, window.length - n);
            System.arraycopy(window, window.length - keep, window, 0, keep);
            System.arraycopy(fresh, Math.max(0, n - window.length), window, keep, Math.min(n, window.length));
        }
    }
}
