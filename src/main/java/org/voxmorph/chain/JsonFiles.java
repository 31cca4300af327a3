package org.voxmorph.chain;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the small JSON files users hand us (presets, model manifests) with limits, so a hostile or
 * broken file gets a one-line refusal instead of a crash: the size is checked before reading, and
 * nesting, strings and numbers are bounded while parsing.
 */
public final class JsonFiles {
    /** Deeper than any preset or manifest needs (they nest 4 levels); each level costs parser stack. */
    public static final int MAX_DEPTH = 32;
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_DEPTH).maxStringLength(1 << 20).maxNumberLength(100).build())
            .build());

    /** Why a file could not be read; the message names the file. */
    public static final class Unreadable extends Exception {
        private final boolean missing;

        Unreadable(String message, boolean missing) {
            super(message);
            this.missing = missing;
        }

        /** The file is not there at all (callers often have a better line for that). */
        public boolean missing() {
            return missing;
        }
    }

    private JsonFiles() {}

    /**
     * @param maxBytes the largest file accepted, named in the refusal with {@code what} ("a preset")
     */
    public static JsonNode read(Path file, long maxBytes, String what) throws Unreadable {
        try {
            if (!Files.exists(file)) {
                throw new Unreadable(file + ": no such file", true);
            }
            if (!Files.isRegularFile(file)) {
                throw new Unreadable(file + ": is not a regular file", false);
            }
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new Unreadable(file + ": " + size + " bytes is too big for " + what + " (at most " + maxBytes + ")", false);
            }
            return JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new Unreadable(file + ": no such file", true);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ": ";
            String why = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
            why = why.replaceAll("\\(start marker at \\[Source: .*?; line: (\\d+), column: (\\d+)\\]\\)", "(opened at line $1, column $2)");
            if (e instanceof StreamConstraintsException) {
                // Jackson names its own API in these; the user needs the limit and the reason.
                why = why.replaceAll(", from `[^`]*`", "") + "; more than " + what + " ever needs";
            }
            int nl = why.indexOf('\n');
            throw new Unreadable(file + ": not valid JSON (" + where + (nl < 0 ? why : why.substring(0, nl)) + ")", false);
        } catch (IOException e) {
            throw new Unreadable(file + ": cannot read (" + e.getMessage() + ")", false);
        }
    }
}
