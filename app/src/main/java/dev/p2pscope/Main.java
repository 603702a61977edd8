package dev.p2pscope;

import dev.p2pscope.app.WindowOptions;
import dev.p2pscope.cli.P2pCommand;
import dev.p2pscope.core.topology.TopologySource;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/// The one launcher. No arguments (or only window options such as `--sample NAME --screenshot out.png`) opens the
/// explorer window; a subcommand runs the command line headless, without loading any JavaFX class.
public final class Main {

    /// Options that belong to the window rather than to a subcommand: core's source options and the window's own.
    static final Set<String> WINDOW_OPTIONS = Stream.concat(TopologySource.OPTIONS.stream(),
            WindowOptions.OWN_OPTIONS.stream()).collect(Collectors.toUnmodifiableSet());

    private Main() {
    }

    public static void main(String[] args) {
        if (isWindowInvocation(args)) {
            StartTrace.mark("main");
            System.exit(Window.open(args));
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        if (isVersionRequest(args)) {
            // The build's own identity (version, commit, date) rather than the command line's fixed version string.
            out.println(BuildInfo.current().describe());
            System.exit(0);
        }
        prepareSysfs(args);
        try {
            System.exit(P2pCommand.run(args, out, err));
        } catch (Error e) {
            System.exit(P2pCommand.errorExit(e, err));
        }
    }

    /// A command that loads a sysfs directory (`--sysfs DIR`) gets core's file access ready while the command line
    /// is parsed (on a thread of its own; see [dev.p2pscope.core.topology.sysfs.SysfsLoader#prepare]).
    static void prepareSysfs(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = a.equals(TopologySource.SYSFS_OPTION) && i + 1 < args.length ? args[i + 1]
                    : a.startsWith(TopologySource.SYSFS_OPTION + "=") ? a.substring(TopologySource.SYSFS_OPTION.length() + 1)
                    : null;
            if (value == null) continue;
            try {
                dev.p2pscope.core.topology.sysfs.SysfsLoader.prepare(java.nio.file.Path.of(value));
            } catch (RuntimeException e) {
                // an invalid path: the command itself says so
            }
            return;
        }
    }

    /// True when `args` are exactly `--version` or `-V`.
    static boolean isVersionRequest(String[] args) {
        return args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"));
    }

    /// True when `args` ask for the window: nothing at all, or a first argument that is a window option.
    static boolean isWindowInvocation(String[] args) {
        if (args.length == 0) return true;
        String first = args[0];
        int eq = first.indexOf('=');
        return WINDOW_OPTIONS.contains(eq < 0 ? first : first.substring(0, eq));
    }
}
