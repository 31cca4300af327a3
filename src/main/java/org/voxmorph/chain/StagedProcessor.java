package org.voxmorph.chain;

import java.util.List;

/**
 * A processor made of stages that can say how its last block went, so that whoever plays its
 * output can stand in for a spoiled block with a privacy-safe fill, and play the input itself only
 * when nothing is converted. A {@link Chain} is one; the live switch between chains is another.
 */
public interface StagedProcessor extends Processor {
    /** Whether a stage failed on the last block: that block is not the output and must not be played. */
    boolean lastBlockFailed();

    /** Whether the voice is changed at all; false only when the user chose to be heard as they are. */
    boolean converts();

    /** One line per stage that failed (to prepare, or while running) and is silent instead. */
    List<String> failures();
}
