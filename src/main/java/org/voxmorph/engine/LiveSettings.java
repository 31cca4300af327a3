package org.voxmorph.engine;

import java.util.EnumMap;
import java.util.Map;
import org.voxmorph.chain.VoiceControl;

/**
 * Everything a live session is started with; also what the panel remembers between runs.
 *
 * @param backend    backend name, or null for the first that works
 * @param input      capture device, or null for the system's default
 * @param output     playback device, or null for the default; ignored when {@code virtualMic}
 * @param virtualMic play into the Voxmorph virtual microphone
 * @param monitor    a second output that also plays the result, or null
 * @param hearMyself whether the monitor plays
 * @param blockMs    engine hop and device period in ms
 * @param preset     preset name
 * @param model      voice model id, or null for none
 * @param speaker    the model's speaker number
 * @param voice      enrolled voice profile to convert toward, or null for none
 * @param controls   control values set by the user, over the preset's own
 */
public record LiveSettings(String backend, String input, String output, boolean virtualMic, String monitor,
        boolean hearMyself, double blockMs, String preset, String model, int speaker, String voice,
        Map<VoiceControl, Double> controls) {

    public LiveSettings {
        controls = controls == null || controls.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(controls));
    }

    public static LiveSettings defaults() {
        return new LiveSettings(null, null, null, false, null, false, 10, "passthrough", null, 0, null, Map.of());
    }

    public LiveSettings withPreset(String name) {
        // A new preset brings its own values: the user's control values belonged to the old one.
        return new LiveSettings(backend, input, output, virtualMic, monitor, hearMyself, blockMs, name, model, speaker,
                voice, Map.of());
    }

    public LiveSettings withVoice(String modelId, int speakerNumber, String profile) {
        return new LiveSettings(backend, input, output, virtualMic, monitor, hearMyself, blockMs, preset, modelId,
                speakerNumber, profile, controls);
    }

    public LiveSettings withControl(VoiceControl control, double value) {
        Map<VoiceControl, Double> c = new EnumMap<>(VoiceControl.class);
        c.putAll(controls);
        c.put(control, value);
        return new LiveSettings(backend, input, output, virtualMic, monitor, hearMyself, blockMs, preset, model, speaker,
                voice, c);
    }
}
