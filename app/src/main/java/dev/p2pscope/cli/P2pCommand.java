package dev.p2pscope.cli;

import dev.p2pscope.core.text.NoticeText;
import dev.p2pscope.core.topology.TopologyLoadException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/// The root command. Subcommands run headless and never touch JavaFX.
@Command(name = "p2pscope", mixinStandardHelpOptions = true, version = "p2pscope 0.1.0",
        description = {"Explore Linux PCIe peer-to-peer DMA (P2PDMA): load a PCI tree, and see what the kernel "
                + "decides for any pair of devices, and why.", "",
                "Without a command, p2pscope opens the explorer window."},
        footer = {"", "Exit codes: 0 success, 1 internal error, 2 usage error, 3 bad input, 4 live operation refused.",
                "Examples:",
                "  p2pscope samples",
                "  p2pscope check --sample qemu-q35-switch-cmb --provider 0000:03:00.0 --client 0000:05:00.0",
                "  p2pscope matrix --sample hgx-8gpu-8nic",
                "  p2pscope check --sample amd-epyc-rome --provider 01:00.0 --client 21:00.0 --cpu AuthenticAMD:0x15"})
public class P2pCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /// The root command with every subcommand, in the order usage lists them: what `p2pscope --help`, `help COMMAND`
    /// and a misspelt command run on, and what the build's man page and completion generators are pointed at
    /// (`app/pom.xml`: they read this annotation; its name, description and footer come from [P2pCommand]'s, which
    /// picocli merges down the class hierarchy). A run of one command builds only that command's model
    /// ([#commandLineFor]): picocli builds every registered command's model up front, which took ~750 ms of
    /// `check`'s start with all twelve against ~420 ms with `check` alone.
    @Command(subcommands = {CheckCommand.class, ExportCommand.class, FindProviderCommand.class, MatrixCommand.class,
            SamplesCommand.class, SglCommand.class, SnapshotCommand.class, TreeCommand.class, BenchCommand.class,
            CopyCommand.class, GenerateCommand.class, CommandLine.HelpCommand.class})
    public static final class AllCommands extends P2pCommand {
    }

    /// The subcommands of [AllCommands], in its order.
    private static final java.util.List<Class<?>> SUBCOMMANDS =
            java.util.List.of(AllCommands.class.getAnnotation(Command.class).subcommands());

    /// A configured command line writing to `out` and `err`, with every subcommand (for usage, `help COMMAND`,
    /// completion and man pages).
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return configure(new CommandLine(new AllCommands()), out, err);
    }

    /// The command line that runs `args`: only the subcommand `args[0]` names when it names one (other than
    /// `help`, which needs them all), else all of them (usage, a misspelt command and its suggestions).
    static CommandLine commandLineFor(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length > 0) {
            for (Class<?> c : SUBCOMMANDS) {
                Command a = c.getAnnotation(Command.class);
                if (c != CommandLine.HelpCommand.class && a != null && a.name().equals(args[0])) {
                    CommandLine cl = new CommandLine(new P2pCommand());
                    cl.addSubcommand(c);
                    return configure(cl, out, err);
                }
            }
        }
        return commandLine(out, err);
    }

    private static CommandLine configure(CommandLine cl, PrintWriter out, PrintWriter err) {
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            PrintWriter e = line.getErr();
            int code = switch (ex) {
                case TopologyLoadException t -> {
                    NoticeText.problems(t.problems()).forEach(e::println);
                    yield ExitCodes.BAD_INPUT;
                }
                case CliException c -> {
                    e.println("p2pscope " + line.getCommandName() + ": " + c.getMessage());
                    yield c.exitCode();
                }
                default -> {
                    e.println("p2pscope " + line.getCommandName() + ": internal error: " + ex);
                    StackTraceElement[] st = ex.getStackTrace();
                    if (st.length > 0) e.println("  at " + st[0]);
                    e.println("  please report this with the command line that caused it");
                    yield ExitCodes.INTERNAL;
                }
            };
            e.flush();
            return code;
        });
        return cl;
    }

    /// Runs `args` and returns the exit code.
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        int code;
        try {
            code = commandLineFor(args, out, err).execute(args);
        } catch (Error e) {
            // picocli's handler sees exceptions only; an Error (a stack or heap exhausted by some input) still
            // ends in one line and an exit code, never a stack trace.
            code = errorExit(e, err);
        }
        out.flush();
        err.flush();
        return code;
    }

    /// One line for an [Error] that escaped everything else, and its exit code: 3 (bad input) for a stack or heap
    /// exhausted — what a hostile input does — else 1.
    public static int errorExit(Error e, PrintWriter err) {
        boolean input = e instanceof StackOverflowError || e instanceof OutOfMemoryError;
        err.println("p2pscope: " + (input ? "the input is too large or too deeply nested to process ("
                + e.getClass().getSimpleName() + ")" : "internal error: " + e.getClass().getName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "; please report this"));
        err.flush();
        return input ? ExitCodes.BAD_INPUT : ExitCodes.INTERNAL;
    }
}
