package org.voxmorph.voice;

import java.util.List;

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
}
