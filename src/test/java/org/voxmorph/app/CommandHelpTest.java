package org.voxmorph.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command answers --help and -h, README's command table names exactly the commands there are, and every hint names one. */
class CommandHelpTest {
    private static final CommandLine ROOT = new CommandLine(new Main());

    /** "convert", "virtual-mic create", ...: every command path below the root. */
    private static List<String> commandPaths(CommandLine cl, String prefix, List<String> into) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            String path = (prefix + " " + sub.getCommandName()).strip();
            into.add(path);
            commandPaths(sub, path, into);
        }
        return into;
    }

    private static final List<String> PATHS = commandPaths(ROOT, "", new ArrayList<>());

    @Test
    void everyCommandAndSubcommandTakesHelp() {
        assertTrue(PATHS.contains("watermark detect") && PATHS.contains("live") && PATHS.contains("devices"), PATHS.toString());
        for (String path : PATHS) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(List.of(path.split(" ")));
                args.add(flag);
                CliTest.Run r = CliTest.run(args.toArray(String[]::new));
                assertEquals(0, r.code(), path + " " + flag + ": " + r.err());
                assertTrue(r.out().startsWith("Usage: voxmorph " + path), path + " " + flag + ":\n" + r.out());
            }
        }
        assertEquals(0, CliTest.run("--help").code());
    }

    @Test
    void readmeCommandTableNamesExactlyTheCommandsThereAre() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        int start = readme.indexOf("| command | what it does |");
        assertTrue(start >= 0, "README has the command table");
        Set<String> inTable = new TreeSet<>();
        for (String row : readme.substring(start).lines().skip(2).takeWhile(l -> l.startsWith("|")).toList()) {
            Matcher m = Pattern.compile("`\\./voxmorph ([a-z-]+)").matcher(row);
            while (m.find()) {
                inTable.add(m.group(1));
            }
        }
        Set<String> top = new TreeSet<>(ROOT.getSubcommands().keySet());
        assertEquals(top, inTable, "README's command table and the CLI");
    }

    @Test
    void aWrongOptionPointsAtTheHelpOfTheCommandItWasGivenTo() {
        assertTrue(CliTest.run("watermark").err().contains("(see: voxmorph watermark --help)"), CliTest.run("watermark").err());
        assertTrue(CliTest.run("watermark", "detect", "--nope").err().contains("(see: voxmorph watermark detect --help)"));
        assertTrue(CliTest.run("--nope").err().contains("(see: voxmorph --help)"), CliTest.run("--nope").err());
    }

    /** "see: voxmorph X Y --help", "use: voxmorph X": whatever a message or README tells the user to run exists. */
    @Test
    void everyHintNamesACommandThatExists() throws IOException {
        Pattern hint = Pattern.compile("voxmorph((?: [a-z][a-z-]*)+)");
        List<String> wrong = new ArrayList<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            sources = files.filter(f -> f.toString().endsWith(".java")).toList();
        }
        int hints = 0;
        for (Path f : sources) {
            for (String line : Files.readAllLines(f)) {
                Matcher m = hint.matcher(line);
                while (m.find()) {
                    // A hint in a message: "(see: voxmorph devices)", "(voxmorph voice enroll)", "until: voxmorph ...".
                    String before = line.substring(Math.max(0, m.start() - 2), m.start());
                    if (line.strip().startsWith("*") || line.strip().startsWith("//")
                            || !(before.equals(": ") || before.endsWith("("))) {
                        continue;
                    }
                    hints++;
                    if (!commandExists(m.group(1).strip())) {
                        wrong.add(f.getFileName() + ": voxmorph" + m.group(1));
                    }
                }
            }
        }
        assertTrue(hints > 10, "found the hints: " + hints);
        assertTrue(wrong.isEmpty(), "hints naming no command: " + wrong);
    }

    /** The longest prefix of the words that walks down the command tree must be at least one command. */
    private static boolean commandExists(String words) {
        CommandLine at = ROOT;
        boolean any = false;
        for (String w : words.split(" ")) {
            CommandLine next = at.getSubcommands().get(w);
            if (next == null) {
                // Words after a command are its arguments ("voice list", "session pid" are not commands).
                return any;
            }
            at = next;
            any = true;
        }
        return any;
    }
}
