package org.voxmorph.device;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Properties;

/**
 * What a process loaded for the virtual microphone (owner token and module indices), kept in the
 * user's runtime folder so that a crashed session leaves a record the next start finds.
 */
final class StateFile {
    record Entry(Owner owner, int sinkModule, int sourceModule) {}

    private final Path path;

    StateFile(Path path) {
        this.path = path;
    }

    /** $XDG_RUNTIME_DIR/voxmorph (emptied at logout, like the server's modules) or ~/.local/state/voxmorph. */
    static Path defaultPath() {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        Path dir = runtime != null && !runtime.isBlank() ? Path.of(runtime, "voxmorph")
                : Path.of(System.getProperty("user.home"), ".local", "state", "voxmorph");
        return dir.resolve("virtual-mic.properties");
    }

    /**
     * Holds off other processes changing the microphone until closed, so that two sessions starting
     * at once do not both create it. Where the folder cannot be written or locked, there is no lock.
     */
    Closeable lock() {
        try {
            Files.createDirectories(path.getParent());
            FileChannel channel = FileChannel.open(path.resolveSibling("virtual-mic.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            try {
                channel.lock(); // closing the channel releases it
                return channel;
            } catch (IOException e) {
                channel.close();
            }
        } catch (IOException e) {
            // fall through: without a lock, two simultaneous starts may both create; nothing worse
        }
        return () -> {};
    }

    void write(Entry entry) {
        Properties p = new Properties();
        p.setProperty("owner", entry.owner().token());
        p.setProperty("sinkModule", Integer.toString(entry.sinkModule()));
        p.setProperty("sourceModule", Integer.toString(entry.sourceModule()));
        try {
            Files.createDirectories(path.getParent());
            Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp)) {
                p.store(w, "Voxmorph virtual microphone: modules loaded by this owner");
            }
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // the modules carry their owner in their own arguments, so cleanup still works without the file
        }
    }

    /** Empty when there is no record or it cannot be understood. */
    Optional<Entry> read() {
        if (!Files.isRegularFile(path)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(path)) {
            p.load(r);
            Optional<Owner> owner = Owner.parse(p.getProperty("owner", ""));
            return owner.map(o -> new Entry(o, Integer.parseInt(p.getProperty("sinkModule", "-1")),
                    Integer.parseInt(p.getProperty("sourceModule", "-1"))));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // a stale record is recognised as stale by its dead owner next time
        }
    }
}
