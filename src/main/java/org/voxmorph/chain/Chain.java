package org.voxmorph.chain;

import java.util.List;

/**
 * An ordered list of processors run one after another, each in a {@link Slot} that can bypass it
 * without a click. The chain's latency is the sum of its processors'. A chain is itself a
 * processor, so whatever runs one processor (the engine, a chain switch) runs a chain.
 */
public final class Chain implements StagedProcessor {
    private final ParameterSet noParameters = ParameterSet.empty();
    private final List<Slot> slots;
    private final String name;
    private volatile boolean lastBlockFailed;
    private volatile long failedBlocks;

    public Chain(String name, List<Processor> processors, List<String> ids) {
        this.name = name;
        if (processors.size() != ids.size()) {
            throw new IllegalArgumentException("one id per processor");
        }
        Slot[] s = new Slot[processors.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = new Slot(ids.get(i), processors.get(i));
        }
        this.slots = List.of(s);
    }

    public String name() {
        return name;
    }

    public List<Slot> slots() {
        return slots;
    }

    @Override
    public void prepare(StreamSpec spec) {
        for (Slot s : slots) {
            s.prepare(spec);
        }
    }

    /**
     * Runs every processor on the block in place. Real-time safe. When a processor has failed the
     * block is not the chain's output ({@link #lastBlockFailed}); it is zeroed, never left dry.
     */
    @Override
    public void process(AudioBlock block) {
        boolean ok = true;
        for (int i = 0; i < slots.size(); i++) {
            ok &= slots.get(i).process(block);
        }
        lastBlockFailed = !ok;
        if (!ok) {
            failedBlocks++;
        }
    }

    @Override
    public boolean lastBlockFailed() {
        return lastBlockFailed;
    }

    /** Blocks a failed processor spoiled since the chain was made. */
    public long failedBlocks() {
        return failedBlocks;
    }

    /**
     * False for an empty chain (the passthrough preset) or when every stage is bypassed, the only
     * times the unconverted input may be played.
     */
    @Override
    public boolean converts() {
        for (int i = 0; i < slots.size(); i++) {
            if (!slots.get(i).isBypassed()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public List<String> failures() {
        return slots.stream().map(Slot::failure).filter(f -> f != null).toList();
    }

    @Override
    public int latencySamples() {
        int sum = 0;
        for (Slot s : slots) {
            sum += s.latencySamples();
        }
        return sum;
    }

    @Override
    public void reset() {
        for (Slot s : slots) {
            s.reset();
        }
    }

    /** A chain's controls are its processors' own, in {@link #slots}. */
    @Override
    public ParameterSet parameters() {
        return noParameters;
    }

    /** The first slot whose processor has a parameter of this name, or null. */
    public Slot findSlotWith(String parameter) {
        for (Slot s : slots) {
            if (s.processor().parameters().has(parameter)) {
                return s;
            }
        }
        return null;
    }

    /** Every slot bypassed (crossfaded to its delayed dry signal) or all back in. */
    public void setBypassAll(boolean bypass) {
        for (Slot s : slots) {
            s.setBypassed(bypass);
        }
    }

    @Override
    public void close() {
        for (Slot s : slots) {
            s.processor().close();
        }
    }
}
