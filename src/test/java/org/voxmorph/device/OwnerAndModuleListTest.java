package org.voxmorph.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OwnerAndModuleListTest {

    /**
     * `pactl list short modules` from pipewire-pulse 0.3.65: its own modules have multi-line
     * arguments, and pulse modules' indices carry a high flag bit.
     */
    static final String PIPEWIRE_MODULES = """
            1\tlibpipewire-module-rt\t{
                        nice.level    = -11
                        #rt.prio      = 88
                    }\t
            536870913\tmodule-always-sink\t\t
            536870916\tmodule-null-sink\tsink_name=voxmorph_sink rate=48000 channels=1 channel_map=mono \
            sink_properties='device.description="Voxmorph Microphone Feed" voxmorph.owner=4242@1763700000000'\t
            536870917\tmodule-remap-source\tmaster=voxmorph_sink.monitor source_name=voxmorph_mic channels=1 channel_map=mono \
            source_properties='device.description="Voxmorph Microphone" voxmorph.owner=4242@1763700000000'\t
            """;

    @Test
    void pipewireModuleListIsParsedWithItsLargeIndicesAndOwners() {
        List<Pactl.Module> modules = Pactl.parseModules(PIPEWIRE_MODULES);
        assertEquals(4, modules.size());
        assertTrue(modules.get(0).arguments().contains("nice.level    = -11"));
        Pactl.Module sink = modules.get(2);
        assertEquals(536870916, sink.index());
        assertEquals("module-null-sink", sink.name());
        Owner owner = PulseVirtualMicrophone.owner(sink).orElseThrow();
        assertEquals(4242, owner.pid());
        assertEquals(1763700000000L, owner.startMillis());
        assertTrue(PulseVirtualMicrophone.owner(modules.get(1)).isEmpty());
    }

    @Test
    void ourModuleArgumentsCarryTheOwnerTokenBack() {
        Owner me = Owner.thisProcess();
        Pactl.Module m = new Pactl.Module(7, "module-remap-source", PulseVirtualMicrophone.sourceArguments(me));
        assertEquals(me, PulseVirtualMicrophone.owner(m).orElseThrow());
        assertTrue(Owner.parse(Owner.user().token()).orElseThrow().isUser());
        assertTrue(Owner.parse("someone-else").isEmpty());
    }

    @Test
    void aSessionIsGoneWhenItsProcessEndedOrItsPidWasReused() throws Exception {
        assertFalse(Owner.thisProcess().isGone());
        assertFalse(Owner.user().isGone());
        Process finished = new ProcessBuilder("true").start();
        Owner dead = Owner.of(finished.toHandle());
        finished.waitFor();
        assertTrue(dead.isGone());
        Owner me = Owner.thisProcess();
        assertTrue(new Owner(me.pid(), me.startMillis() - 60_000).isGone(), "same pid, other start: a reused pid");
    }
}
