package org.voxmorph.chain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A named processor chain with parameter values, as stored in {@code presets/NAME.json}:
 * <pre>{"name": "deep", "description": "...", "chain": [{"processor": "pitch-shift", "params": {"semitones": -4}}]}</pre>
 * Parameter values are numbers, booleans, or strings (for choice and text parameters).
 */
public record Preset(String name, String description, List<Step> chain, String source) {

    public record Step(String processor, Map<String, Object> params) {
        public Step {
            params = new LinkedHashMap<>(params);
        }
    }

    public Preset {
        chain = List.copyOf(chain);
    }

    /** A copy with one more step at the front (used when a CLI option needs a processor the preset lacks). */
    public Preset withStepFirst(Step step) {
        List<Step> steps = new ArrayList<>();
        steps.add(step);
        steps.addAll(chain);
        return new Preset(name, description, steps, source);
    }

    /**
     * A copy that marks its output with the Voxmorph watermark: just before a final limiter (so
     * peaks stay under its ceiling), else last. A chain that does nothing (passthrough) stays
     * unmarked, since it converts nothing.
     *
     * @param voiceId the voice id to embed, or -1 for none (the default: a privacy user's id must not leak)
     */
    public Preset withWatermark(int voiceId) {
        if (chain.isEmpty() || chain.stream().anyMatch(s -> s.processor().equals(WATERMARK))) {
            return this;
        }
        Map<String, Object> params = voiceId >= 0 ? Map.of("voiceId", (double) voiceId) : Map.of();
        List<Step> steps = new ArrayList<>(chain);
        int at = steps.get(steps.size() - 1).processor().equals("limiter") ? steps.size() - 1 : steps.size();
        steps.add(at, new Step(WATERMARK, params));
        return new Preset(name, description, steps, source);
    }

    private static final String WATERMARK = "watermark";

    /** Builds, configures and returns a fresh chain; the caller prepares it. */
    public Chain build(ProcessorRegistry registry) throws PresetException {
        List<Processor> processors = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < chain.size(); i++) {
                Step step = chain.get(i);
                ProcessorFactory factory;
                try {
                    factory = registry.get(step.processor());
                } catch (IllegalArgumentException e) {
                    throw new PresetException(source + ": chain[" + i + "]: " + e.getMessage());
                }
                Processor p = factory.create();
                processors.add(p);
                ids.add(step.processor());
                for (Map.Entry<String, Object> e : step.params().entrySet()) {
                    try {
                        apply(p.parameters().get(e.getKey()), e.getValue());
                    } catch (IllegalArgumentException ex) {
                        throw new PresetException(source + ": " + step.processor() + ": " + ex.getMessage());
                    }
                }
            }
        } catch (PresetException e) {
            processors.forEach(Processor::close);
            throw e;
        }
        return new Chain(name, processors, ids);
    }

    /** Sets a parameter from a JSON value. */
    public static void apply(Parameter p, Object value) {
        switch (p.kind()) {
            case TEXT -> {
                if (!(value instanceof String s)) {
                    throw new IllegalArgumentException(p.name() + " takes text, not " + value);
                }
                p.setText(s);
            }
            case CHOICE -> {
                if (!(value instanceof String s)) {
                    throw new IllegalArgumentException(p.name() + " takes one of " + p.choices() + ", not " + value);
                }
                p.setChoice(s);
            }
            case BOOL -> {
                if (!(value instanceof Boolean b)) {
                    throw new IllegalArgumentException(p.name() + " takes true or false, not " + value);
                }
                p.set(b ? 1 : 0);
            }
            default -> {
                if (!(value instanceof Number n)) {
                    throw new IllegalArgumentException(p.name() + " takes a number in " + p.formatRange() + ", not " + value);
                }
                p.set(n.doubleValue());
            }
        }
    }
}
