package org.voxmorph.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.voxmorph.chain.Chain;
import org.voxmorph.chain.Parameter;
import org.voxmorph.engine.LiveControl;
import org.voxmorph.engine.LiveSettings;
import org.voxmorph.engine.LiveStatus;
import org.voxmorph.chain.VoiceControl;

/**
 * The control panel: a thin view over {@link LiveControl}. Anything that may take time (opening
 * devices, loading a model, switching presets) runs on one background worker with the spinner
 * showing; the UI thread only reads the status snapshot, {@value #REFRESH_PER_SECOND} times a second.
 */
public final class ControlPanel {
    static final int REFRESH_PER_SECOND = 25;
    static final String VIRTUAL_MIC = "Voxmorph virtual microphone";
    static final String DEFAULT_DEVICE = "System default";
    static final String NO_MONITOR = "None";
    static final String NO_MODEL = "No model";
    static final String NO_PROFILE = "None (the preset's voice)";

    private final LiveControl control;
    private final PanelSettings store;
    private final Path recordings;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "voxmorph-panel-worker");
        t.setDaemon(true);
        return t;
    });
    private LiveSettings settings;
    private boolean showingChain;
    private String lastError;
    /** Why no sound device works here, while none does: said in full, with the demo offered. */
    private String noDevice;
    /** The last thing done worth saying (a preset saved, a recording written), shown when nothing is wrong. */
    private String info = "";

    private final BorderPane root = new BorderPane();
    private final Button startStop = new Button("Start");
    private final Button demo = new Button("Run the demo");
    private final ToggleButton bypass = new ToggleButton("Bypass (B)");
    private final ToggleButton record = new ToggleButton("Record");
    private final CheckBox recordInput = new CheckBox("also my own voice");
    private final Label recordTime = new Label("");
    private final ComboBox<String> backend = new ComboBox<>();
    private final ComboBox<String> input = new ComboBox<>();
    private final ComboBox<String> output = new ComboBox<>();
    private final ComboBox<String> monitor = new ComboBox<>();
    private final CheckBox hearMyself = new CheckBox("Hear myself");
    private final ComboBox<Integer> blockMs = new ComboBox<>();
    private final Label micStatus = new Label("");
    private final Button createMic = new Button("Create");
    private final ComboBox<String> preset = new ComboBox<>();
    private final ComboBox<String> model = new ComboBox<>();
    private final Spinner<Integer> speaker = new Spinner<>(0, 255, 0);
    private final ComboBox<String> profile = new ComboBox<>();
    private final List<ControlSlider> sliders = new ArrayList<>();
    private final LevelMeterView inputMeter = new LevelMeterView();
    private final LevelMeterView outputMeter = new LevelMeterView();
    private final Label inputLevel = new Label();
    private final Label outputLevel = new Label();
    private final PitchTrace trace = new PitchTrace(560, 90, 150);
    private final Label statusLine = new Label("Stopped");
    private final Label problem = new Label();
    private final ProgressIndicator busy = new ProgressIndicator();
    private final Label busyText = new Label();
    private final AnimationTimer refresher;

    /** @param settingsFile panel.json, read now and written on start and on {@link #saveSettings} */
    public ControlPanel(LiveControl control, Path settingsFile, Path recordings) {
        this.control = control;
        this.store = new PanelSettings(settingsFile);
        this.recordings = recordings;
        this.settings = store.load();
        build();
        refresher = new AnimationTimer() {
            private long last;

            @Override
            public void handle(long now) {
                if (now - last >= 1_000_000_000L / REFRESH_PER_SECOND) {
                    last = now;
                    refresh(control.status());
                }
            }
        };
        refresher.start();
        loadLists();
    }

    public Parent root() {
        return root;
    }

    private void build() {
        root.getStylesheets().add(ControlPanel.class.getResource("panel.css").toExternalForm());
        root.getStyleClass().add("panel");
        root.setPadding(new Insets(14));

        Label title = new Label("Voxmorph");
        title.getStyleClass().add("title");
        startStop.setId("startStop");
        startStop.getStyleClass().add("start");
        startStop.setOnAction(e -> startOrStop());
        bypass.setId("bypass");
        bypass.getStyleClass().add("big");
        bypass.setOnAction(e -> control.setBypass(bypass.isSelected()));
        record.setId("record");
        record.getStyleClass().add("big");
        record.setOnAction(e -> toggleRecording());
        Button savePreset = new Button("Save as preset…");
        savePreset.setOnAction(e -> saveAsPreset());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        busy.setVisible(false);
        busy.setPrefSize(26, 26);
        busyText.getStyleClass().add("dim");
        recordInput.setTooltip(new javafx.scene.control.Tooltip("Also record your own voice, before conversion, to a second file"));
        demo.setId("demo");
        demo.getStyleClass().add("big");
        demo.setVisible(false);
        demo.managedProperty().bind(demo.visibleProperty());
        demo.setTooltip(new javafx.scene.control.Tooltip("No sound device: run the voice over the bundled speech clip"));
        demo.setOnAction(e -> startDemo());
        HBox top = new HBox(10, title, busy, busyText, spacer, savePreset, recordTime, record, recordInput, bypass, demo,
                startStop);
        top.setAlignment(Pos.CENTER_LEFT);
        root.setTop(top);

        GridPane sound = grid("Sound");
        backend.setId("backend");
        row(sound, 1, "Backend", backend);
        row(sound, 2, "Input", input);
        output.setId("output");
        row(sound, 3, "Output", output);
        createMic.setOnAction(e -> background("Creating the virtual microphone", control::createVirtualMic,
                done -> {
                    micStatus.setText(done);
                    createMic.setDisable(true);
                }));
        createMic.setVisible(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux"));
        micStatus.getStyleClass().add("dim");
        micStatus.setWrapText(true);
        micStatus.setMinHeight(Region.USE_PREF_SIZE);
        micStatus.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(micStatus, Priority.ALWAYS);
        createMic.setMinWidth(Region.USE_PREF_SIZE);
        HBox micRow = new HBox(8, micStatus, createMic);
        micRow.setAlignment(Pos.CENTER_LEFT);
        row(sound, 4, "Virtual mic", micRow);
        HBox monitorRow = new HBox(8, monitor, hearMyself);
        monitorRow.setAlignment(Pos.CENTER_LEFT);
        row(sound, 5, "Monitor", monitorRow);
        blockMs.getItems().addAll(5, 10, 20, 40);
        row(sound, 6, "Block (ms)", blockMs);
        for (ComboBox<?> c : List.of(backend, input, output, monitor)) {
            c.setMaxWidth(Double.MAX_VALUE);
        }
        monitor.setPrefWidth(170);

        GridPane voice = grid("Voice");
        preset.setId("preset");
        preset.setMaxWidth(Double.MAX_VALUE);
        row(voice, 1, "Preset", preset);
        model.setId("model");
        speaker.setMinWidth(80);
        speaker.setPrefWidth(80);
        Label speakerLabel = new Label("speaker");
        speakerLabel.setMinWidth(Region.USE_PREF_SIZE);
        HBox modelRow = new HBox(8, model, speakerLabel, speaker);
        modelRow.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(model, Priority.ALWAYS);
        model.setMinWidth(200); // model ids such as "voxmorph-voices" must show whole
        model.setMaxWidth(Double.MAX_VALUE);
        row(voice, 2, "Model", modelRow);
        profile.setId("profile");
        profile.setMaxWidth(Double.MAX_VALUE);
        row(voice, 3, "Target voice", profile);
        addSlider(voice, 4, "Pitch", VoiceControl.PITCH, -12, 12, "%+.1f st");
        addSlider(voice, 5, "Formant", VoiceControl.FORMANT, 0.5, 2.0, "×%.2f");
        addSlider(voice, 6, "Strength", VoiceControl.STRENGTH, 0, 1, "%.0f%%", 100);
        addSlider(voice, 7, "Denoise", VoiceControl.DENOISE, 0, 30, "%.0f dB");
        sliders.get(sliders.size() - 1).slider().setTooltip(new javafx.scene.control.Tooltip(
                "Noise suppression: takes fans, hum, hiss and keyboard clicks out from under your voice, "
                        + "at most this much; it stays when you change presets"));
        addSlider(voice, 8, "Gate", VoiceControl.GATE, -90, 0, "%.0f dB");
        addSlider(voice, 9, "Output gain", VoiceControl.OUTPUT_GAIN, -24, 12, "%+.1f dB");

        HBox middle = new HBox(14, sound, voice);
        HBox.setHgrow(sound, Priority.ALWAYS);
        HBox.setHgrow(voice, Priority.ALWAYS);
        middle.setPadding(new Insets(12, 0, 12, 0));
        root.setCenter(middle);

        inputMeter.setId("inputMeter");
        outputMeter.setId("outputMeter");
        GridPane meters = new GridPane();
        meters.setHgap(8);
        meters.setVgap(6);
        Label in = new Label("In");
        Label out = new Label("Out");
        in.setMinWidth(Region.USE_PREF_SIZE);
        out.setMinWidth(Region.USE_PREF_SIZE);
        meters.addRow(0, in, inputMeter, inputLevel);
        meters.addRow(1, out, outputMeter, outputLevel);
        GridPane.setHgrow(inputMeter, Priority.ALWAYS);
        GridPane.setHgrow(outputMeter, Priority.ALWAYS);
        for (Label l : List.of(inputLevel, outputLevel)) {
            l.getStyleClass().add("mono");
            l.setMinWidth(Region.USE_PREF_SIZE);
        }
        inputLevel.setText(level(LiveStatus.FLOOR_DB, LiveStatus.FLOOR_DB));
        outputLevel.setText(level(LiveStatus.FLOOR_DB, LiveStatus.FLOOR_DB));
        VBox metersBox = new VBox(8, meters, legend());
        HBox.setHgrow(metersBox, Priority.ALWAYS);
        HBox levels = new HBox(14, metersBox, trace);
        statusLine.setId("status");
        statusLine.getStyleClass().add("mono");
        problem.setId("problem");
        problem.getStyleClass().add("problem");
        problem.setWrapText(true);
        // Room for three lines from the start: the window does not grow when a long message arrives.
        problem.setMinHeight(3.2 * 17);
        problem.setAlignment(Pos.TOP_LEFT);
        problem.setMaxWidth(Double.MAX_VALUE);
        recordTime.getStyleClass().add("mono");
        VBox bottom = new VBox(8, levels, statusLine, problem);
        root.setBottom(bottom);

        root.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.B && !(e.getTarget() instanceof javafx.scene.control.TextInputControl)) {
                bypass.setSelected(!bypass.isSelected());
                control.setBypass(bypass.isSelected());
                e.consume();
            }
        });
        wireChoices();
    }

    private static HBox legend() {
        javafx.scene.text.Text you = new javafx.scene.text.Text("● your voice");
        you.setFill(PitchTrace.INPUT);
        javafx.scene.text.Text converted = new javafx.scene.text.Text("● converted");
        converted.setFill(PitchTrace.OUTPUT);
        Label what = new Label("Pitch trace (right):");
        what.getStyleClass().add("dim");
        HBox box = new HBox(10, what, you, converted);
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    private static GridPane grid(String heading) {
        GridPane g = new GridPane();
        g.getStyleClass().add("box");
        g.setHgap(10);
        g.setVgap(8);
        g.setPadding(new Insets(10));
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(86);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        g.getColumnConstraints().addAll(labels, fields);
        Label h = new Label(heading);
        h.getStyleClass().add("heading");
        g.add(h, 0, 0, 2, 1);
        return g;
    }

    private static void row(GridPane g, int r, String label, javafx.scene.Node field) {
        g.add(new Label(label), 0, r);
        g.add(field, 1, r);
    }

    /** One voice control: moving it sets the engine's smoothed parameter at once. */
    private record ControlSlider(VoiceControl which, Slider slider) {}

    private void addSlider(GridPane g, int r, String label, VoiceControl which, double min, double max, String format) {
        addSlider(g, r, label, which, min, max, format, 1);
    }

    /** @param shown what the value is multiplied by for its label (100 for a percentage) */
    private void addSlider(GridPane g, int r, String label, VoiceControl which, double min, double max, String format,
            double shown) {
        Slider s = new Slider(min, max, Math.max(min, Math.min(max, which.neutral())));
        s.setId(which.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        Label value = new Label();
        value.getStyleClass().add("mono");
        value.setMinWidth(70);
        value.textProperty().bind(s.valueProperty().multiply(shown).asString(format));
        s.valueProperty().addListener((obs, was, now) -> {
            if (!showingChain) {
                settings = settings.withControl(which, now.doubleValue());
                control.setControl(which, now.doubleValue());
            }
        });
        HBox box = new HBox(8, s, value);
        HBox.setHgrow(s, Priority.ALWAYS);
        box.setAlignment(Pos.CENTER_LEFT);
        row(g, r, label, box);
        sliders.add(new ControlSlider(which, s));
    }

    private void wireChoices() {
        preset.setOnAction(e -> {
            String name = preset.getValue();
            if (name != null && !name.equals(settings.preset())) {
                Double denoise = settings.controls().get(VoiceControl.DENOISE);
                settings = settings.withPreset(name);
                if (denoise != null) {
                    // The voice controls belong to the preset; noise suppression is about the room, so it stays.
                    settings = settings.withControl(VoiceControl.DENOISE, denoise);
                }
                loadVoice("Loading preset " + name);
            }
        });
        model.setOnAction(e -> {
            String id = NO_MODEL.equals(model.getValue()) ? null : model.getValue();
            if (!java.util.Objects.equals(id, settings.model())) {
                settings = settings.withVoice(id, settings.speaker(), settings.voice());
                loadVoice(id == null ? "Removing the model" : "Loading model " + id);
            }
        });
        speaker.valueProperty().addListener((obs, was, now) -> {
            if (now != null && now != settings.speaker()) {
                settings = settings.withVoice(settings.model(), now, settings.voice());
                if (settings.model() != null) {
                    loadVoice("Loading speaker " + now);
                }
            }
        });
        profile.setOnAction(e -> {
            String name = NO_PROFILE.equals(profile.getValue()) ? null : profile.getValue();
            if (!java.util.Objects.equals(name, settings.voice())) {
                settings = settings.withVoice(settings.model(), settings.speaker(), name);
                loadVoice(name == null ? "Removing the target voice" : "Loading voice " + name);
            }
        });
        backend.setOnAction(e -> loadDevices(backend.getValue()));
    }

    private void loadVoice(String what) {
        LiveSettings wanted = settings;
        background(what, () -> {
            control.loadVoice(wanted);
            return wanted;
        }, done -> showChain());
    }

    /** Puts the chain's own values on the sliders, without sending them back. */
    private void showChain() {
        Chain chain = control.chain();
        if (chain == null) {
            return;
        }
        showingChain = true;
        try {
            for (ControlSlider cs : sliders) {
                Parameter p = cs.which().find(chain);
                cs.slider().setValue(p == null ? cs.which().neutral() : p.target());
                cs.slider().setDisable(p == null && !cs.which().addsStage());
            }
        } finally {
            showingChain = false;
        }
    }

    private void loadLists() {
        background("Looking for sound devices", () -> new Lists(control.backends(), control.noSoundDevice(),
                control.presets(), control.models(), control.voiceProfiles(), control.virtualMicStatus()), lists -> {
                    backend.getItems().setAll(lists.backends);
                    noDevice = lists.backends.isEmpty() ? lists.noDevice : null;
                    demo.setVisible(noDevice != null);
                    preset.getItems().setAll(lists.presets);
                    model.getItems().setAll(NO_MODEL);
                    model.getItems().addAll(lists.models);
                    profile.getItems().setAll(NO_PROFILE);
                    profile.getItems().addAll(lists.profiles);
                    profile.setValue(settings.voice() == null ? NO_PROFILE : settings.voice());
                    micStatus.setText(PanelWording.of(lists.micStatus));
                    createMic.setDisable(!lists.micStatus.startsWith("not created"));
                    preset.setValue(settings.preset());
                    model.setValue(settings.model() == null ? NO_MODEL : settings.model());
                    speaker.getValueFactory().setValue(settings.speaker());
                    blockMs.setValue((int) Math.round(settings.blockMs()));
                    hearMyself.setSelected(settings.hearMyself());
                    String b = lists.backends.contains(settings.backend()) ? settings.backend()
                            : lists.backends.isEmpty() ? null : lists.backends.get(0);
                    backend.setValue(b);
                    loadDevices(b);
                    loadVoice("Loading preset " + settings.preset());
                });
    }

    private record Lists(List<String> backends, String noDevice, List<String> presets, List<String> models,
            List<String> profiles, String micStatus) {}

    private void loadDevices(String backendName) {
        if (backendName == null) {
            return;
        }
        background("Listing devices", () -> control.devices(backendName), devices -> {
            input.getItems().setAll(DEFAULT_DEVICE);
            input.getItems().addAll(devices.inputs());
            output.getItems().setAll(VIRTUAL_MIC, DEFAULT_DEVICE);
            output.getItems().addAll(devices.outputs());
            monitor.getItems().setAll(NO_MONITOR);
            monitor.getItems().addAll(devices.outputs());
            input.setValue(pick(input.getItems(), settings.input(), DEFAULT_DEVICE));
            output.setValue(settings.virtualMic() ? VIRTUAL_MIC : pick(output.getItems(), settings.output(), DEFAULT_DEVICE));
            monitor.setValue(pick(monitor.getItems(), settings.monitor(), NO_MONITOR));
        });
    }

    private static String pick(List<String> items, String wanted, String otherwise) {
        return wanted != null && items.contains(wanted) ? wanted : otherwise;
    }

    /** The settings as the controls show them now. */
    private LiveSettings fromControls() {
        String in = input.getValue();
        String out = output.getValue();
        String mon = monitor.getValue();
        Integer block = blockMs.getValue();
        return new LiveSettings(backend.getValue(), in == null || in.equals(DEFAULT_DEVICE) ? null : in,
                out == null || out.equals(DEFAULT_DEVICE) || out.equals(VIRTUAL_MIC) ? null : out, VIRTUAL_MIC.equals(out),
                mon == null || mon.equals(NO_MONITOR) ? null : mon, hearMyself.isSelected(),
                block == null ? settings.blockMs() : block, settings.preset(), settings.model(), speaker.getValue(),
                settings.voice(), settings.controls());
    }

    private void startOrStop() {
        startStop.setDisable(true);
        if (control.isRunning()) {
            if (record.isSelected()) {
                record.setSelected(false);
                toggleRecording();
            }
            startStop.setText("Stopping…");
            background("Stopping", () -> {
                control.stop();
                return true;
            }, done -> showRunning());
        } else if (noDevice != null && backend.getValue() == null) {
            startDemo(); // nothing else could start; the info line says it is the demo
        } else {
            settings = fromControls();
            saveSettings();
            start(settings, "Opening the devices and loading the voice");
        }
    }

    private void start(LiveSettings wanted, String what) {
        startStop.setDisable(true);
        startStop.setText("Starting…");
        info = "";
        background(what, () -> {
            control.start(wanted);
            control.setBypass(bypass.isSelected());
            return true;
        }, done -> {
            showRunning();
            info = LiveControl.DEMO_BACKEND.equals(wanted.backend())
                    ? "Running the demo: the bundled speech clip is the microphone; Record keeps what you hear on the meters"
                    : "Running: " + (wanted.virtualMic() ? "your voice goes to the Voxmorph virtual microphone"
                            : "your voice goes to " + (wanted.output() == null ? "the default output" : wanted.output()));
        });
    }

    /** No sound device: the same voice, over the bundled clip. */
    private void startDemo() {
        if (control.isRunning()) {
            return;
        }
        LiveSettings s = fromControls();
        start(new LiveSettings(LiveControl.DEMO_BACKEND, null, null, false, null, false, s.blockMs(), s.preset(),
                s.model(), s.speaker(), s.voice(), s.controls()), "Starting the demo");
    }

    private void showRunning() {
        boolean on = control.isRunning();
        startStop.setDisable(false);
        startStop.setText(on ? "Stop" : "Start");
        startStop.getStyleClass().setAll("button", on ? "stop" : "start");
        demo.setDisable(on);
        showChain();
    }

    private void toggleRecording() {
        if (record.isSelected()) {
            boolean withInput = recordInput.isSelected();
            background("Starting the recording", () -> {
                Files.createDirectories(recordings);
                control.startRecording(recordings, withInput);
                return true;
            }, done -> {}, () -> record.setSelected(false));
        } else {
            background("Writing the recording", control::stopRecording,
                    files -> info = files.isEmpty() ? "" : "Recorded to " + files.get(0).getParent());
        }
    }

    private void saveAsPreset() {
        TextInputDialog ask = new TextInputDialog("my voice");
        ask.setTitle("Save as preset");
        ask.setHeaderText("Save the current voice as a preset");
        ask.setContentText("Name:");
        ask.showAndWait().ifPresent(name -> background("Saving preset " + name, () -> control.saveAsPreset(name.trim()),
                file -> {
                    preset.getItems().setAll(control.presets());
                    settings = settings.withPreset(name.trim());
                    preset.setValue(name.trim());
                    info = "Saved preset '" + name.trim() + "' to " + file;
                }));
    }

    /** Remembers the settings for next time; a failure is shown, never fatal. */
    public void saveSettings() {
        try {
            store.save(fromControls());
        } catch (IOException e) {
            lastError = "Could not save the panel settings: " + e.getMessage();
        }
    }

    /** A job that throws its user-facing message. */
    @FunctionalInterface
    private interface Job<T> {
        T run() throws Exception;
    }

    private <T> void background(String what, Job<T> job, Consumer<T> then) {
        background(what, job, then, () -> {});
    }

    private <T> void background(String what, Job<T> job, Consumer<T> then, Runnable onFailure) {
        busy.setVisible(true);
        busyText.setText(what + "…");
        worker.execute(() -> {
            try {
                T result = job.run();
                Platform.runLater(() -> {
                    lastError = null;
                    idle();
                    then.accept(result);
                });
            } catch (Exception e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                Platform.runLater(() -> {
                    lastError = what + " failed: " + message;
                    idle();
                    onFailure.run();
                    showRunning();
                });
            }
        });
    }

    private void idle() {
        busy.setVisible(false);
        busyText.setText("");
    }

    private void refresh(LiveStatus s) {
        inputMeter.show(s.inputPeakDb(), s.inputRmsDb());
        outputMeter.show(s.outputPeakDb(), s.outputRmsDb());
        inputLevel.setText(level(s.inputPeakDb(), s.inputRmsDb()));
        outputLevel.setText(level(s.outputPeakDb(), s.outputRmsDb()));
        if (s.running()) {
            trace.add(s.inputPitchHz(), s.outputPitchHz());
            statusLine.setText(String.format("Latency %.1f ms voice + %.1f ms devices   CPU %.0f%%   late blocks %d   xruns %d%s",
                    s.algorithmicLatencyMs(), s.deviceLatencyMs(), s.cpuPercent(), s.lateBlocks(), s.xruns(),
                    s.provider().isEmpty() ? "" : "   model: " + s.provider()));
        } else {
            statusLine.setText("Stopped");
        }
        String shown = PanelWording.of(s.problem() != null ? s.problem() : lastError);
        if (shown != null && !s.running() && noDevice != null && shown.equals(PanelWording.of(noDevice))) {
            String why = shown.startsWith("no sound device (") ? shown.substring("no sound device ".length()) : "(" + shown + ")";
            shown = "No sound device works here " + why + ", so your voice cannot run live. "
                    + "Press Run the demo to hear the voice on the bundled speech clip.";
        }
        problem.setText(shown != null ? shown : info);
        problem.getStyleClass().setAll("label", shown != null ? "problem" : "dim");
        recordTime.setText(s.recordingSeconds() < 0 ? "" : String.format("● recording %d:%02d",
                (int) s.recordingSeconds() / 60, (int) s.recordingSeconds() % 60));
    }

    private static String level(double peak, double rms) {
        return peak <= LiveStatus.FLOOR_DB ? "peak   --    rms   --   dBFS" : String.format("peak %5.1f  rms %5.1f dBFS", peak, rms);
    }

    /** Stops the refresher and the worker; the caller closes the controller. */
    public void dispose() {
        refresher.stop();
        worker.shutdownNow();
    }

    LevelMeterView inputMeter() { return inputMeter; }

    LevelMeterView outputMeter() { return outputMeter; }
}
