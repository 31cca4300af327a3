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
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.voxmorph.audio.AudioBackend;
import org.voxmorph.audio.AudioDeviceException;
import org.voxmorph.audio.AudioFileException;
import org.voxmorph.audio.AudioStream;
import org.voxmorph.audio.DeviceInfo;
import org.voxmorph.audio.StreamRequest;
import org.voxmorph.chain.Chain;
import org.voxmorph.chain.Parameter;
import org.voxmorph.chain.Preset;
import org.voxmorph.chain.PresetException;
import org.voxmorph.chain.ProcessorRegistry;
import org.voxmorph.chain.Slot;
import org.voxmorph.device.VirtualMicStatus;
import org.voxmorph.device.VirtualMicTarget;
import org.voxmorph.device.VirtualMicrophone;
import org.voxmorph.dsp.PitchTracker;
import org.voxmorph.dsp.PitchTrackers;
import org.voxmorph.engine.ChainSwitch;
import org.voxmorph.engine.ControlException;
import org.voxmorph.engine.CubicRateResampler;
import org.voxmorph.engine.DeviceBridge;
import org.voxmorph.engine.DriftCorrector;
import org.voxmorph.engine.Engine;
import org.voxmorph.engine.LiveControl;
import org.voxmorph.engine.LiveSettings;
import org.voxmorph.engine.LiveStatus;
import org.voxmorph.engine.VoiceControl;
import org.voxmorph.model.ModelProcessor;
import org.voxmorph.model.ModelsFolder;
import org.voxmorph.voice.SpeakerEncoder;
import org.voxmorph.voice.VoiceStore;

/**
 * A live voice session behind {@link LiveControl}: the backend found by ServiceLoader, the engine
 * with a {@link ChainSwitch} as its one processor (so presets change click-free while running),
 * the device bridge with drift correction, the virtual microphone, recording and the status.
 * A monitor thread refreshes the status 25 times a second, feeds the recorder and reopens a
 * device that went away, as live mode does.
 */
public final class LiveSession implements LiveControl {
    private static final int WANTED_RATE = 48000;
    private static final int MAX_DEVICE_FRAMES = 8192;
    private static final long TICK_MILLIS = 40;
    private static final long STALL_NANOS = 2_000_000_000L;
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
    private record Running(AudioBackend backend, StreamRequest request, Engine engine, DeviceBridge bridge,
            ChainSwitch chainSwitch, VirtualMicrophone mic, Monitor monitor) {}

    @Override
    public List<String> backends() {
        List<String> names = new ArrayList<>();
        for (AudioBackend b : ServiceLoader.load(AudioBackend.class)) {
            if (b.unavailableReason() == null) {
                names.add(b.name());
            }
        }
        noDevice = names.isEmpty() ? LiveCommand.noSoundDevice() : null;
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

    private static AudioBackend backend(String name) {
        try {
            return LiveCommand.backend(name);
        } catch (CliError e) {
            throw new ControlException(e.getMessage());
        }
    }

    @Override
    public List<String> presets() {
        return Presets.names();
    }

    @Override
    public List<String> models() {
        try (Stream<Path> dirs = Files.list(ModelsFolder.path())) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("model.json")))
                    .filter(d -> !d.getFileName().toString().equals(SpeakerEncoder.MODEL_ID)) // not a voice
                    .map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException noModelsFolder) {
            return List.of();
        }
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
        VirtualMicrophone mic = null;
        Engine engine = null;
        try {
            String output = wanted.output();
            if (wanted.virtualMic()) {
                mic = VirtualMicCommand.microphone();
                output = virtualMicOutput(mic.ensure(), backend.name());
            }
            String monitor = wanted.hearMyself() ? wanted.monitor() : null;
            int period = period(wanted.blockMs(), WANTED_RATE);
            int rate = backend.sampleRateFor(new StreamRequest(wanted.input(), output, monitor, WANTED_RATE, period));
            period = period(wanted.blockMs(), rate);
            StreamRequest request = new StreamRequest(wanted.input(), output, monitor, rate, period);
            ChainSwitch chainSwitch = new ChainSwitch(buildChain(wanted), rate);
            engine = new Engine(new Chain("live", List.of(chainSwitch), List.of("voice")), rate, period, rate);
            DeviceBridge bridge = new DeviceBridge(engine, MAX_DEVICE_FRAMES, DeviceBridge.LatePolicy.PASSTHROUGH);
            engine.correctDrift(new DriftCorrector(bridge, new CubicRateResampler(period), period,
                    DriftCorrector.defaultTargetSlack(rate)));
            AudioStream stream = backend.open(request, bridge);
            engine.start();
            stream.start();
            Monitor m = new Monitor(stream);
            status = LiveStatus.stopped(null); // until the monitor's first snapshot
            running = new Running(backend, request, engine, bridge, chainSwitch, mic, m);
            closeIdleChain();
            m.start(running);
        } catch (AudioDeviceException e) {
            release(engine, mic);
            throw new ControlException(e.getMessage());
        } catch (RuntimeException e) {
            release(engine, mic);
            throw e;
        }
    }

    private static void release(Engine engine, VirtualMicrophone mic) {
        if (engine != null) {
            engine.close();
        }
        if (mic != null) {
            mic.release();
        }
    }

    private static int period(double blockMs, int rate) {
        return Math.max(16, (int) Math.round(blockMs * rate / 1000));
    }

    /** Java Sound and PortAudio reach a PulseAudio sink as {@code pulse:SINK}. */
    private static String virtualMicOutput(VirtualMicTarget target, String backend) {
        if (target.kind() == VirtualMicTarget.Kind.OUTPUT_DEVICE) {
            return target.outputDevice();
        }
        if (backend.equals("jack")) {
            throw new ControlException("the virtual microphone is a PulseAudio sink; choose the javasound or portaudio backend");
        }
        return "pulse:" + target.outputDevice();
    }

    @Override
    public synchronized void stop() {
        Running r = running;
        if (r == null) {
            return;
        }
        running = null;
        r.monitor.finish();
        r.engine.stop();
        r.engine.close(); // closes the voice chain too
        if (r.mic != null) {
            r.mic.release();
        }
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
        chain.prepare(r.chainSwitch.spec());
        r.chainSwitch.offer(chain);
        long deadline = System.nanoTime() + 2_000_000_000L;
        Chain old;
        while ((old = r.chainSwitch.takeRetired()) == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (old != null) {
            old.close();
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
        return r != null ? r.chainSwitch.current() : idleChain;
    }

    @Override
    public LiveStatus status() {
        if (running != null) {
            return status;
        }
        return LiveStatus.stopped(rebuildProblem != null ? rebuildProblem : noDevice);
    }

    /** The settings' preset with the model, the stages the user's controls need, their values and the watermark. */
    private Chain buildChain(LiveSettings s) {
        Preset p;
        try {
            p = Presets.load(s.preset());
        } catch (PresetException e) {
            throw new ControlException(e.getMessage());
        }
        if (s.voice() != null && p.chain().stream().noneMatch(st -> st.processor().equals("voice"))) {
            // The voice processor reads the profile file named by its "voice" parameter.
            p = p.withStepFirst(new Preset.Step("voice",
                    Map.of("voice", VoiceStore.user().file(s.voice()).toString())));
        }
        if (s.model() != null && p.chain().stream().noneMatch(st -> st.processor().equals("model"))) {
            p = p.withStepFirst(new Preset.Step("model", Map.of()));
        }
        for (Map.Entry<VoiceControl, Double> e : s.controls().entrySet()) {
            VoiceControl c = e.getKey();
            boolean present = p.chain().stream().anyMatch(st -> st.processor().equals(c.processor()));
            if (!present && c.addsStage() && e.getValue() != c.neutral()) {
                p = withStage(p, c);
            }
        }
        p = p.withWatermark(-1);
        Chain chain;
        try {
            chain = p.build(registry);
        } catch (PresetException e) {
            throw new ControlException(e.getMessage());
        }
        Slot model = chain.findSlotWith("model");
        if (model != null && s.model() != null) {
            model.processor().parameters().get("model").setText(s.model());
            model.processor().parameters().get("speaker").set(Math.max(0, Math.min(255, s.speaker())));
        }
        for (Map.Entry<VoiceControl, Double> e : s.controls().entrySet()) {
            Parameter param = e.getKey().find(chain);
            if (param != null) {
                param.set(Math.max(param.min(), Math.min(param.max(), e.getValue())));
            }
        }
        chain.setBypassAll(bypass);
        return chain;
    }

    /** Gate first, pitch after the model, output gain last but before a final limiter. */
    private static Preset withStage(Preset p, VoiceControl c) {
        List<Preset.Step> steps = new ArrayList<>(p.chain());
        Preset.Step step = new Preset.Step(c.processor(), Map.of());
        int at = switch (c) {
            case GATE, STRENGTH -> 0;
            case PITCH, FORMANT -> !steps.isEmpty() && steps.get(0).processor().equals("model") ? 1 : 0;
            case OUTPUT_GAIN -> !steps.isEmpty() && steps.get(steps.size() - 1).processor().equals("limiter")
                    ? steps.size() - 1 : steps.size();
        };
        steps.add(at, step);
        return new Preset(p.name(), p.description(), steps, p.source());
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
        recording = new SessionRecording(folder, withInput, r.engine.sampleRate(), System.nanoTime());
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

    /**
     * Every {@value #TICK_MILLIS} ms: drains the taps (pitch, recording), publishes the status and
     * watches the devices; a device that fails or stalls is closed and reopened while the engine runs on.
     */
    private final class Monitor {
        private final Thread thread = new Thread(this::loop, "voxmorph-session-monitor");
        private volatile boolean finished;
        private AudioStream stream;
        private long xrunsBefore;
        private String deviceProblem;

        Monitor(AudioStream stream) {
            this.stream = stream;
            thread.setDaemon(true);
        }

        private Running r;

        void start(Running session) {
            r = session;
            thread.start();
        }

        void finish() {
            finished = true;
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (stream != null) {
                stream.close();
            }
        }

        private void loop() {
            int rate = r.engine.sampleRate();
            int frame = Math.max(256, rate / 25);
            PitchTracker inTracker = PitchTrackers.yin(rate, frame, 0.15);
            PitchTracker outTracker = PitchTrackers.yin(rate, frame, 0.15);
            float[] inWindow = new float[frame];
            float[] outWindow = new float[frame];
            float[] chunk = new float[r.chainSwitch.inputTap().capacity()];
            long lastBusy = r.engine.busyNanos();
            long lastTime = System.nanoTime();
            long lastMoved = lastTime;
            long lastCaptured = -1;
            long lastRendered = -1;
            long lastDeviceCheck = lastTime;
            while (!finished) {
                try {
                    Thread.sleep(TICK_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                SessionRecording rec = recording;
                int n = r.chainSwitch.inputTap().read(chunk, 0, chunk.length);
                slide(inWindow, chunk, n);
                if (rec != null) {
                    rec.addInput(chunk, n);
                }
                n = r.chainSwitch.outputTap().read(chunk, 0, chunk.length);
                slide(outWindow, chunk, n);
                if (rec != null) {
                    rec.addOutput(chunk, n);
                }
                long now = System.nanoTime();
                if (now - lastDeviceCheck >= 1_000_000_000L) {
                    lastDeviceCheck = now;
                    long captured = r.bridge.capturedFrames();
                    long rendered = r.bridge.renderedFrames();
                    if (captured != lastCaptured && rendered != lastRendered) {
                        lastMoved = now;
                    }
                    lastCaptured = captured;
                    lastRendered = rendered;
                    if (superviseDevices(now - lastMoved > STALL_NANOS)) {
                        lastMoved = now;
                    }
                }
                long busy = r.engine.busyNanos();
                double cpu = 100.0 * (busy - lastBusy) / Math.max(1, now - lastTime);
                lastBusy = busy;
                lastTime = now;
                status = snapshot(inTracker.pitchHz(inWindow), outTracker.pitchHz(outWindow), cpu, rec);
            }
        }

        /** @return whether the devices were reopened */
        private boolean superviseDevices(boolean stalled) {
            if (stream != null) {
                String problem = stream.problem();
                if (problem == null && stalled) {
                    problem = "the sound devices stopped moving";
                }
                if (problem != null) {
                    deviceProblem = problem + "; trying again every second (the voice keeps running)";
                    xrunsBefore += stream.xruns();
                    stream.close();
                    stream = null;
                }
            }
            if (stream == null) {
                try {
                    AudioStream s = r.backend.open(r.request, r.bridge);
                    s.start();
                    stream = s;
                    deviceProblem = null;
                    return true;
                } catch (AudioDeviceException e) {
                    deviceProblem = e.getMessage() + "; trying again every second";
                }
            }
            return false;
        }

        private LiveStatus snapshot(double inPitch, double outPitch, double cpu, SessionRecording rec) {
            Chain voice = r.chainSwitch.current();
            String provider = "";
            String problem = deviceProblem;
            for (Slot s : voice.slots()) {
                if (s.processor() instanceof ModelProcessor m) {
                    provider = m.providerSummary();
                    if (m.runtimeFailure() != null && problem == null) {
                        problem = "the voice model stopped: " + m.runtimeFailure() + " (your own voice passes through)";
                    }
                }
            }
            if (problem == null && !voice.failures().isEmpty()) {
                problem = String.join("; ", voice.failures());
            }
            if (problem == null) {
                problem = rebuildProblem;
            }
            AudioStream s = stream;
            double deviceMs = (s == null ? 0 : s.inputLatencyMs() + s.outputLatencyMs())
                    + 1000.0 * (r.engine.hopFrames() + r.bridge.targetFillFrames()) / r.engine.sampleRate();
            return new LiveStatus(true, r.engine.inputMeter().peakDb(), r.engine.inputMeter().rmsDb(),
                    r.engine.outputMeter().peakDb(), r.engine.outputMeter().rmsDb(), inPitch, outPitch,
                    1000.0 * voice.latencySamples() / r.engine.sampleRate(), deviceMs, cpu, r.bridge.lateBlocks(),
                    xrunsBefore + (s == null ? 0 : s.xruns()), provider, problem, rec == null ? -1 : rec.seconds());
        }

        /** Keeps the latest samples of a signal in a window for the pitch tracker. */
        private static void slide(float[] window, float[] fresh, int n) {
            int keep = Math.max(0, window.length - n);
            System.arraycopy(window, window.length - keep, window, 0, keep);
            System.arraycopy(fresh, Math.max(0, n - window.length), window, keep, Math.min(n, window.length));
        }
    }
}
