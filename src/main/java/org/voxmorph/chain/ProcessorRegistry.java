package org.voxmorph.chain;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Every processor kind we can build, found through {@link ServiceLoader}. */
public final class ProcessorRegistry {
    private final Map<String, ProcessorFactory> factories = new TreeMap<>();

    private ProcessorRegistry(ClassLoader loader) {
        for (ProcessorFactory f : ServiceLoader.load(ProcessorFactory.class, loader)) {
            factories.putIfAbsent(f.id(), f);
        }
    }

    /** The processors built into Voxmorph. */
    public static ProcessorRegistry builtIn() {
        return new ProcessorRegistry(ProcessorRegistry.class.getClassLoader());
    }

    /** Built-in processors plus those in every jar directly inside {@code pluginsDir}, if it exists. */
    public static ProcessorRegistry withPlugins(Path pluginsDir) throws IOException {
        if (!Files.isDirectory(pluginsDir)) {
            return builtIn();
        }
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(pluginsDir)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".jar")).sorted()::iterator) {
                try {
                    jars.add(p.toUri().toURL());
                } catch (MalformedURLException e) {
                    throw new IOException(p + ": not a loadable jar path", e);
                }
            }
        }
        ClassLoader loader = new URLClassLoader(jars.toArray(URL[]::new), ProcessorRegistry.class.getClassLoader());
        return new ProcessorRegistry(loader);
    }

    public boolean has(String id) {
        return factories.containsKey(id);
    }

    /** @throws IllegalArgumentException listing the known ids when there is no such processor */
    public ProcessorFactory get(String id) {
        ProcessorFactory f = factories.get(id);
        if (f == null) {
            throw new IllegalArgumentException("unknown processor '" + id + "'; known: " + String.join(", ", factories.keySet()));
        }
        return f;
    }

    public Collection<ProcessorFactory> all() {
        return factories.values();
    }
}
