package org.voxmorph.chain;

import java.util.List;

/**
 * An ordered list of processors run one after another, each in a {@link Slot} that can bypass it
 * without a click. The chain's latency is the sum of its processors'. A chain is itself a
 * processor, so whatever runs one processor (the engine, a chain switch) runs a chain.
 */
public final class Chain implements Processor {
    private final ParameterSet noParameters = ParameterSet.empty();
    private final List<Slot> slots;
    private final String name;

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

    /** Runs every processor on the block in place. Real-time safe. */
    @Override
    public void process(AudioBlock block) {
        for (int i = 0; i < slots.size(); i++) {
            slots.get(i).process(block);
        }
    }

    /** One line per processor that failed to prepare and is passing audio through instead. */
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
