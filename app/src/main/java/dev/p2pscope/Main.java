package dev.p2pscope;

import dev.p2pscope.cli.P2pCommand;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/// The one launcher. No arguments (or only window options such as `--sample NAME --screenshot out.png`) opens the
/// explorer window; a subcommand runs the command line headless, without loading any JavaFX class.
public final class Main {

    /// Options that belong to the window rather than to a subcommand.
    static final Set<String> WINDOW_OPTIONS = Set.of("--topology", "--sysfs", "--lspci", "--sample", "--select",
            "--screenshot", "--bench-render", "--theme");

    private Main() {
    }

    public static void main(String[] args) {
        if (isWindowInvocation(args)) {
            System.exit(Window.open(args));
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        try {
            System.exit(P2pCommand.run(args, out, err));
        } catch (Error e) {
            System.exit(P2pCommand.errorExit(e, err));
        }
    }

    /// True when `args` ask for the window: nothing at all, or a first argument that is a window option.
    static boolean isWindowInvocation(String[] args) {
        if (args.length == 0) return true;
        String first = args[0];
        int eq = first.indexOf('=');
        return WINDOW_OPTIONS.contains(eq < 0 ? first : first.substring(0, eq));
    }
}
