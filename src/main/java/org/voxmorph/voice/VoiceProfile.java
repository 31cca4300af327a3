package org.voxmorph.voice;

import java.util.List;
import org.voxmorph.dsp.LongTermSpectrum;
import org.voxmorph.dsp.VoiceTarget;

/**
 * A target voice enrolled from reference speech, stored as {@code NAME.voice.json}.
 *
 * @param pitch         log-F0 statistics (natural log of Hz) over voiced frames: mean, median and a
 *                      spread from the quartiles ((q3 - q1) / 1.349, which an octave error does not inflate)
 * @param formants      log-means of F1, F2 and F3 over voiced frames (LPC at 8 kHz)
 * @param envelope      long-term average spectrum, dB relative to its mean, at {@code bandsHz}
 * @param embedding     the unit-length speaker embedding of {@link SpeakerEncoder}; its kind names the
 *                      encoder version ({@code voxmorph-speaker@<sha256 prefix>})
 * @param sources       the analysed clips and their sha256
 * @param consent       who agreed, how and when
 */
public record VoiceProfile(int version, String name, String created, Pitch pitch, Formants formants, Envelope envelope,
        Embedding embedding, List<Source> sources, ConsentRecord consent) {
    public static final int VERSION = 1;

    public record Pitch(double logF0Mean, double logF0Median, double logF0Spread, double voicedSeconds) {}

    public record Formants(double logF1Mean, double logF2Mean, double logF3Mean) {}

    public record Envelope(double[] bandsHz, double[] levelsDb) {}

    public record Embedding(String kind, double[] values) {}

    public record Source(String file, String sha256, double seconds) {}

    /** What the converter moves a voice toward. */
    public VoiceTarget target() {
        if (envelope.levelsDb().length != LongTermSpectrum.CENTRES_HZ.length) {
            throw new VoiceException("voice " + name + ": envelope has " + envelope.levelsDb().length
                    + " bands, this version reads " + LongTermSpectrum.CENTRES_HZ.length + " (enroll it again)");
        }
        double[] logFormants = {formants.logF1Mean(), formants.logF2Mean(), formants.logF3Mean()};
        return new VoiceTarget(pitch.logF0Median(), pitch.logF0Spread(), logFormants, envelope.levelsDb(), 0);
    }
}
