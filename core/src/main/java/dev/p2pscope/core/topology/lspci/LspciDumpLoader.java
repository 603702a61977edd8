package dev.p2pscope.core.topology.lspci;

import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.InvalidTopologyException;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.PciId;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.topology.LoadProblem;
import dev.p2pscope.core.topology.InputFiles;
import dev.p2pscope.core.topology.LoadResult;
import dev.p2pscope.core.topology.TopologyLoadException;
import dev.p2pscope.core.topology.config.ConfigSpace;
import dev.p2pscope.core.topology.config.Kinds;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// Loads `lspci -xxx` / `lspci -xxxx` output (with or without `-D`, and with `-v`/`-vvv` text between a header
/// and its hex lines, which is ignored). The hierarchy is rebuilt from bridges' secondary bus numbers; kinds and
/// ACS come from the capabilities in the dumped config space.
public final class LspciDumpLoader {

    static final long MAX_BYTES = 64L << 20;
    private static final Pattern HEADER =
            Pattern.compile("^((?:[0-9a-fA-F]{4,8}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]) (.*)$");
    private static final Pattern HEX = Pattern.compile("^([0-9a-fA-F]{2,3}):((?: [0-9a-fA-F]{2}){1,16})\\s*$");
    private static final Pattern REV = Pattern.compile("\\s*\\((rev|prog-if) [^)]*\\)");

    private LspciDumpLoader() {
    }

    public static LoadResult load(Path file) throws TopologyLoadException {
        byte[] bytes = InputFiles.read(file, MAX_BYTES);
        return parse(new String(bytes, StandardCharsets.ISO_8859_1), file.toString());
    }

    /// Problems collected at most before the dump is refused (a 64 MiB file of garbage is refused at once).
    static final int MAX_PROBLEMS = 100;
    /// Longest function description kept (names in pci.ids are far shorter).
    static final int MAX_DESCRIPTION = 256;
    /// Functions read at most.
    static final int MAX_FUNCTIONS = 100_000;
    private static final Pattern HEX_LIKE = Pattern.compile("^[0-9a-fA-F]{2,3}:(\\s.*)?$");
    private static final Pattern NN_ID = Pattern.compile("\\s*\\[[0-9a-fA-F]{4}:[0-9a-fA-F]{4}\\]$");
    private static final Pattern NN_CLASS = Pattern.compile("\\s*\\[[0-9a-fA-F]{4}\\]$");
    private static final Pattern BARE_ID = Pattern.compile("[0-9a-fA-F]{4}:[0-9a-fA-F]{4}");

    /// One function's lines: its header and the config space bytes its hex rows gave (grown as rows come).
    private static final class Raw {
        final PciAddress address;
        final String description;
        final int line;
        byte[] config = new byte[0];
        int length;

        Raw(PciAddress address, String description, int line) {
            this.address = address;
            this.description = description;
            this.line = line;
        }
    }

    public static LoadResult parse(String text, String source) throws TopologyLoadException {
        List<LoadProblem> notices = new ArrayList<>();
        List<LoadProblem> problems = new ArrayList<>();
        Map<PciAddress, Raw> raws = new LinkedHashMap<>();
        Raw current = null;
        int lineNo = 0;
        for (Iterator<String> it = text.lines().iterator(); it.hasNext() && problems.size() < MAX_PROBLEMS; ) {
            String line = it.next();
            lineNo++;
            if (lineNo == 1 && line.startsWith("\u00ef\u00bb\u00bf")) line = line.substring(3);   // a UTF-8 BOM
            if (line.isBlank() || Character.isWhitespace(line.charAt(0))) continue;   // -v detail lines are indented
            Matcher h = HEADER.matcher(line);
            if (h.matches()) {
                current = null;
                String description = h.group(2);
                if (description.isBlank() || Character.isWhitespace(description.charAt(0))
                        || !description.contains(": ")) {
                    problems.add(new LoadProblem(source, "", lineNo, 1, "not an lspci function line (expected "
                            + "'BB:DD.F Class: Vendor Device'): '" + clip(line) + "'"));
                    continue;
                }
                PciAddress a;
                try {
                    a = PciAddress.parseLenient(h.group(1).toLowerCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    problems.add(new LoadProblem(source, "", lineNo, 1, e.getMessage()));
                    continue;
                }
                if (raws.containsKey(a)) {
                    problems.add(new LoadProblem(source, a.toString(), lineNo, 1, "duplicate function " + a
                            + " (first at line " + raws.get(a).line + ")"));
                    continue;
                }
                if (raws.size() >= MAX_FUNCTIONS) {
                    problems.add(new LoadProblem(source, "", lineNo, 1, "more than " + MAX_FUNCTIONS
                            + " functions: no machine has that many (a PCI domain holds 65,536)"));
                    break;
                }
                current = new Raw(a, description.length() > MAX_DESCRIPTION
                        ? description.substring(0, MAX_DESCRIPTION) : description, lineNo);
                raws.put(a, current);
                continue;
            }
            Matcher x = HEX.matcher(line);
            if (x.matches() && current != null) {
                int off = Integer.parseInt(x.group(1), 16);
                String[] bytes = x.group(2).trim().split(" ");
                if (off != current.length || off % 16 != 0 || off + bytes.length > 4096
                        || (bytes.length != 16 && off + bytes.length != 64 && off + bytes.length < 4096)) {
                    problems.add(new LoadProblem(source, current.address.toString(), lineNo, 1, "hex row at offset "
                            + x.group(1) + " does not follow the previous row (expected 16 bytes at offset "
                            + Integer.toHexString(current.length) + ")"));
                    continue;
                }
                if (current.config.length < off + bytes.length) {
                    int size = off + bytes.length <= 64 ? 64 : off + bytes.length <= 256 ? 256 : 4096;
                    current.config = Arrays.copyOf(current.config, size);
                }
                for (int k = 0; k < bytes.length; k++) current.config[off + k] = (byte) Integer.parseInt(bytes[k], 16);
                current.length = off + bytes.length;
                continue;
            }
            if (HEX_LIKE.matcher(line).matches()) {
                problems.add(new LoadProblem(source, current == null ? "" : current.address.toString(), lineNo, 1,
                        current == null ? "hex row before any function line" : "malformed hex row '" + clip(line)
                        + "' (expected 'OO: xx xx ... xx', 16 bytes)"));
                continue;
            }
            problems.add(new LoadProblem(source, "", lineNo, 1, "not lspci output (expected 'BB:DD.F Class: "
                    + "Device' lines, each followed by lspci -xxx hex rows): '" + clip(line) + "'"));
            break;   // text that is not a dump: its first such line says it all
        }
        if (problems.size() >= MAX_PROBLEMS) {
            problems.add(new LoadProblem(source, "", lineNo, 0, "stopped reading after " + MAX_PROBLEMS
                    + " problems"));
        }
        if (!problems.isEmpty()) throw new TopologyLoadException(problems);
        if (raws.isEmpty()) {
            throw new TopologyLoadException(source, "no function found: expected lspci -xxx or -xxxx output "
                    + "(a 'BB:DD.F description' line followed by '00: xx xx ...' hex lines)");
        }
        // Each bus's parent: the bridge of that domain whose secondary bus it is.
        Map<String, PciAddress> bridgeOfBus = new HashMap<>();
        Map<PciAddress, ConfigSpace> cfg = new HashMap<>();
        // A dump made with -xxxx shows 4096 bytes of every device that has them; there, 256 bytes are a device's
        // whole space. From -xxx (256 bytes of everything) nothing can be said about extended capabilities.
        boolean extendedDump = raws.values().stream().anyMatch(r -> r.length > 256);
        for (Raw r : raws.values()) {
            if (r.length < 64) {
                notices.add(new LoadProblem(source, r.address.toString(), r.line, 1,
                        "no config space dump (lspci needs -xxx); facts inferred"));
            }
            ConfigSpace c = new ConfigSpace(Arrays.copyOf(r.config, r.length), extendedDump && r.length == 256);
            r.config = null;   // the copy in ConfigSpace is the one kept
            cfg.put(r.address, c);
            c.problems().forEach(p -> notices.add(new LoadProblem(source, r.address.toString(), r.line, 1, p)));
            if (c.hasHeader() && c.isBridgeHeader() && c.secondaryBus() > 0) {
                bridgeOfBus.putIfAbsent(r.address.domain() + ":" + c.secondaryBus(), r.address);
            }
        }
        Map<PciAddress, PciAddress> parent = new HashMap<>();
        Set<PciAddress> withChildren = new java.util.HashSet<>();
        Set<PciAddress> withBridgeChildren = new java.util.HashSet<>();
        Map<dev.p2pscope.core.model.BusAddress, PciAddress> firstOnRoot = new HashMap<>();
        for (Raw r : raws.values()) {
            PciAddress p = bridgeOfBus.get(r.address.domain() + ":" + r.address.bus());
            if (p != null && !p.equals(r.address)) {
                parent.put(r.address, p);
                withChildren.add(p);
                ConfigSpace c = cfg.get(r.address);
                if (c.hasHeader() && (c.isBridgeHeader() || c.classCode() >> 8 == 0x0604)) withBridgeChildren.add(p);
            } else {
                firstOnRoot.merge(r.address.busAddress(), r.address, (x, y) -> x.compareTo(y) <= 0 ? x : y);
            }
        }
        List<PciAddress> order = new ArrayList<>(raws.keySet());
        Map<PciAddress, Integer> depths = new HashMap<>();
        for (PciAddress a : order) depths.put(a, depth(a, parent));
        order.sort(Comparator.comparingInt(depths::get));
        Map<PciAddress, DeviceKind> kinds = new HashMap<>();
        List<PciFunction> functions = new ArrayList<>();
        for (PciAddress a : order) {
            Raw r = raws.get(a);
            ConfigSpace c = cfg.get(a);
            Set<String> inferred = new TreeSet<>();
            int cls = c.hasHeader() ? c.classCode() : -1;
            PciAddress p = parent.get(a);
            Kinds.Decision d = Kinds.decide(new Kinds.Evidence(cls, c, p == null ? null : kinds.get(p),
                    p == null && a.equals(firstOnRoot.get(a.busAddress())), withChildren.contains(a),
                    withBridgeChildren.contains(a)));
            DeviceKind kind = d.kind();
            if (d.inferred()) inferred.add("kind");
            if (d.notice() != null) notices.add(new LoadProblem(source, a.toString(), r.line, 1, d.notice()));
            if (p != null && !kinds.get(p).isBridge()) {
                // Cannot happen: only bridge headers own buses, and those are decided bridges above.
                p = null;
            }
            kinds.put(a, kind);
            Acs acs = c.acs();
            if (acs instanceof Acs.Unknown) inferred.add("acs");
            if (!c.hasHeader()) inferred.add("id");
            PciFunction.Builder b = PciFunction.builder(a, c.hasHeader() ? new PciId(c.vendor(), c.device())
                    : new PciId(0xffff, 0xffff), kind).parent(p).classCode(cls < 0 ? null : cls).acs(acs)
                    .name(name(r.description)).inferred(inferred);
            if (acs instanceof Acs.Present pr) b.acsCap(pr.capability());
            if (c.hasHeader() && c.isBridgeHeader()) b.secondaryBus(c.secondaryBus()).subordinateBus(c.subordinateBus());
            c.link().ifPresent(b::link);
            functions.add(b.build());
        }
        try {
            Topology t = Topology.builder().name("lspci dump " + source).addAll(functions).build();
            return new LoadResult(t, notices);
        } catch (InvalidTopologyException e) {
            List<LoadProblem> ps = new ArrayList<>();
            for (var tp : e.problems()) {
                PciFunction f = tp.index() >= 0 && tp.index() < functions.size() ? functions.get(tp.index()) : null;
                ps.add(new LoadProblem(source, f == null ? "" : f.address().toString(),
                        f == null ? 0 : raws.get(f.address()).line, f == null ? 0 : 1,
                        "the dump is not consistent: " + tp.message()));
            }
            throw new TopologyLoadException(ps);
        }
    }

    private static String clip(String line) {
        return line.length() > 60 ? line.substring(0, 60) + "..." : line;
    }

    private static int depth(PciAddress a, Map<PciAddress, PciAddress> parent) {
        int d = 0;
        for (PciAddress p = parent.get(a); p != null && d < 256; p = parent.get(p)) d++;
        return d;
    }

    /// "Non-Volatile memory controller: Red Hat, Inc. QEMU NVM Express Controller (rev 02)" → the name part.
    static String name(String description) {
        int colon = description.indexOf(": ");
        String n = colon < 0 ? description : description.substring(colon + 2);
        n = REV.matcher(n).replaceAll("").trim();
        n = NN_ID.matcher(n).replaceAll("").trim();   // lspci -nn appends " [vvvv:dddd]"
        if (BARE_ID.matcher(n).matches()) return null;   // lspci -n prints only the ID: no name
        return n.isEmpty() ? null : n;
    }
}
