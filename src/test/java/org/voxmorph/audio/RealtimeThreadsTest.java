package org.voxmorph.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The choice between the ways to real-time priority, with either way made to fail (this machine may
 * run as root, where the direct way always works, and have no rtkit at all): directly first; rtkit,
 * at no more than its ceiling, only where that is refused; and where both are refused the thread
 * stays as it is, {@link RealtimeThreads#granted} is false and the outcome names both reasons, which
 * is the line live mode prints.
 */
class RealtimeThreadsTest {
    final List<String> asked = new ArrayList<>();

    RealtimeThreads.Way way(String name, String refusal) {
        return (tid, priority) -> {
            asked.add(name + " " + tid + " " + priority);
            return refusal;
        };
    }

    @Test
    void grantedDirectlyNeverAsksRtkit() {
        assertTrue(RealtimeThreads.promote(42, 70, way("direct", null), way("rtkit", null)));
        assertEquals(List.of("direct 42 70"), asked);
        assertTrue(RealtimeThreads.granted());
        assertEquals("real-time priority (SCHED_FIFO)", RealtimeThreads.outcome());
    }

    @Test
    void refusedDirectlyFallsBackToRtkitWithinItsCeiling() {
        assertTrue(RealtimeThreads.promote(42, 70, way("direct", "no permission for real-time scheduling"),
                way("rtkit", null)));
        assertEquals(List.of("direct 42 70", "rtkit 42 20"), asked);
        assertTrue(RealtimeThreads.granted());
        assertEquals("real-time priority 20 through rtkit", RealtimeThreads.outcome());
    }

    @Test
    void refusedBothWaysStaysNormalAndSaysWhy() {
        assertFalse(RealtimeThreads.promote(42, 10, way("direct", "no permission for real-time scheduling"),
                way("rtkit", "no system bus for rtkit")));
        assertEquals(List.of("direct 42 10", "rtkit 42 10"), asked);
        assertFalse(RealtimeThreads.granted());
        assertEquals("normal priority (no permission for real-time scheduling, and no system bus for rtkit)",
                RealtimeThreads.outcome());
    }
}
