package org.voxmorph.chain;

/**
 * Service-provider entry for one kind of processor. Implementations are listed in
 * {@code META-INF/services/org.voxmorph.chain.ProcessorFactory}; a jar in the plugins folder can
 * add more.
 */
public interface ProcessorFactory {

    /** The id presets use, lower-case with dashes, e.g. {@code pitch-shift}. */
    String id();

    /** One line for {@code voxmorph presets} and the panel. */
    String description();

    /** A new, unprepared processor with default parameter values. */
    Processor create();
}
