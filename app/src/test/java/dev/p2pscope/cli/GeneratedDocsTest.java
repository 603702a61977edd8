package dev.p2pscope.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/// The build generates a man page per subcommand and the bash completion with picocli's own generators, pointed
/// at one class in `app/pom.xml`. The generators see only the subcommands that class's annotations declare: when
/// they were pointed at a root whose subcommands are added in code, they wrote one page and a completion script
/// that completes no command, and nothing failed. These tests tie the generators' class to what users run.
class GeneratedDocsTest {

    /// The command classes `app/pom.xml` hands to the generators (the last argument of each execution).
    static List<String> generatorClasses() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<argument>(dev\\.p2pscope\\.[\\w.$]+)</argument>").matcher(pom);
        return m.results().map(r -> r.group(1)).toList();
    }

    @Test
    void theGeneratorsAreGivenEveryCommandTheHelpLists() throws Exception {
        List<String> classes = generatorClasses();
        assertThat(classes).as("man-pages and bash-completion executions").hasSize(2);
        CommandLine full = P2pCommand.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
        for (String name : classes) {
            CommandLine generated = new CommandLine(Class.forName(name));
            assertThat(generated.getCommandName()).isEqualTo("p2pscope");
            assertThat(generated.getSubcommands().keySet())
                    .as("subcommands the generators see through " + name)
                    .containsExactlyElementsOf(full.getSubcommands().keySet())
                    .contains("check", "tree", "matrix", "copy", "generate", "help");
        }
    }

    @Test
    void oneCommandRunsWithTheSameOptionsAsInTheFullModel() {
        // commandLineFor builds only the named subcommand; its options must be those the full model (and so the
        // man page) documents.
        PrintWriter sink = new PrintWriter(new StringWriter());
        CommandLine full = P2pCommand.commandLine(sink, sink);
        for (String name : full.getSubcommands().keySet()) {
            if (name.equals("help")) continue;
            CommandLine one = P2pCommand.commandLineFor(new String[] {name}, sink, sink);
            assertThat(one.getSubcommands().keySet()).containsExactly(name);
            assertThat(one.getSubcommands().get(name).getCommandSpec().optionsMap().keySet())
                    .as(name).isEqualTo(full.getSubcommands().get(name).getCommandSpec().optionsMap().keySet());
        }
    }
}
