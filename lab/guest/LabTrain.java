import dev.p2pscope.cli.P2pCommand;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/// The lab's AOT training run: runs each line of a file as one `p2pscope` command line, in one JVM, so that one
/// JDK 25 AOT cache (-XX:AOTCacheOutput) holds the classes and profiles of every command the scenarios use.
/// Lines are split on spaces; blank lines and lines starting with # are skipped. Output is discarded; a command that
/// fails is reported, since a training run that fails early trains little.
public final class LabTrain {
    private LabTrain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        int failed = 0;
        for (String line : lines) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) continue;
            StringWriter text = new StringWriter();
            int code = P2pCommand.run(l.split(" +"), new PrintWriter(text), new PrintWriter(text));
            System.out.printf("train: exit %d  p2pscope %s%n", code, l);
            if (code != 0) {
                failed++;
                System.out.print(text);
            }
        }
        if (failed > 0) System.exit(1);
    }
}
