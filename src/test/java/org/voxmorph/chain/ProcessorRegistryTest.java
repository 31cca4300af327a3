package org.voxmorph.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessorRegistryTest {
    @TempDir
    Path plugins;

    /** A processor that only a plugin jar announces. */
    public static final class Echo implements Processor {
        @Override public void prepare(StreamSpec spec) {}
        @Override public void process(AudioBlock block) {}
        @Override public int latencySamples() { return 0; }
        @Override public ParameterSet parameters() { return ParameterSet.empty(); }

        public static final class Factory implements ProcessorFactory {
            @Override public String id() { return "test-echo"; }
            @Override public String description() { return "test plugin"; }
            @Override public Processor create() { return new Echo(); }
        }
    }

    @Test
    void builtInProcessorsAreFoundThroughServiceLoader() {
        ProcessorRegistry r = ProcessorRegistry.builtIn();
        assertTrue(r.has("gain"));
        for (ProcessorFactory f : r.all()) {
            assertFalse(f.description().isBlank(), f.id() + " has a description");
            assertTrue(f.id().matches("[a-z0-9-]+"), f.id());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.get("warp"));
        assertTrue(e.getMessage().startsWith("unknown processor 'warp'; known: "), e.getMessage());
    }

    @Test
    void aJarInThePluginsFolderAddsProcessors() throws Exception {
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(plugins.resolve("echo.jar")))) {
            jar.putNextEntry(new JarEntry("META-INF/services/" + ProcessorFactory.class.getName()));
            jar.write((Echo.Factory.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            for (Class<?> c : new Class<?>[] {Echo.class, Echo.Factory.class}) {
                String name = c.getName().replace('.', '/') + ".class";
                jar.putNextEntry(new JarEntry(name));
                try (InputStream in = c.getClassLoader().getResourceAsStream(name)) {
                    in.transferTo(jar);
                }
            }
        }
        assertFalse(ProcessorRegistry.builtIn().has("test-echo"));
        ProcessorRegistry withPlugins = ProcessorRegistry.withPlugins(plugins);
        assertTrue(withPlugins.has("test-echo"));
        assertTrue(withPlugins.has("gain"));
        assertEquals("test plugin", withPlugins.get("test-echo").description());
    }
}
