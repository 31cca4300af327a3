package org.voxmorph.app;

import picocli.CommandLine.Option;

/** The engine hop: --block FRAMES, or 10 ms at the stream's rate when not given. */
public final class BlockOption {
    public static final int MIN = 32;
    public static final int MAX = 4096;

    @Option(names = "--block", paramLabel = "FRAMES", description = "Engine hop in frames, 32..4096 (default: 10 ms)")
    Integer block;

    public int framesFor(int sampleRate) {
        if (block == null) {
            return Math.max(MIN, sampleRate / 100);
        }
        if (block < MIN || block > MAX) {
            throw new CliError("--block " + block + " is outside " + MIN + ".." + MAX + " frames");
        }
        return block;
    }
}
