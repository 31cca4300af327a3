package org.voxmorph.chain;

/**
 * The plugin contract. A processor is prepared once, then called with blocks on the engine worker.
 *
 * <p>{@link #process} runs in the real-time path: it must not allocate, lock, log or do I/O. The
 * output must not depend on how the input is cut into blocks: a processor that works in frames
 * keeps its own FIFO with its own fixed hop and declares the delay that costs in
 * {@link #latencySamples}.
 */
public interface Processor extends AutoCloseable {

    /** Allocates everything {@link #process} needs. Called before the first block and on rate change. */
    void prepare(StreamSpec spec);

    /** Processes {@code block.frames()} samples in place. */
    void process(AudioBlock block);

    /** How many samples this processor delays the signal by, valid after {@link #prepare}. */
    int latencySamples();

    /** The processor's live controls; the same object for the processor's whole life. */
    ParameterSet parameters();

    /** Forgets all signal history (filters, FIFOs) as if freshly prepared. */
    default void reset() {}

    @Override
    default void close() {}
}
