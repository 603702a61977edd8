package dev.p2pscope.core.topology;

import dev.p2pscope.core.model.PciId;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// Vendor and device names from a `pci.ids` database (the system's, at the usual Debian paths, when present).
public final class PciIds {

    /// Where Debian and other distributions install pci.ids.
    public static final List<Path> SYSTEM_PATHS = List.of(Path.of("/usr/share/misc/pci.ids"),
            Path.of("/usr/share/hwdata/pci.ids"), Path.of("/usr/share/pci.ids"));

    private static volatile PciIds system;

    private static final java.util.HexFormat HEX = java.util.HexFormat.of();
    private final Map<Integer, String> vendors = new HashMap<>();
    private final Map<Integer, String> devices = new HashMap<>();

    private PciIds() {
    }

    /// The names database of this system, or an empty one; read once.
    public static PciIds system() {
        PciIds s = system;
        if (s == null) {
            synchronized (PciIds.class) {
                if (system == null) {
                    PciIds loaded = new PciIds();
                    for (Path p : SYSTEM_PATHS) {
                        if (Files.isRegularFile(p)) {
                            try {
                                loaded = read(p);
                                break;
                            } catch (IOException e) {
                                loaded = new PciIds();
                            }
                        }
                    }
                    system = loaded;
                }
                s = system;
            }
        }
        return s;
    }

    public static PciIds empty() {
        return new PciIds();
    }

    /// Parses a pci.ids file (vendors and devices; subsystems and classes are skipped).
    public static PciIds read(Path file) throws IOException {
        PciIds ids = new PciIds();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int vendor = -1;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty() || line.startsWith("#")) continue;
                if (line.startsWith("C ")) break;   // the class section follows the vendors
                if (line.startsWith("\t\t")) continue;
                try {
                    if (line.charAt(0) == '\t') {
                        if (vendor >= 0 && line.length() > 7) {
                            ids.devices.put((vendor << 16) | Integer.parseInt(line.substring(1, 5), 16),
                                    line.substring(7).trim());
                        }
                    } else if (line.length() > 6) {
                        vendor = Integer.parseInt(line.substring(0, 4), 16);
                        ids.vendors.put(vendor, line.substring(6).trim());
                    }
                } catch (NumberFormatException e) {
                    // A malformed line: skip it, as lspci does.
                }
            }
        }
        return ids;
    }

    public boolean isEmpty() {
        return vendors.isEmpty();
    }

    /// `Vendor Device` as `lspci -tv` prints it, or empty when the vendor is unknown.
    public Optional<String> name(PciId id) {
        String v = vendors.get(id.vendor());
        if (v == null) return Optional.empty();
        String d = devices.get((id.vendor() << 16) | id.device());
        // HexFormat, not String.format: this runs once per function of a load (10,000 format strings parsed cost
        // ~25 ms of a load's CPU)
        return Optional.of(d == null ? v + " Device " + HEX.toHexDigits((short) id.device()) : v + " " + d);
    }
}
