package org.voxmorph.dsp;

import be.tarsos.dsp.pitch.McLeodPitchMethod;
import be.tarsos.dsp.pitch.PitchDetectionResult;
import be.tarsos.dsp.pitch.PitchDetector;
import be.tarsos.dsp.pitch.Yin;

/** Builds TarsosDSP pitch detectors behind {@link PitchTracker}. */
public final class PitchTrackers {

    /** The names {@link #create} knows. */
    public static final java.util.List<String> NAMES = java.util.List.of("yin", "mpm");
    private static final double YIN_THRESHOLD = 0.15;

    private PitchTrackers() {
    }

    /**
     * A tracker by name: {@code yin} (de Cheveigné and Kawahara, allocation free, what the
     * real-time shifter uses) or {@code mpm} (McLeod pitch method; TarsosDSP's version boxes a few
     * numbers per frame, so keep it off the real-time path).
     */
    public static PitchTracker create(String name, double sampleRate, int frameSize) {
        if (frameSize < 16) {
            throw new IllegalArgumentException("pitch frame of " + frameSize + " samples is too short");
        }
        PitchDetector detector = switch (name) {
            case "yin" -> new Yin((float) sampleRate, frameSize, YIN_THRESHOLD);
            case "mpm" -> new McLeodPitchMethod((float) sampleRate, frameSize);
            default -> throw new IllegalArgumentException("unknown pitch tracker '" + name + "'; known: " + NAMES);
        };
        return new TarsosTracker(detector, sampleRate, frameSize);
    }

    /**
     * YIN with its own threshold on the normalised difference: lower is stricter (fewer false
     * pitches in noise, more voiced frames missed). {@link #create} uses 0.15.
     */
    public static PitchTracker yin(double sampleRate, int frameSize, double threshold) {
        if (frameSize < 16) {
            throw new IllegalArgumentException("pitch frame of " + frameSize + " samples is too short");
        }
        return new TarsosTracker(new Yin((float) sampleRate, frameSize, threshold), sampleRate, frameSize);
    }

    private static final class TarsosTracker implements PitchTracker {
        private final PitchDetector detector;
        private final double sampleRate;
        private final int frameSize;
        private double confidence;

        TarsosTracker(PitchDetector detector, double sampleRate, int frameSize) {
            this.detector = detector;
            this.sampleRate = sampleRate;
            this.frameSize = frameSize;
        }

        @Override
        public double pitchHz(float[] frame) {
            PitchDetectionResult r = detector.getPitch(frame);
            // TarsosDSP reports -1 for "no pitch"; anything above Nyquist/2 is a detector artefact.
            if (!r.isPitched() || r.getPitch() <= 0 || r.getPitch() > sampleRate / 4) {
                confidence = 0;
                return 0;
            }
            confidence = Math.max(0, Math.min(1, r.getProbability()));
            return r.getPitch();
        }

        @Override
        public double confidence() {
            return confidence;
        }

        @Override
        public int frameSize() {
            return frameSize;
        }

        @Override
        public double sampleRate() {
            return sampleRate;
        }
    }
}
