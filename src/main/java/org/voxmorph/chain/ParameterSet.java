package org.voxmorph.chain;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A processor's named controls, in declaration order. */
public final class ParameterSet {
    private final Map<String, Parameter> byName = new LinkedHashMap<>();

    public ParameterSet(Parameter... parameters) {
        for (Parameter p : parameters) {
            if (byName.put(p.name(), p) != null) {
                throw new IllegalArgumentException("duplicate parameter " + p.name());
            }
        }
    }

    public static ParameterSet empty() {
        return new ParameterSet();
    }

    /** @throws IllegalArgumentException listing the known names when there is no such parameter */
    public Parameter get(String name) {
        Parameter p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown parameter '" + name + "'"
                    + (byName.isEmpty() ? " (this processor has none)" : "; known: " + String.join(", ", byName.keySet())));
        }
        return p;
    }

    public boolean has(String name) {
        return byName.containsKey(name);
    }

    public Collection<Parameter> all() {
        return Collections.unmodifiableCollection(byName.values());
    }

    /** Worker side: called from {@code prepare}. */
    public void prepare(int sampleRate) {
        for (Parameter p : byName.values()) {
            p.prepare(sampleRate);
        }
    }

    /** Worker side: ends every glide at once. */
    public void jumpToTargets() {
        for (Parameter p : byName.values()) {
            p.jumpToTarget();
        }
    }
}
