package dev.p2pscope.core.topology;

import dev.p2pscope.core.model.PciId;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/// Vendor and device names from a `pci.ids` database (the system's, at the usual Debian paths, when present).
///
/// The file is kept as it was read (1.3 MB), with an index of its vendor lines; a device's name is looked up in
/// its vendor's lines when first asked for, then remembered. Parsing the whole file into maps up front (40,000
/// entries, each with its own strings) cost a load ~40 ms of CPU and several MB that every young collection
/// copied, for the few dozen IDs a tree has.
///
/// The answers are those of reading the file line by line (lines end at `\n`, `\r` or `\r\n`; empty lines and
/// `#` comments are skipped; the vendor list ends at the first `C ` line; a later definition of the same vendor or
/// device wins; a malformed line is skipped as lspci skips it, and device lines after a malformed vendor line
/// belong to the vendor before it), for every line whose first seven characters are ASCII, as every line of a
/// well-formed file is. Bytes that are not UTF-8 are read as replacement characters (the line-by-line reader refused
/// the whole file for one). PciIdsTest compares the two on the system's file.
public final class PciIds {

    /// Where Debian and other distributions install pci.ids.
    public static final List<Path> SYSTEM_PATHS = List.of(Path.of("/usr/share/misc/pci.ids"),
            Path.of("/usr/share/hwdata/pci.ids"), Path.of("/usr/share/pci.ids"));

    private static volatile PciIds system;

    private static final java.util.HexFormat HEX = java.util.HexFormat.of();

    private final byte[] text;
    /// The vendor lines that parsed, in file order: ID, where the name starts and ends, and where the vendor's
    /// device lines start and end (up to the next vendor line that parsed).
    private final int[] vendorId;
    private final int[] nameFrom;
    private final int[] nameTo;
    private final int[] blockFrom;
    private final int[] blockTo;
    /// Indexes into the arrays above, sorted by vendor ID, then file order.
    private final int[] byId;
    private final ConcurrentHashMap<PciId, Optional<String>> names = new ConcurrentHashMap<>();

    private PciIds(byte[] text) {
        this.text = text;
        int cap = 64;
        int[] id = new int[cap], nf = new int[cap], nt = new int[cap], bf = new int[cap], bt = new int[cap];
        int n = 0;
        int at = 0;
        int limit = text.length;
        while (at < limit) {
            int end = lineEnd(text, at);
            int next = nextLine(text, end);
            int len = end - at;
            if (len > 0 && text[at] != '#') {
                if (len >= 2 && text[at] == 'C' && text[at + 1] == ' ') {
                    limit = at;   // the class section follows the vendors
                    break;
                }
                Integer v = text[at] != '\t' && len > 6 ? hex4(text, at) : null;
                if (v != null) {
                    if (n > 0) bt[n - 1] = at;
                    if (n == id.length) {
                        cap = n * 2;
                        id = Arrays.copyOf(id, cap);
                        nf = Arrays.copyOf(nf, cap);
                        nt = Arrays.copyOf(nt, cap);
                        bf = Arrays.copyOf(bf, cap);
                        bt = Arrays.copyOf(bt, cap);
                    }
                    id[n] = v;
                    nf[n] = at + 6;
                    nt[n] = end;
                    bf[n] = next;
                    n++;
                }
            }
            at = next;
        }
        if (n > 0) bt[n - 1] = limit;
        vendorId = Arrays.copyOf(id, n);
        nameFrom = Arrays.copyOf(nf, n);
        nameTo = Arrays.copyOf(nt, n);
        blockFrom = Arrays.copyOf(bf, n);
        blockTo = Arrays.copyOf(bt, n);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> vendorId[a] != vendorId[b] ? Integer.compare(vendorId[a], vendorId[b])
                : Integer.compare(a, b));
        byId = new int[n];
        for (int i = 0; i < n; i++) byId[i] = order[i];
    }

    /// Where the line starting at `at` ends (its `\n` or `\r`, or the end of the text).
    private static int lineEnd(byte[] t, int at) {
        int i = at;
        while (i < t.length && t[i] != '\n' && t[i] != '\r') i++;
        return i;
    }

    /// Where the line after the terminator at `end` starts (`\r\n` is one terminator).
    private static int nextLine(byte[] t, int end) {
        if (end >= t.length) return t.length;
        if (t[end] == '\r' && end + 1 < t.length && t[end + 1] == '\n') return end + 2;
        return end + 1;
    }

    /// The four characters at `at` read as Integer.parseInt(..., 16) reads them, or null where it refuses them.
    private static Integer hex4(byte[] t, int at) {
        try {
            return Integer.parseInt(new String(t, at, 4, StandardCharsets.UTF_8), 16);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /// The names database of this system, or an empty one; read once.
    public static PciIds system() {
        PciIds s = system;
        if (s == null) {
            synchronized (PciIds.class) {
                if (system == null) {
                    PciIds loaded = empty();
                    for (Path p : SYSTEM_PATHS) {
                        if (Files.isRegularFile(p)) {
                            try {
                                loaded = read(p);
                                break;
                            } catch (IOException e) {
                                loaded = empty();
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
        return new PciIds(new byte[0]);
    }

    /// Reads a pci.ids file (vendors and devices; subsystems and classes are skipped).
    public static PciIds read(Path file) throws IOException {
        return new PciIds(Files.readAllBytes(file));
    }

    public boolean isEmpty() {
        return vendorId.length == 0;
    }

    /// `Vendor Device` as `lspci -tv` prints it, or empty when the vendor is unknown.
    public Optional<String> name(PciId id) {
        Optional<String> known = names.get(id);
        if (known != null) return known;
        Optional<String> n = lookUp(id);
        names.putIfAbsent(id, n);
        return n;
    }

    private Optional<String> lookUp(PciId id) {
        // The vendor's definitions, in file order: the last one names it, and its device lines are in all of them.
        int first = firstOf(id.vendor());
        if (first < 0) return Optional.empty();
        String vendor = null;
        String device = null;
        for (int k = first; k < byId.length && vendorId[byId[k]] == id.vendor(); k++) {
            int v = byId[k];
            vendor = text(nameFrom[v], nameTo[v]);
            String d = device(v, id.device());
            if (d != null) device = d;
        }
        // HexFormat, not String.format: this runs once per distinct device of a load
        return Optional.of(device == null ? vendor + " Device " + HEX.toHexDigits((short) id.device())
                : vendor + " " + device);
    }

    /// The first position in [#byId] of vendor `id`, or -1.
    private int firstOf(int id) {
        int lo = 0, hi = byId.length - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int v = vendorId[byId[mid]];
            if (v < id) {
                lo = mid + 1;
            } else {
                if (v == id) found = mid;
                hi = mid - 1;
            }
        }
        return found;
    }

    /// The name of `device` in vendor definition `v`'s lines (the last line for it), or null.
    private String device(int v, int device) {
        String name = null;
        int at = blockFrom[v];
        while (at < blockTo[v]) {
            int end = lineEnd(text, at);
            int len = end - at;
            if (len > 7 && text[at] == '\t' && text[at + 1] != '\t') {
                Integer d = hex4(text, at + 1);
                if (d != null && d == device) name = text(at + 7, end);
            }
            at = nextLine(text, end);
        }
        return name;
    }

    private String text(int from, int to) {
        return new String(text, from, to - from, StandardCharsets.UTF_8).trim();
    }
}
