package org.voxmorph.voice;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * Proof that the person whose voice is enrolled agreed to it: either the sha256 of a recorded
 * consent clip ({@code kind = "audio"}) or the typed statement ({@code kind = "text"}), with the
 * UTC date it was given to Voxmorph.
 */
public record ConsentRecord(String kind, String sha256, String statement, String date) {
    private static final int MIN_STATEMENT_CHARS = 20;
    private static final int MIN_STATEMENT_WORDS = 5;

    public static ConsentRecord ofAudio(String sha256) {
        return new ConsentRecord("audio", sha256, null, now());
    }

    /** A typed statement; refused unless it says, in a sentence, that someone consents. */
    public static ConsentRecord ofText(String statement) {
        String s = statement == null ? "" : statement.strip();
        if (s.length() < MIN_STATEMENT_CHARS || s.split("\\s+").length < MIN_STATEMENT_WORDS
                || !s.toLowerCase(Locale.ROOT).contains("consent")) {
            throw new VoiceException("--consent-text must be a statement of at least " + MIN_STATEMENT_WORDS
                    + " words that names the consent, e.g. \"I, Jane Doe, consent to Alex using my voice in Voxmorph\"");
        }
        return new ConsentRecord("text", null, s, now());
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
