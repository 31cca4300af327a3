package org.voxmorph.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PitchTrackersTest {

    @ParameterizedTest
    @ValueSource(strings = {"yin", "mpm"})
    void findsThePitchOfAVowelAndNoneInNoise(String name) {
        PitchTracker tracker = PitchTrackers.create(name, 16000, 1024);
        float[] vowel = Signals.vowel(16000, 0.5, 180, 700, 1200);
        float[] frame = java.util.Arrays.copyOfRange(vowel, 4000, 5024);
        double hz = tracker.pitchHz(frame);
        // The vibrato moves the pitch by up to 3%; the frame sits where it is near 180 * 1.0.
        assertEquals(180, hz, 180 * 0.04, name + " pitch");
        assertTrue(tracker.confidence() > 0.8, name + " confidence " + tracker.confidence());

        float[] noise = java.util.Arrays.copyOf(Signals.noise(16000, 0.1, 0.1, 3), 1024);
        assertEquals(0, tracker.pitchHz(noise), name + " found a pitch in white noise");
        assertEquals(0, tracker.confidence());
    }

    @Test
    void unknownNameSaysWhichExist() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PitchTrackers.create("crepe", 16000, 1024));
        assertTrue(e.getMessage().contains("yin"), e.getMessage());
    }
}
