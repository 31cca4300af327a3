package org.voxmorph.audio;

/**
 * One input or output device as a backend reports it.
 *
 * @param backend        the backend's name, e.g. {@code javasound}
 * @param name           what the user types after --input/--output
 * @param hostApi        the driver family (PortAudio host API, "PulseAudio", "JACK", ...), or ""
 * @param inputChannels  0 for an output-only device
 * @param outputChannels 0 for an input-only device
 * @param defaultSampleRate the device's preferred rate in Hz, 0 when unknown
 * @param inputLatencyMs   reported (low) input latency, 0 when unknown
 * @param outputLatencyMs  reported (low) output latency, 0 when unknown
 */
public record DeviceInfo(String backend, String name, String hostApi, int inputChannels, int outputChannels,
        double defaultSampleRate, double inputLatencyMs, double outputLatencyMs,
        boolean defaultInput, boolean defaultOutput) {

    public boolean isInput() {
        return inputChannels > 0;
    }

    public boolean isOutput() {
        return outputChannels > 0;
    }
}
