package dev.p2pscope.app;

import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.topology.TopologySource;

import java.nio.file.Path;
import java.util.List;

/// The window's command-line options: at most one source (the same `--sample`, `--topology`, `--sysfs`, `--lspci`
/// as the commands, read into core's [TopologySource]; null for "this host, else the first sample"), an optional pair
/// to select, the tab to show first, and the headless modes (`--screenshot FILE` renders to PNG and exits;
/// `--bench-render` measures frames and exits).
public record WindowOptions(TopologySource source, PciAddress selectProvider, PciAddress selectClient,
                            Path screenshot, boolean benchRender, String theme, String tab) {

    /// The options the window takes besides the source options.
    public static final List<String> OWN_OPTIONS = List.of("--select", "--screenshot", "--bench-render", "--theme",
            "--tab");

    /// Parses window options (both `--opt value` and `--opt=value`).
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
                case "--screenshot" -> shot = Path.of(value);
                case "--theme" -> theme = value;
                case "--tab" -> tab = value;
                case "--select" -> {
                    String[] pc = value.split(",");
                    if (pc.length != 2) throw new IllegalArgumentException("--select takes PROVIDER,CLIENT");
                    p = PciAddress.parseLenient(pc[0]);
                    c = PciAddress.parseLenient(pc[1]);
                }
                default -> throw new IllegalArgumentException("unknown window option " + a
                        + " (the window takes --sample, --topology, --sysfs, --lspci, --select, --screenshot, "
                        + "--bench-render, --theme, --tab; commands: p2pscope --help)");
            }
        }
        return new WindowOptions(source, p, c, shot, bench, theme, tab);
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
