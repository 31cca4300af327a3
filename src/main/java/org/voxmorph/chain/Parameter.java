package org.voxmorph.chain;

import java.util.List;

/**
 * One typed control of a processor. Any thread may {@link #set} it; the engine worker reads it.
 *
 * <p>A {@link Kind#FLOAT} parameter glides linearly to a new value over its smoothing time, one
 * step per sample, so moving a slider never makes zipper noise and the glide does not depend on
 * the block size. Other kinds change at once.
 */
public final class Parameter {

    public enum Kind { FLOAT, INT, BOOL, CHOICE, TEXT }

    private final String name;
    private final Kind kind;
    private final double min;
    private final double max;
    private final double defaultValue;
    private final String unit;
    private final List<String> choices;
    private final double smoothingMillis;

    private volatile double target;
    private volatile String text = "";

    // Worker-side smoothing state: only the engine worker touches these.
    private double current;
    private double glideTarget;
    private double step;
    private int stepsLeft;
    private int smoothingSamples;

    private Parameter(String name, Kind kind, double min, double max, double defaultValue, String unit,
            List<String> choices, double smoothingMillis) {
        if (!(min <= defaultValue && defaultValue <= max)) {
            throw new IllegalArgumentException(name + ": default " + defaultValue + " outside " + min + ".." + max);
        }
        this.name = name;
        this.kind = kind;
        this.min = min;
        this.max = max;
        this.defaultValue = defaultValue;
        this.unit = unit;
        this.choices = choices;
        this.smoothingMillis = smoothingMillis;
        this.target = defaultValue;
        this.current = defaultValue;
        this.glideTarget = defaultValue;
        this.smoothingSamples = 1;
    }

    /** A continuous value, smoothed over 20 ms. */
    public static Parameter ofFloat(String name, double min, double max, double defaultValue, String unit) {
        return new Parameter(name, Kind.FLOAT, min, max, defaultValue, unit, List.of(), 20.0);
    }

    public static Parameter ofInt(String name, int min, int max, int defaultValue, String unit) {
        return new Parameter(name, Kind.INT, min, max, defaultValue, unit, List.of(), 0);
    }

    public static Parameter ofBool(String name, boolean defaultValue) {
        return new Parameter(name, Kind.BOOL, 0, 1, defaultValue ? 1 : 0, "", List.of(), 0);
    }

    public static Parameter ofChoice(String name, List<String> choices, String defaultChoice) {
        int index = choices.indexOf(defaultChoice);
        if (index < 0) {
            throw new IllegalArgumentException(name + ": default '" + defaultChoice + "' is not one of " + choices);
        }
        return new Parameter(name, Kind.CHOICE, 0, choices.size() - 1, index, "", List.copyOf(choices), 0);
    }

    public String name() { return name; }
    public Kind kind() { return kind; }
    public double min() { return min; }
    public double max() { return max; }
    public double defaultValue() { return defaultValue; }
    public String unit() { return unit; }
    public List<String> choices() { return choices; }

    /** The value most recently set (what the control shows), not the smoothed one. */
    public double target() {
        return target;
    }

    /**
     * Sets a new value from any thread.
     *
     * @throws IllegalArgumentException naming the parameter and its range when the value is outside it
     */
    public void set(double value) {
        if (kind == Kind.TEXT) {
            throw new IllegalArgumentException(name + " takes text, not the number " + value);
        }
        if (Double.isNaN(value) || value < min || value > max) {
            throw new IllegalArgumentException(name + " = " + value + " is outside " + formatRange());
        }
        if (kind == Kind.INT || kind == Kind.CHOICE) {
            value = Math.rint(value);
        } else if (kind == Kind.BOOL) {
            value = value >= 0.5 ? 1 : 0;
        }
        target = value;
    }

    /**
     * A free-text setting such as a model id. Text is read when the processor is prepared, so
     * changing it takes effect on the next {@code prepare}.
     */
    public static Parameter ofText(String name, String defaultValue) {
        Parameter p = new Parameter(name, Kind.TEXT, 0, 0, 0, "", List.of(), 0);
        p.text = defaultValue;
        return p;
    }

    public String text() {
        return text;
    }

    public void setText(String value) {
        if (kind != Kind.TEXT) {
            throw new IllegalArgumentException(name + " takes a number in " + formatRange() + ", not text '" + value + "'");
        }
        text = value == null ? "" : value;
    }

    public void setChoice(String choice) {
        int index = choices.indexOf(choice);
        if (index < 0) {
            throw new IllegalArgumentException(name + " = '" + choice + "' is not one of " + choices);
        }
        set(index);
    }

    public String formatRange() {
        return switch (kind) {
            case BOOL -> "true/false";
            case CHOICE -> choices.toString();
            case TEXT -> "text";
            default -> min + ".." + max + (unit.isEmpty() ? "" : " " + unit);
        };
    }

    /** Worker side: called from {@code prepare} so the glide length follows the sample rate. */
    public void prepare(int sampleRate) {
        smoothingSamples = (int) Math.max(1, Math.round(smoothingMillis * sampleRate / 1000.0));
        jumpToTarget();
    }

    /** Worker side: skips any glide in progress (used on reset, where there is no audio to smooth). */
    public void jumpToTarget() {
        current = target;
        glideTarget = current;
        stepsLeft = 0;
    }

    /** Worker side: the value for the next sample, advancing the glide by one sample. */
    public double next() {
        double t = target;
        if (kind != Kind.FLOAT) {
            current = t;
            return t;
        }
        if (t != glideTarget) {
            // A new target, even mid-glide, starts a fresh glide from where we are: the path stays continuous.
            glideTarget = t;
            stepsLeft = smoothingSamples;
            step = (t - current) / smoothingSamples;
        }
        if (stepsLeft > 0) {
            stepsLeft--;
            current = stepsLeft == 0 ? t : current + step;
        }
        return current;
    }

    /** Worker side: the smoothed value without advancing (for per-frame processors). */
    public double current() {
        return current;
    }

    /**
     * Worker side: advances the glide by {@code samples} at once and returns the value reached.
     * Frame-based processors call this once per internal hop, which keeps them block-size independent.
     */
    public double advance(int samples) {
        double v = current;
        for (int i = 0; i < samples; i++) {
            v = next();
            if (stepsLeft == 0) {
                break;
            }
        }
        return v;
    }

    public boolean asBool() {
        return current >= 0.5;
    }

    public int asInt() {
        return (int) Math.rint(current);
    }

    public String asChoice() {
        return choices.get(asInt());
    }
}
