package org.voxmorph.engine;

import java.nio.file.Path;
import java.util.List;
import org.voxmorph.chain.Chain;
import org.voxmorph.chain.VoiceControl;

/**
 * What a front end (the control panel, or the CLI's live mode) drives a live voice session
 * through. Methods that open devices or build a chain (model loading) may take seconds: a UI
 * calls them off its own thread. {@link #status} never blocks. Every failure is a
 * {@link ControlException} whose message is one plain line for the user.
 */
public interface LiveControl extends AutoCloseable {

    /**
     * The backend name that runs the voice without a sound device: the bundled speech clip plays in
     * a loop as the microphone, and the result reaches the meters, the pitch trace and recordings.
     */
    String DEMO_BACKEND = "demo";

    /** The sound backends usable here, the one live mode would pick first (never the demo). */
    List<String> backends();

    /** Input and output device names of a backend. */
    DeviceList devices(String backend);

    /** Preset names: the shipped ones and the user's own. */
    List<String> presets();

    /** Installed voice model ids. */
    List<String> models();

    /** Names of the enrolled voice profiles (targets to convert toward). */
    List<String> voiceProfiles();

    /** Why no sound backend works here, in one line, or null when one does. */
    String noSoundDevice();

    /** The virtual microphone in one line ("ready: Voxmorph Microphone", "not created", "not available: ..."). */
    String virtualMicStatus();

    /** Creates the virtual microphone (it stays until removed); returns one line saying what was done. */
    String createVirtualMic();

    /** Opens the devices and starts the engine with the settings' voice. Blocks until running. */
    void start(LiveSettings settings);

    void stop();

    boolean isRunning();

    /** Every stage crossfaded to the dry signal, or back. Takes effect at once, click-free. */
    void setBypass(boolean bypass);

    /**
     * Builds the chain for the settings' preset, model, voice profile and control values. While running, the new
     * chain is prepared beside the old one and swapped in with a crossfade. Blocks until done.
     */
    void loadVoice(LiveSettings settings);

    /**
     * Moves one voice control. A chain that has the control gets its (smoothed) parameter set; one
     * that lacks it gets the stage added (a chain swap) unless the value is the neutral one.
     */
    void setControl(VoiceControl control, double value);

    /** The chain now running (or last built), for reading its parameters; null before the first build. */
    Chain chain();

    /** The latest status snapshot, refreshed about 25 times a second while running. */
    LiveStatus status();

    /** Starts writing the converted output (and, if asked, the input) to WAV files in the folder. */
    void startRecording(Path folder, boolean withInput);

    /** Stops recording and writes the files; returns the files written. */
    List<Path> stopRecording();

    /** Saves the current chain and its values as a user preset; returns the file written. */
    Path saveAsPreset(String name);

    @Override
    void close();

    /** @param inputs capture devices; @param outputs playback devices (names as the backend takes them) */
    record DeviceList(List<String> inputs, List<String> outputs) {
        public DeviceList {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
        }
    }
}
