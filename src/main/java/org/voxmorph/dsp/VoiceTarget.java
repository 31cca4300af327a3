package org.voxmorph.dsp;

/**
 * Where a {@link VoiceMorpher} takes a voice: log-F0 centre and spread (natural log of Hz), the
 * log-means of F1, F2 and F3 (as {@link SpeakerStatistics} measures them), the long-term spectrum in dB at the {@link LongTermSpectrum} band
 * centres (null: leave the colour alone), and an extra spectral tilt in dB per octave around 1 kHz.
 */
public record VoiceTarget(double logF0Centre, double logF0Spread, double[] logFormants, double[] envelopeDb,
        double tiltDbPerOctave) {
    public VoiceTarget {
        if (!(logF0Spread > 0) || !Double.isFinite(logF0Centre) || logFormants.length != SpeakerStatistics.FORMANTS
                || !java.util.Arrays.stream(logFormants).allMatch(Double::isFinite)) {
            throw new IllegalArgumentException("voice target needs finite pitch and " + SpeakerStatistics.FORMANTS
                    + " formant figures and a positive pitch spread");
        }
        logFormants = logFormants.clone();
        if (envelopeDb != null && envelopeDb.length != LongTermSpectrum.CENTRES_HZ.length) {
            throw new IllegalArgumentException("envelope has " + envelopeDb.length + " bands, expected "
                    + LongTermSpectrum.CENTRES_HZ.length);
        }
        envelopeDb = envelopeDb == null ? null : envelopeDb.clone();
    }

    /**
     * A stable pseudo-speaker for voice masking: the same seed gives the same voice on every run
     * and machine (SplitMix64, not java.util.Random, so the mapping is ours to keep). Median pitch
     * 95..230 Hz, and a vocal tract that grows with a lower pitch as real ones tend to, with some
     * independent spread so two seeds of equal pitch still differ; a tilt of +-2 dB per octave.
     */
    public static VoiceTarget pseudoSpeaker(long seed) {
        long state = seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L;
        double pitchPlace = unit(state = next(state));
        double tractJitter = unit(state = next(state)) * 2 - 1;
        double spread = unit(state = next(state));
        double tilt = unit(next(state)) * 2 - 1;
        double logF0 = Math.log(95) + pitchPlace * Math.log(230.0 / 95);
        // Adult F1/F2/F3 log-means (as measured here) span roughly +-8% around 520/1550/2600 Hz.
        double tract = 0.93 + 0.14 * pitchPlace + 0.04 * tractJitter;
        double[] formants = {Math.log(520 * tract), Math.log(1550 * tract), Math.log(2600 * tract)};
        return new VoiceTarget(logF0, 0.11 + 0.08 * spread, formants, null, 2 * tilt);
    }

    private static long next(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double unit(long z) {
        return (z >>> 11) * 0x1.0p-53;
    }
}
