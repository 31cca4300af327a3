package org.voxmorph.device;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.voxmorph.audio.AudioDeviceException;

/**
 * Runs {@code pactl}, the PulseAudio command-line client. PipeWire serves the same protocol through
 * pipewire-pulse, so one client covers both servers.
 */
final class Pactl {
    static final String NO_SERVER = "no PulseAudio/PipeWire server is running: start it or use --output DEV";
    static final String NOT_INSTALLED =
            "pactl is not installed: install pulseaudio-utils (PulseAudio and PipeWire alike) or use --output DEV";
    private static final long TIMEOUT_SECONDS = 10;
    /** index TAB name TAB arguments [TAB usage count] */
    private static final Pattern MODULE_LINE = Pattern.compile("(\\d+)\t([^\t]*)(?:\t([^\t]*).*)?");

    /** One line of {@code pactl list short modules}. */
    record Module(int index, String name, String arguments) {}

    /** The server's name and version as it introduces itself, e.g. "PulseAudio (on PipeWire 1.0.5)". */
    String serverName() throws AudioDeviceException {
        String info = run("info");
        String name = field(info, "Server Name:");
        String version = field(info, "Server Version:");
        // PipeWire names its own version in the name; its "Server Version" is the protocol level it mimics
        return name.contains("PipeWire") || version.isEmpty() ? name : name + " " + version;
    }

    List<Module> modules() throws AudioDeviceException {
        return parseModules(run("list", "short", "modules"));
    }

    /** PipeWire lists its own modules with multi-line arguments: those lines belong to the module above. */
    static List<Module> parseModules(String shortList) {
        List<Module> modules = new ArrayList<>();
        for (String line : shortList.split("\n")) {
            Matcher m = MODULE_LINE.matcher(line);
            if (m.matches()) {
                modules.add(new Module(Integer.parseInt(m.group(1)), m.group(2), m.group(3) == null ? "" : m.group(3)));
            } else if (!modules.isEmpty()) {
                Module last = modules.remove(modules.size() - 1);
                modules.add(new Module(last.index(), last.name(), last.arguments() + "\n" + line));
            }
        }
        return modules;
    }

    /** Names of all sources, e.g. {@code voxmorph_mic}, {@code voxmorph_sink.monitor}. */
    List<String> sourceNames() throws AudioDeviceException {
        List<String> names = new ArrayList<>();
        for (String line : run("list", "short", "sources").split("\n")) {
            String[] cols = line.split("\t");
            if (cols.length >= 2) {
                names.add(cols[1]);
            }
        }
        return names;
    }

    /** {@code pactl subscribe}: one line per server event until destroyed. */
    Process subscribe() throws AudioDeviceException {
        try {
            return new ProcessBuilder("pactl", "subscribe").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new AudioDeviceException(NOT_INSTALLED);
        }
    }

    int loadModule(String name, String arguments) throws AudioDeviceException {
        String out = run("load-module", name, arguments).trim();
        try {
            return Integer.parseInt(out);
        } catch (NumberFormatException e) {
            throw new AudioDeviceException("pactl load-module " + name + " answered '" + out + "' instead of a module index");
        }
    }

    /** A module already gone is fine: PulseAudio unloads a remap source by itself when its master goes. */
    void unloadModule(int index) throws AudioDeviceException {
        try {
            run("unload-module", Integer.toString(index));
        } catch (AudioDeviceException e) {
            if (!e.getMessage().contains("No such entity")) {
                throw e;
            }
        }
    }

    /** Runs pactl with the C locale (its output is parsed) and returns what it printed. */
    String run(String... args) throws AudioDeviceException {
        List<String> command = new ArrayList<>(List.of("pactl"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("LC_ALL", "C");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AudioDeviceException(NOT_INSTALLED, e);
        }
        try {
            process.getOutputStream().close();
            // stderr is drained on its own thread so a chatty pactl can never block on a full pipe
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
            String out = readAll(process.getInputStream());
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AudioDeviceException("pactl " + args[0] + " did not answer within " + TIMEOUT_SECONDS
                        + " s: the PulseAudio/PipeWire server is hung; restart it or use --output DEV");
            }
            if (process.exitValue() != 0) {
                throw failure(args, err.join());
            }
            return out;
        } catch (IOException e) {
            throw new AudioDeviceException("pactl " + args[0] + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new AudioDeviceException("interrupted while waiting for pactl " + args[0], e);
        }
    }

    private static AudioDeviceException failure(String[] args, String stderr) {
        String why = stderr.strip().replace('\n', ' ');
        if (args[0].equals("info") || why.contains("Connection failure") || why.contains("Connection refused")) {
            return new AudioDeviceException(NO_SERVER);
        }
        return new AudioDeviceException("pactl " + String.join(" ", args) + ": " + (why.isEmpty() ? "failed" : why));
    }

    private static String field(String text, String key) {
        for (String line : text.split("\n")) {
            if (line.startsWith(key)) {
                return line.substring(key.length()).trim();
            }
        }
        return "";
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
