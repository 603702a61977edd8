package dev.p2pscope.core.topology.lspci;

import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.InvalidTopologyException;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.PciId;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.topology.LoadProblem;
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
        try {
            if (Files.size(file) > MAX_BYTES) throw new TopologyLoadException(file.toString(), "file is too large");
            return parse(Files.readString(file, StandardCharsets.ISO_8859_1), file.toString());
        } catch (IOException e) {
            throw new TopologyLoadException(file.toString(), "cannot read: " + e.getMessage());
        }
    }

    private record Raw(PciAddress address, String description, byte[] config, int length, int line) { }

    public static LoadResult parse(String text, String source) throws TopologyLoadException {
        List<LoadProblem> notices = new ArrayList<>();
        List<LoadProblem> problems = new ArrayList<>();
        Map<PciAddress, Raw> raws = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        Raw current = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher h = HEADER.matcher(line);
            if (h.matches()) {
                PciAddress a = PciAddress.parseLenient(h.group(1).toLowerCase());
                current = new Raw(a, h.group(2), new byte[4096], 0, i + 1);
                if (raws.containsKey(a)) {
                    problems.add(new LoadProblem(source, a.toString(), i + 1, 1, "duplicate function " + a
                            + " (first at line " + raws.get(a).line() + ")"));
                } else {
                    raws.put(a, current);
                }
                continue;
            }
            Matcher x = HEX.matcher(line);
            if (x.matches() && current != null) {
                int off = Integer.parseInt(x.group(1), 16);
                String[] bytes = x.group(2).trim().split(" ");
                if (off % 16 != 0 || off + bytes.length > 4096) {
                    notices.add(new LoadProblem(source, current.address().toString(), i + 1, 1,
                            "hex line at offset " + x.group(1) + " ignored"));
                    continue;
                }
                for (int k = 0; k < bytes.length; k++) current.config()[off + k] = (byte) Integer.parseInt(bytes[k], 16);
                int len = Math.max(current.length(), off + bytes.length);
                current = new Raw(current.address(), current.description(), current.config(), len, current.line());
                raws.put(current.address(), current);
            }
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
        boolean extendedDump = raws.values().stream().anyMatch(r -> r.length() > 256);
        for (Raw r : raws.values()) {
            if (r.length() < 64) {
                notices.add(new LoadProblem(source, r.address().toString(), r.line(), 1,
                        "no config space dump (lspci needs -xxx); facts inferred"));
            }
            ConfigSpace c = new ConfigSpace(Arrays.copyOf(r.config(), r.length()), extendedDump && r.length() == 256);
            cfg.put(r.address(), c);
            c.problems().forEach(p -> notices.add(new LoadProblem(source, r.address().toString(), r.line(), 1, p)));
            if (c.hasHeader() && c.isBridgeHeader() && c.secondaryBus() > 0) {
                bridgeOfBus.putIfAbsent(r.address().domain() + ":" + c.secondaryBus(), r.address());
            }
        }
        Map<PciAddress, PciAddress> parent = new HashMap<>();
        for (Raw r : raws.values()) {
            PciAddress p = bridgeOfBus.get(r.address().domain() + ":" + r.address().bus());
            if (p != null && !p.equals(r.address())) parent.put(r.address(), p);
        }
        List<PciAddress> order = new ArrayList<>(raws.keySet());
        order.sort(Comparator.comparingInt(a -> depth(a, parent)));
        Map<PciAddress, DeviceKind> kinds = new HashMap<>();
        List<PciFunction> functions = new ArrayList<>();
        for (PciAddress a : order) {
            Raw r = raws.get(a);
            ConfigSpace c = cfg.get(a);
            Set<String> inferred = new TreeSet<>();
            DeviceKind kind;
            int cls = c.hasHeader() ? c.classCode() : -1;
            PciAddress p = parent.get(a);
            if (c.pcieKind() != null && !(cls >> 8 == 0x0600 && p == null)) {
                kind = c.pcieKind();
            } else {
                kind = Kinds.infer(cls, c.isBridgeHeader(), p == null ? null : kinds.get(p));
                if (!(cls >> 8 == 0x0600 && p == null)) inferred.add("kind");
            }
            kinds.put(a, kind);
            Acs acs = c.acs();
            if (acs instanceof Acs.Unknown) inferred.add("acs");
            PciFunction.Builder b = PciFunction.builder(a, c.hasHeader() ? new PciId(c.vendor(), c.device())
                    : new PciId(0xffff, 0xffff), kind).parent(p).classCode(cls < 0 ? null : cls).acs(acs)
                    .name(name(r.description())).inferred(inferred);
            if (acs instanceof Acs.Present pr) b.acsCap(pr.capability());
            if (c.isBridgeHeader()) b.secondaryBus(c.secondaryBus()).subordinateBus(c.subordinateBus());
            c.link().ifPresent(b::link);
            functions.add(b.build());
        }
        // A function under a non-bridge cannot happen with the lookup above (only bridge headers own buses).
        try {
            Topology t = Topology.builder().name("lspci dump " + source).addAll(functions).build();
            return new LoadResult(t, notices);
        } catch (InvalidTopologyException e) {
            throw new TopologyLoadException(source, "the dump is not consistent: " + e.getMessage());
        }
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
        return REV.matcher(n).replaceAll("").trim();
    }
}
