package dev.p2pscope.app;

import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.topology.TopologySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/// The window's command-line options: at most one source (the same `--sample`, `--topology`, `--sysfs`, `--lspci`
/// as the commands, read into core's [TopologySource]; null for "this host, else the first sample"), an optional pair
/// to select, the tab to show first, and the headless modes (`--screenshot FILE` renders to PNG and exits;
/// `--bench-render` measures frames and exits).
public record WindowOptions(TopologySource source, PciAddress selectProvider, PciAddress selectClient,
                            Path screenshot, boolean benchRender, String theme, String tab) {

    /// The options the window takes besides the source options.
    public static final List<String> OWN_OPTIONS = List.of("--select", "--screenshot", "--bench-render", "--theme",
            "--tab");

    /// The window's tabs, in order: what `--tab` accepts (case-insensitive).
    public static final List<String> TABS = List.of("Verdict", "Inspector", "Matrix", "What-if", "SGL", "Host", "Live",
            "Lesson", "Notices");
    /// The themes `--theme` accepts.
    public static final List<String> THEMES = List.of("light", "dark");

    /// Parses window options (both `--opt value` and `--opt=value`) and checks every value that can be checked
    /// before the topology is loaded, with the command line's wording (a usage error, exit code 2).
    ///
    /// @throws IllegalArgumentException with a readable message for anything else
    public static WindowOptions parse(String[] args) {
        TopologySource source = null;
        PciAddress p = null;
        PciAddress c = null;
        Path shot = null;
        boolean bench = false;
        String theme = null;
        String tab = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            if (a.equals("--bench-render")) {
                bench = true;
                continue;
            }
            if (!TopologySource.OPTIONS.contains(a) && !OWN_OPTIONS.contains(a)) {
                throw unknown(a);   // before asking for its value: "--bogus needs a value" would suggest it exists
            }
            if (value == null) {
                if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
                value = args[++i];
            }
            if (TopologySource.OPTIONS.contains(a)) {
                if (source != null) {
                    throw new IllegalArgumentException("give at most one of " + String.join(", ", TopologySource.OPTIONS));
                }
                source = TopologySource.fromOption(a, value);
                continue;
            }
            switch (a) {
                case "--screenshot" -> shot = writable(value);
                case "--theme" -> theme = oneOf("--theme", value, THEMES);
                case "--tab" -> tab = oneOf("--tab", value, TABS);
                case "--select" -> {
                    String[] pc = value.split(",");
                    if (pc.length != 2) throw new IllegalArgumentException("--select takes PROVIDER,CLIENT");
                    p = address(pc[0]);
                    c = address(pc[1]);
                }
                default -> throw unknown(a);
            }
        }
        return new WindowOptions(source, p, c, shot, bench, theme, tab);
    }

    private static IllegalArgumentException unknown(String option) {
        return new IllegalArgumentException("unknown window option " + option
                + " (the window takes --sample, --topology, --sysfs, --lspci, --select, --screenshot, "
                + "--bench-render, --theme, --tab; commands: p2pscope --help)");
    }

    /// `value` if it is one of `allowed` (ignoring case), spelled as there; picocli's wording otherwise.
    private static String oneOf(String option, String value, List<String> allowed) {
        for (String a : allowed) {
            if (a.equalsIgnoreCase(value.trim())) return a;
        }
        throw new IllegalArgumentException("Invalid value for option '" + option + "': expected one of " + allowed
                + " but was '" + value + "'");
    }

    private static PciAddress address(String text) {
        try {
            return PciAddress.parseLenient(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--select: " + e.getMessage());
        }
    }

    /// A screenshot goes to a PNG file whose directory exists and can be written: checked before anything is
    /// loaded or drawn, so a typo costs nothing and nothing else is written.
    private static Path writable(String value) {
        Path file;
        try {
            file = Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("--screenshot: not a file name: " + value);
        }
        Path dir = file.toAbsolutePath().getParent();
        if (value.isBlank() || dir == null || Files.isDirectory(file)) {
            throw new IllegalArgumentException("--screenshot: " + value + " is not a file name");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--screenshot: cannot write " + value + ": there is no directory " + dir);
        }
        if (!Files.isWritable(dir) || Files.exists(file) && !Files.isWritable(file)) {
            throw new IllegalArgumentException("--screenshot: cannot write " + value + ": permission denied");
        }
        if (!value.toLowerCase(Locale.ROOT).endsWith(".png")) {
            throw new IllegalArgumentException("--screenshot: " + value + " does not end in .png (the window is "
                    + "rendered as PNG)");
        }
        return file;
    }

    /// The `--select` pair checked against the loaded topology, with the CLI's words for a BDF that is not there
    /// (`--select: no function 0000:99:00.0 in this topology`); null when it is fine or nothing was selected.
    public String selectionProblem(dev.p2pscope.core.model.Topology t) {
        if (selectProvider == null || t == null) return null;
        for (PciAddress a : List.of(selectProvider, selectClient)) {
            if (!t.contains(a)) return "--select: no function " + a + " in this topology";
        }
        return null;
    }

    /// The same options, rendering to `file` and exiting.
    public WindowOptions withScreenshot(Path file) {
        return new WindowOptions(source, selectProvider, selectClient, file, benchRender, theme, tab);
    }

    public boolean hasSource() {
        return source != null;
    }

    /// The source to open: the one named, else this host when it has a PCI tree, else the first sample.
    public TopologySource sourceOrDefault() {
        return source != null ? source : TopologySource.hostOrFirstSample();
    }
}
