package org.voxmorph.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.voxmorph.audio.AudioDeviceException;
import org.voxmorph.audio.DeviceInfo;
import org.voxmorph.device.VirtualCables.Os;

/**
 * Device lists as PortAudio reports them on Windows (MME names cut to 31 characters, DirectSound,
 * WASAPI) and on macOS (Core Audio), written out by hand from the drivers' published endpoint names.
 */
class VirtualCablesTest {

    static List<DeviceInfo> devices(String name) throws IOException {
        try (InputStream in = VirtualCablesTest.class.getResourceAsStream("/devices/" + name)) {
            return new ObjectMapper().readValue(in, new TypeReference<List<DeviceInfo>>() {});
        }
    }

    static DeviceLister recorded(String name) throws IOException {
        List<DeviceInfo> list = devices(name);
        return () -> list;
    }

    @Test
    void windowsWithVbCableWritesToCableInputAndAppsSelectCableOutput() throws Exception {
        VirtualMicTarget target = new CableVirtualMicrophone(Os.WINDOWS, recorded("windows-vb-cable.json")).ensure();
        assertEquals(VirtualMicTarget.Kind.OUTPUT_DEVICE, target.kind());
        assertEquals("CABLE Input (VB-Audio Virtual Cable)", target.outputDevice());
        assertEquals("CABLE Output (VB-Audio Virtual Cable)", target.microphoneName());
    }

    @Test
    void mmeNamesCutTo31CharactersStillFindVbCable() throws Exception {
        List<DeviceInfo> mmeOnly = devices("windows-vb-cable.json").stream().filter(d -> d.hostApi().equals("MME")).toList();
        VirtualCables.Found found = VirtualCables.find(Os.WINDOWS, mmeOnly).orElseThrow();
        assertEquals("CABLE Input (VB-Audio Virtual C", found.outputDevice());
        assertEquals("CABLE Output (VB-Audio Virtual Cable)", found.microphone());
    }

    @Test
    void vbCableABAndNumberedDuplicatesAreRecognised() throws Exception {
        List<DeviceInfo> list = new ArrayList<>(devices("windows-none.json"));
        list.add(output("CABLE-B Input (VB-Audio Cable B)"));
        assertEquals("CABLE-B Output (VB-Audio Cable B)", VirtualCables.find(Os.WINDOWS, list).orElseThrow().microphone());
        assertEquals("CABLE Input (2- VB-Audio Virtual Cable)", VirtualCables.find(Os.WINDOWS,
                List.of(output("CABLE Input (2- VB-Audio Virtual Cable)"))).orElseThrow().outputDevice());
    }

    @Test
    void windowsWithVirtualAudioCableUsesLineOne() throws Exception {
        VirtualCables.Found found = VirtualCables.find(Os.WINDOWS, devices("windows-vac.json")).orElseThrow();
        assertEquals("Virtual Audio Cable", found.product());
        assertEquals("Line 1 (Virtual Audio Cable)", found.outputDevice());
        assertEquals("Line 1 (Virtual Audio Cable)", found.microphone());
    }

    @Test
    void vbCableIsPreferredWhenBothCablesAreInstalled() throws Exception {
        List<DeviceInfo> both = new ArrayList<>(devices("windows-vac.json"));
        both.addAll(devices("windows-vb-cable.json"));
        assertEquals("VB-CABLE", VirtualCables.find(Os.WINDOWS, both).orElseThrow().product());
    }

    @Test
    void windowsWithoutCableGivesTheInstallHint() throws Exception {
        CableVirtualMicrophone mic = new CableVirtualMicrophone(Os.WINDOWS, recorded("windows-none.json"));
        AudioDeviceException e = assertThrows(AudioDeviceException.class, mic::ensure);
        assertEquals("no virtual audio cable found: install VB-CABLE (free) from https://vb-audio.com/Cable/ and restart"
                + " Windows, or Virtual Audio Cable from https://vac.muzychenko.net/en/; or use --output DEV", e.getMessage());
        VirtualMicStatus status = mic.status();
        assertFalse(status.ready());
        assertNull(status.writeTo());
        assertEquals(e.getMessage(), status.hint());
    }

    @Test
    void macWithBlackHolePrefersTwoChannels() throws Exception {
        CableVirtualMicrophone mic = new CableVirtualMicrophone(Os.MACOS, recorded("macos-blackhole.json"));
        VirtualMicTarget target = mic.ensure();
        assertEquals("BlackHole 2ch", target.outputDevice());
        assertEquals("BlackHole 2ch", target.microphoneName());
        VirtualMicStatus status = mic.status();
        assertTrue(status.ready());
        assertEquals("installed driver (BlackHole)", status.owner());
        assertTrue(mic.remove().startsWith("BlackHole is a driver installed on this system"));
    }

    @Test
    void macWithoutBlackHoleGivesTheBrewCommand() throws Exception {
        CableVirtualMicrophone mic = new CableVirtualMicrophone(Os.MACOS, recorded("macos-none.json"));
        AudioDeviceException e = assertThrows(AudioDeviceException.class, mic::create);
        assertEquals("no virtual audio device found: install BlackHole with 'brew install blackhole-2ch'"
                + " (or from https://existential.audio/blackhole/), then run again; or use --output DEV", e.getMessage());
        assertTrue(VirtualCables.find(Os.WINDOWS, devices("macos-blackhole.json")).isEmpty(), "BlackHole is macOS only");
    }

    @Test
    void inputOnlyCableSideIsNeverTheOutput() throws Exception {
        List<DeviceInfo> inputsOnly = devices("windows-vb-cable.json").stream().filter(d -> !d.isOutput()).toList();
        assertTrue(VirtualCables.find(Os.WINDOWS, inputsOnly).isEmpty());
    }

    private static DeviceInfo output(String name) {
        return new DeviceInfo("portaudio", name, "Windows WASAPI", 0, 2, 48000, 0, 3, false, false);
    }
}
