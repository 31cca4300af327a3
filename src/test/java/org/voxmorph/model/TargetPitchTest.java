package org.voxmorph.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TargetPitchTest {
    private static final List<ModelPackage.SpeakerF0> LOW_HIGH =
            List.of(new ModelPackage.SpeakerF0(Math.log(110), 0.15), new ModelPackage.SpeakerF0(Math.log(220), 0.15));

    @Test
    void aSourceAtThePriorMeanLandsOnTheSpeakersMean() {
        TargetPitch p = new TargetPitch(LOW_HIGH);
        assertEquals(110, p.target(140, 0, 0), 1e-9);
        assertEquals(220, p.target(140, 1, 0), 1e-9);
    }

    @Test
    void thePriorWeighsAsMuchAs200VoicedHops() {
        TargetPitch p = new TargetPitch(LOW_HIGH);
        for (int i = 0; i < 200; i++) {
            p.target(200, 0, 0);
        }
        assertEquals((Math.log(140) + Math.log(200)) / 2, p.sourceMeanLnHz(), 1e-9, "half prior, half observations");
        // Variance of 200 values at ln 140 spread 0.18 plus 200 at ln 200: within-group plus between-group.
        double between = Math.pow((Math.log(200) - Math.log(140)) / 2, 2);
        assertEquals(Math.sqrt(0.18 * 0.18 / 2 + between), p.sourceSdLnHz(), 1e-9);
    }

    @Test
    void afterMemoryHopsEachHopMovesTheMeanByOne3000th() {
        TargetPitch p = new TargetPitch(LOW_HIGH);
        for (int i = 0; i < 5000; i++) {
            p.target(150, 0, 0);
        }
        double before = p.sourceMeanLnHz();
        p.target(300, 0, 0);
        assertEquals((Math.log(300) - before) / 3000, p.sourceMeanLnHz() - before, 1e-12);
    }

    @Test
    void aSourceRangeIsMappedOntoTheSpeakersRange() {
        TargetPitch p = new TargetPitch(LOW_HIGH);
        // A speaker around 200 Hz whose ln F0 swings with standard deviation 0.1.
        for (int i = 0; i < 15000; i++) {
            p.target(Math.exp(Math.log(200) + 0.1 * Math.sqrt(2) * Math.sin(i * 0.37)), 0, 0);
        }
        assertEquals(Math.log(200), p.sourceMeanLnHz(), 0.005);
        assertEquals(0.1, p.sourceSdLnHz(), 0.005);
        double oneSdUp = Math.exp(Math.log(200) + 0.1);
        assertEquals(110 * Math.exp(0.15), p.target(oneSdUp, 0, 0), 110 * Math.exp(0.15) * 0.01, "one sd up lands one sd up");
        assertEquals(220 * Math.exp(0.15), p.target(oneSdUp, 1, 0), 220 * Math.exp(0.15) * 0.01);
    }

    @Test
    void transpositionAndClampingFollowTheMapping() {
        TargetPitch p = new TargetPitch(LOW_HIGH);
        assertEquals(220, p.target(140, 0, 12), 1e-9, "+12 semitones doubles");
        assertEquals(1000, new TargetPitch(List.of()).target(600, 0, 12), 1e-9, "1200 Hz is held at 1000");
        p.reset();
        assertEquals(50, p.target(140, 0, -24), 1e-9, "27.5 Hz is held at 50");
    }

    @Test
    void unvoicedHopsGiveZeroAndTeachNothing() {
        TargetPitch p = new TargetPitch(LOW_HIGH);
        assertEquals(0, p.target(0, 0, 5));
        assertEquals(Math.log(140), p.sourceMeanLnHz(), 1e-12);
        assertEquals(0.18, p.sourceSdLnHz(), 1e-12);
    }

    @Test
    void withoutSpeakerStatisticsTheSourcePitchIsOnlyTransposed() {
        TargetPitch p = new TargetPitch(List.of());
        assertEquals(300, p.target(300, 0, 0), 1e-9);
        assertEquals(300 * Math.pow(2, 3 / 12.0), p.target(300, 0, 3), 1e-9);
    }

    @Test
    void sourcePitchIsYinOnTheWindowEndingWithTheHop() {
        TargetPitch p = new TargetPitch(List.of());
        float[] hop = new float[160];
        double hz = 0;
        for (int h = 0; h < 6; h++) {
            for (int i = 0; i < 160; i++) {
                hop[i] = (float) (0.5 * Math.sin(2 * Math.PI * 137.0 * (160 * h + i) / 16000));
            }
            hz = p.sourceHz(hop, 160);
        }
        assertEquals(137.0, hz, 137.0 * 0.01);
        java.util.Arrays.fill(hop, 0f);
        for (int h = 0; h < 4; h++) {
            hz = p.sourceHz(hop, 160);
        }
        assertEquals(0, hz, "40 ms of silence is unvoiced");
    }

    @Test
    void aHopAllocatesNothing() {
        TargetPitch p = new TargetPitch(LOW_HIGH);
        float[] hop = new float[160];
        for (int i = 0; i < 160; i++) {
            hop[i] = (float) Math.sin(i * 0.06);
        }
        long bytes = org.voxmorph.dsp.Signals.allocatedBytes(() -> {
            for (int h = 0; h < 20; h++) {
                p.target(p.sourceHz(hop, 160), h % 2, 3);
            }
        });
        assertEquals(0, bytes, "bytes allocated per 20 hops");
    }
}
