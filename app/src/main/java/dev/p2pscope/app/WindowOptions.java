package dev.p2pscope.app;

import dev.p2pscope.core.model.PciAddress;

import java.nio.file.Path;

/// The window's command-line options: one source, an optional pair to select, the tab to show first, and the
/// headless modes
/// (`--screenshot FILE` renders to PNG and exits; `--bench-render` measures frames and exits).
public record WindowOptions(String sample, Path topology, Path sysfs, Path lspci, PciAddress selectProvider,
                            PciAddress selectClient, Path screenshot, boolean benchRender, String theme,
                            String tab) {

    /// Parses window options (both `--opt value` and `--opt=value`).
    ///
    /// @throws IllegalArgumentException with a readable message for anything else
    public static WindowOptions parse(String[] args) {
        String sample = null;
        Path topology = null;
        Path sysfs = null;
        Path lspci = null;
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
            switch (a) {
                case "--sample" -> sample = value;
                case "--topology" -> topology = Path.of(value);
                case "--sysfs" -> sysfs = Path.of(value);
                case "--lspci" -> lspci = Path.of(value);
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
        int sources = (sample != null ? 1 : 0) + (topology != null ? 1 : 0) + (sysfs != null ? 1 : 0)
                + (lspci != null ? 1 : 0);
        if (sources > 1) throw new IllegalArgumentException("give at most one of --sample, --topology, --sysfs, --lspci");
        return new WindowOptions(sample, topology, sysfs, lspci, p, c, shot, bench, theme, tab);
    }

    /// The same options, rendering to `file` and exiting.
    public WindowOptions withScreenshot(Path file) {
        return new WindowOptions(sample, topology, sysfs, lspci, selectProvider, selectClient, file, benchRender, theme,
                tab);
    }

    public boolean hasSource() {
        return sample != null || topology != null || sysfs != null || lspci != null;
    }
}
