package dev.p2pscope.core.topology.sysfs;

import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.HostInfo;
import dev.p2pscope.core.model.InvalidTopologyException;
import dev.p2pscope.core.model.KernelProfile;
import dev.p2pscope.core.model.Link;
import dev.p2pscope.core.model.NvmeCmb;
import dev.p2pscope.core.model.P2pMem;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.PciId;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.model.TopologyProblem;
import dev.p2pscope.core.text.IoText;
import dev.p2pscope.core.topology.LoadProblem;
import dev.p2pscope.core.topology.LoadResult;
import dev.p2pscope.core.topology.PciIds;
import dev.p2pscope.core.topology.TopologyLoadException;
import dev.p2pscope.core.topology.config.ConfigSpace;
import dev.p2pscope.core.topology.config.Kinds;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/// Loads a PCI tree from a sysfs tree: this host's `/sys`, a captured copy, or a snapshot tarball read in place.
///
/// Functions come from `bus/pci/devices` and, for bridges a capture left out of it, from the `devices/pci*`
/// hierarchy. The parent of each function is the nearest function directory above it in that hierarchy (what
/// the kernel's `bus->self` is). Every read is capped; links are never followed out of the tree; a problem with
/// one function becomes a notice on it, and only a tree with no usable function fails.
public final class SysfsLoader {

    static final int ATTR_MAX = 4096;
    static final int CONFIG_MAX = 4096;
    private static final Pattern BLOCK = Pattern.compile("nvme\\d+(c\\d+)?n\\d+");

    private final FileTree tree;
    private final String sys;
    private final PciIds names;
    private final List<LoadProblem> notices = new ArrayList<>();
    /// Kinds a [SysfsExporter] wrote down (`p2pscope_facts`), which win over what the loader would decide.
    private final Map<PciAddress, DeviceKind> declaredKinds = new HashMap<>();

    /// A tree with at least this many entries in `bus/pci/devices` is read on all cores; a smaller one (a
    /// workstation's hundred functions) on the calling thread, where starting the pool would cost more than it saves.
    static final int PARALLEL_MIN = 256;
    private boolean parallel;

    /// `list` as a stream, parallel when the tree is large (see [#PARALLEL_MIN]); results keep the list's order.
    private <T> java.util.stream.Stream<T> stream(List<T> list) {
        return parallel ? list.parallelStream() : list.stream();
    }

    private SysfsLoader(FileTree tree, String sys, PciIds names) {
        this.tree = tree;
        this.sys = sys;
        this.names = names;
    }

    /// A hint that a load of `path` is coming: the system's ID names (`pci.ids`, read by [PciIds#system]) are read
    /// now on a thread of their own, and when `path` is a directory the system calls a load makes start being
    /// linked (~0.15 s of CPU), so that both are ready when the load begins (instead of the names being parsed first
    /// on the loading thread, and the first thousand functions read through `java.nio.file`). Returns at once.
    public static void prepare(Path path) {
        Thread.ofPlatform().daemon().name("p2pscope-pci-ids").start(() -> {
            try {
                PciIds.system();
            } catch (RuntimeException e) {
                // not kept: the load asks again on its own thread, where a failure is reported as usual
            }
        });
        if (Files.isDirectory(path)) DiskTree.prepareNative();
    }

    /// Loads from a directory (`/`, a capture holding `sys/`, or a `sys` directory itself) or a snapshot tarball.
    public static LoadResult load(Path path) throws TopologyLoadException {
        return load(path, PciIds.system());
    }

    public static LoadResult load(Path path, PciIds names) throws TopologyLoadException {
        FileTree tree;
        if (Files.isDirectory(path)) {
            tree = new DiskTree(path);
        } else if (Files.isRegularFile(path)) {
            try {
                tree = ArchiveTree.open(path);
            } catch (IOException e) {
                throw new TopologyLoadException(path.toString(), "cannot read snapshot: " + IoText.reason(e));
            } catch (RuntimeException e) {
                // commons-compress reports some malformed headers as unchecked exceptions
                throw new TopologyLoadException(path.toString(), "cannot read snapshot: not a valid tar archive"
                        + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
            }
        } else if (Files.exists(path)) {
            throw new TopologyLoadException(path.toString(), "not a directory or a snapshot file (a FIFO, socket "
                    + "or device cannot be a sysfs tree)");
        } else {
            throw new TopologyLoadException(path.toString(), "no such file or directory");
        }
        return load(tree, names);
    }

    public static LoadResult load(FileTree tree, PciIds names) throws TopologyLoadException {
        String sys = findSysRoot(tree).orElseThrow(() -> new TopologyLoadException(tree.describe(),
                "no sysfs PCI tree here (looked for bus/pci/devices, sys/bus/pci/devices and */sys/bus/pci/devices)"));
        return new SysfsLoader(tree, sys, names).run();
    }

    /// Where `bus/pci/devices` is: at the top, under `sys/`, or under `*/sys/` or `*/*/sys/`.
    static Optional<String> findSysRoot(FileTree tree) {
        if (tree.isDirectory("bus/pci/devices")) return Optional.of("");
        if (tree.isDirectory("sys/bus/pci/devices")) return Optional.of("sys");
        for (String a : tree.list("")) {
            if (tree.type(a) != FileTree.Type.DIRECTORY) continue;
            if (tree.isDirectory(a + "/sys/bus/pci/devices")) return Optional.of(a + "/sys");
            for (String b : tree.list(a)) {
                if (tree.type(a + "/" + b) == FileTree.Type.DIRECTORY
                        && tree.isDirectory(a + "/" + b + "/sys/bus/pci/devices")) {
                    return Optional.of(a + "/" + b + "/sys");
                }
            }
        }
        return Optional.empty();
    }

    /// A function found in the tree: its address and the directory holding its attributes.
    private record Found(PciAddress address, String dir, boolean inBusList) { }

    private LoadResult run() throws TopologyLoadException {
        String busDir = FileTree.join(sys, "bus/pci/devices");
        Map<PciAddress, Found> found = new LinkedHashMap<>();
        boolean flat = false;
        // The entries' links are resolved on all cores (when there are many) (each resolution is a walk of a few directories), then
        // taken in order: the notices are those of one thread going through them in turn.
        List<String> busNames = tree.list(busDir).stream().filter(n -> isBdf(n)).toList();
        parallel = busNames.size() >= PARALLEL_MIN;
        List<BusEntry> busEntries = stream(busNames).map(n -> busEntry(n, busDir + "/" + n)).toList();
        for (int i = 0; i < busNames.size(); i++) {
            String entry = busDir + "/" + busNames.get(i);
            BusEntry e = busEntries.get(i);
            PciAddress a = e.address().address(entry, this::notice);
            if (a == null) continue;
            String dir;
            if (e.type() == FileTree.Type.LINK) {
                if (e.dir() == null) {
                    notice(entry, "link " + tree.readLink(entry).orElse("?") + " dangles or leaves the tree; "
                            + "function skipped");
                    continue;
                }
                dir = e.dir();
            } else if (e.type() == FileTree.Type.DIRECTORY) {
                dir = entry;   // plain directories (POWER9 captures): no hierarchy to read
                if (!flat) {
                    flat = true;
                    notice(busDir, "the capture holds functions as plain directories, not links into devices/: "
                            + "the hierarchy is unknown, so every function hangs directly from a root bus (one per bus number)");
                }
            } else {
                continue;
            }
            found.put(a, new Found(a, dir, true));
        }
        // Bridges the capture left out of bus/pci/devices are still in the devices/pci* hierarchy: listed on all
        // cores, then visited in depth-first order.
        String devicesDir = FileTree.join(sys, "devices");
        List<String> hostNames = tree.list(devicesDir).stream().filter(SysfsLoader::isHostDir).toList();
        List<List<Visit>> hosts = stream(hostNames).map(h -> functionDirsBelow(devicesDir + "/" + h, 0)).toList();
        for (List<Visit> host : hosts) {
            for (Visit visit : host) {
                String child = visit.path();
                PciAddress a = visit.address().address(child, this::notice);
                if (a == null) continue;
                if (!found.containsKey(a)) {
                    found.put(a, new Found(a, child, false));
                    notice(child, "present under devices/ but missing from bus/pci/devices; loaded from here");
                }
            }
        }
        if (found.isEmpty()) {
            throw new TopologyLoadException(tree.describe(), "no PCI function could be read under "
                    + (sys.isEmpty() ? "the tree" : sys) + "/bus/pci/devices");
        }
        Map<String, PciAddress> byDir = new HashMap<>();
        found.values().forEach(f -> byDir.put(f.dir(), f.address()));

        // First pass: facts per function, parent from the nesting.
        Map<PciAddress, PciFunction.Builder> builders = new LinkedHashMap<>();
        Map<PciAddress, ConfigSpace> configs = new HashMap<>();
        Map<PciAddress, PciAddress> parents = new HashMap<>();
        // Functions are read on all cores (most of a load is waiting on system calls, one function's files at a
        // time); what each read found, notices included, is then taken in the order of `found`, so the result and
        // the notices are the same as one thread reading them in turn.
        List<FunctionReader> reads = stream(new ArrayList<>(found.values()))
                .map(f -> tree.batch(f.dir(), () -> new FunctionReader(f).read())).toList();
        for (FunctionReader r : reads) {
            Found f = r.found;
            PciFunction.Builder b = r.builder;
            for (String[] n : r.notices) notice(n[0], n[1]);
            if (r.config != null) configs.put(f.address(), r.config);
            if (r.declared != null) declaredKinds.put(f.address(), r.declared);
            PciAddress parent = parentOf(f, byDir);
            b.parent(parent);
            if (parent != null) parents.put(f.address(), parent);
            builders.put(f.address(), b);
        }
        // Second pass: kinds, inferred from class and nesting where the PCIe capability was not readable.
        // Shallowest first, in found order within a depth (a stable sort by depth, as buckets: depth is at most 64).
        List<List<PciAddress>> byDepth = new ArrayList<>();
        for (PciAddress a : builders.keySet()) {
            int d = depth(a, parents);
            while (byDepth.size() <= d) byDepth.add(new ArrayList<>());
            byDepth.get(d).add(a);
        }
        List<PciAddress> order = new ArrayList<>(builders.size());
        byDepth.forEach(order::addAll);
        Map<PciAddress, DeviceKind> kinds = new HashMap<>();
        Map<PciAddress, PciFunction> probes = new HashMap<>();
        builders.forEach((a, b) -> probes.put(a, b.build()));
        Set<PciAddress> withChildren = new java.util.HashSet<>();
        Set<PciAddress> withBridgeChildren = new java.util.HashSet<>();
        Map<dev.p2pscope.core.model.BusAddress, PciAddress> firstOnRoot = new HashMap<>();
        for (PciFunction f : probes.values()) {
            if (f.parent() != null) {
                withChildren.add(f.parent());
                int cls = f.classCode() == null ? -1 : f.classCode() >> 8;
                ConfigSpace c = configs.get(f.address());
                if (cls == 0x0604 || cls == 0x0607 || cls == 0x0609 || (c != null && c.hasHeader() && c.isBridgeHeader())) {
                    withBridgeChildren.add(f.parent());
                }
            } else if (f.kind() != DeviceKind.VF) {
                firstOnRoot.merge(f.address().busAddress(), f.address(), (x, y) -> x.compareTo(y) <= 0 ? x : y);
            }
        }
        for (PciAddress a : order) {
            PciFunction.Builder b = builders.get(a);
            PciFunction probe = probes.get(a);
            DeviceKind kind;
            if (declaredKinds.containsKey(a)) {
                kind = declaredKinds.get(a);
            } else if (probe.kind() == DeviceKind.VF) {
                kind = DeviceKind.VF;
            } else {
                Kinds.Decision d = Kinds.decide(new Kinds.Evidence(
                        probe.classCode() == null ? -1 : probe.classCode(), configs.get(a),
                        probe.parent() == null ? null : kinds.get(probe.parent()),
                        probe.parent() == null && a.equals(firstOnRoot.get(a.busAddress())),
                        withChildren.contains(a), withBridgeChildren.contains(a)));
                kind = d.kind();
                if (d.inferred()) {
                    Set<String> inferred = new TreeSet<>(probe.inferred());
                    inferred.add("kind");
                    b.inferred(inferred);
                }
                if (d.notice() != null) notice(found.get(a).dir(), d.notice());
            }
            kinds.put(a, kind);
            b.kind(kind);
        }
        // A parent that is not a bridge by any evidence is still where the kernel hangs the child: make it one.
        // (A function's parent is as its probe has it: only kinds changed since. No function built a third time.)
        for (PciAddress a : builders.keySet()) {
            PciAddress parent = probes.get(a).parent();
            if (parent != null && !kinds.get(parent).isBridge()) {
                notice(found.get(parent).dir(), "has functions below it but is not a bridge by class; "
                        + "treated as a PCI bridge");
                kinds.put(parent, DeviceKind.PCI_BRIDGE);
                builders.get(parent).kind(DeviceKind.PCI_BRIDGE);
            }
        }
        List<PciFunction> functions = new ArrayList<>();
        for (var e : builders.entrySet()) {
            PciFunction f = e.getValue().build();
            // A VF whose PF was not captured cannot be walked by the kernel's rule: keep it as an endpoint. So is
            // one whose physfn link names itself or another VF (the kernel's physfn is always a PF).
            if (f.kind() == DeviceKind.VF) {
                String problem = null;
                if (f.physfn() == null || !builders.containsKey(f.physfn())) {
                    problem = "physfn " + (f.physfn() == null ? "(unreadable)" : f.physfn()) + " is not in the tree";
                } else if (f.physfn().equals(f.address())) {
                    problem = "physfn names the function itself";
                } else if (kinds.get(f.physfn()) == DeviceKind.VF) {
                    problem = "physfn " + f.physfn() + " is itself a virtual function";
                }
                if (problem != null) {
                    notice(found.get(f.address()).dir(), problem + "; treated as an endpoint");
                    Set<String> inf = new TreeSet<>(f.inferred());
                    inf.add("kind");
                    f = f.toBuilder().kind(DeviceKind.ENDPOINT).physfn(null).inferred(inf).build();
                }
            }
            functions.add(f);
        }
        String top = sys.isEmpty() ? null : FileTree.parent(sys);
        KernelProfile declared = top == null ? null : Optional.ofNullable(facts(FileTree.join(top, SysfsExporter.FACTS))
                .get("kernel")).flatMap(KernelProfile::fromId).orElse(null);
        HostFacts host = HostFacts.read(tree, sys, (path, message) -> {
            if (declared == null || !message.startsWith("no kernel release")) notice(path, message);
        });
        try {
            Topology t = Topology.builder().name("sysfs " + tree.describe()).cpu(host.cpu()).host(host.info())
                    .kernel(declared != null ? declared : host.profile()).addAll(functions).build();
            return new LoadResult(t, notices);
        } catch (InvalidTopologyException e) {
            List<LoadProblem> problems = new ArrayList<>();
            for (TopologyProblem tp : e.problems()) {
                String where = tp.index() >= 0 && tp.index() < functions.size()
                        ? found.get(functions.get(tp.index()).address()).dir() : "";
                problems.add(new LoadProblem(tree.describe(), where, 0, 0, "the tree is not consistent: "
                        + (tp.field() == null ? "" : tp.field() + ": ") + tp.message()));
            }
            throw new TopologyLoadException(problems);
        }
    }

    /// A directory name as a PCI address, or null with a notice when a field is out of range (a device above
    /// 0x1f, a domain above 0x7fffffff): such an entry cannot be a function the kernel made.
    private PciAddress address(String name, String path) {
        return address(name, path, this::notice);
    }

    private static PciAddress address(String name, String path, java.util.function.BiConsumer<String, String> notice) {
        return Parsed.of(name).address(path, notice);
    }

    /// A name read as a PCI address (on any thread), and what is wrong with it when it is not one: the notice is
    /// given later, in order ([#address(String, java.util.function.BiConsumer)]).
    private record Parsed(PciAddress value, String problem) {
        static Parsed of(String name) {
            try {
                return new Parsed(PciAddress.parse(name), null);
            } catch (IllegalArgumentException e) {
                return new Parsed(null, e.getMessage());
            }
        }

        /// The address, or null after noting at `path` why the name is not one.
        PciAddress address(String path, java.util.function.BiConsumer<String, String> notice) {
            if (value == null) notice.accept(path, "not a PCI address the kernel could make (" + problem + "); skipped");
            return value;
        }
    }

    /// What an entry of `bus/pci/devices` is, and the directory its link leads to (null when the link dangles or
    /// leaves the tree, or it is not a link).
    private record BusEntry(Parsed address, FileTree.Type type, String dir) { }

    private BusEntry busEntry(String name, String entry) {
        Parsed a = Parsed.of(name);
        if (a.value() == null) return new BusEntry(a, FileTree.Type.MISSING, null);   // skipped: not looked at
        FileTree.Type t = tree.type(entry);
        if (t != FileTree.Type.LINK) return new BusEntry(a, t, null);
        Optional<String> r = tree.resolve(entry);
        // r is resolved already (no link left in it): its type is the answer, without resolving it a second time.
        return new BusEntry(a, t, r.isPresent() && tree.type(r.get()) == FileTree.Type.DIRECTORY ? r.get() : null);
    }

    /// A directory named like a function, met walking `devices/`: its name read as an address, and its path.
    private record Visit(Parsed address, String path) { }

    /// The directories named like functions below `dir`, as `{name, path}` in depth-first order, at most 32 levels
    /// down; the walk does not go below a name that is not a PCI address the kernel could make. Subtrees are
    /// listed on all cores; the order is that of a walk on one thread.
    private List<Visit> functionDirsBelow(String dir, int depth) {
        if (depth > 32) return List.of();
        List<Visit> children = new ArrayList<>();
        for (String name : tree.list(dir)) {
            if (!isBdf(name)) continue;
            String child = dir + "/" + name;
            if (tree.type(child) == FileTree.Type.DIRECTORY) children.add(new Visit(Parsed.of(name), child));
        }
        if (children.isEmpty()) return List.of();
        List<List<Visit>> below = stream(children)
                .map(c -> c.address().value() != null ? functionDirsBelow(c.path(), depth + 1) : List.<Visit>of())
                .toList();
        List<Visit> out = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            out.add(children.get(i));
            out.addAll(below.get(i));
        }
        return out;
    }

    /// Whether `name` is named like a function, `[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]` (by hand, not a
    /// regex: every name of every directory the load lists is asked; NamePatternsTest compares the two).
    static boolean isBdf(String name) {
        int n = name.length();
        if (n < 12 || n > 16) return false;
        int domain = n - 8;   // the rest is ":BB:DD.F"
        return hexRun(name, 0, domain) && name.charAt(domain) == ':' && hexRun(name, domain + 1, domain + 3)
                && name.charAt(domain + 3) == ':' && hexRun(name, domain + 4, domain + 6) && name.charAt(n - 2) == '.'
                && name.charAt(n - 1) >= '0' && name.charAt(n - 1) <= '7';
    }

    /// Whether `name` is named like a host bridge's directory under `devices/`, `pci[0-9a-f]{4,8}:[0-9a-f]{2}`.
    static boolean isHostDir(String name) {
        int n = name.length();
        return n >= 10 && n <= 14 && name.startsWith("pci") && hexRun(name, 3, n - 3) && name.charAt(n - 3) == ':'
                && hexRun(name, n - 2, n);
    }

    /// True when `s[from, to)` is lower-case hex digits only.
    private static boolean hexRun(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return false;
        }
        return true;
    }

    private PciAddress parentOf(Found f, Map<String, PciAddress> byDir) {
        for (String d = FileTree.parent(f.dir()); !d.isEmpty(); d = FileTree.parent(d)) {
            if (isHostDir(FileTree.name(d))) return null;
            PciAddress p = byDir.get(d);
            if (p != null) return p;
        }
        return null;
    }

    private static int depth(PciAddress a, Map<PciAddress, PciAddress> parents) {
        int d = 0;
        for (PciAddress p = parents.get(a); p != null && d < 64; p = parents.get(p)) d++;
        return d;
    }

    /// Reads one function's directory. Its own notices, config space and declared kind are kept with it, so that
    /// several functions can be read at once and their results taken in order (see [#run]).
    private final class FunctionReader {
        final Found found;
        final List<String[]> notices = new ArrayList<>(0);
        PciFunction.Builder builder;
        ConfigSpace config;
        DeviceKind declared;

        FunctionReader(Found found) {
            this.found = found;
        }

        private void notice(String path, String message) {
            notices.add(new String[] {path, message});
        }

        private PciAddress address(String name, String path) {
            return SysfsLoader.address(name, path, this::notice);
        }

        FunctionReader read() {
            Found f = found;
            String d = f.dir();
            Set<String> inferred = new TreeSet<>();
            ConfigSpace cfg = null;
            if (tree.type(d + "/config") != FileTree.Type.MISSING) {
                try {
                    byte[] bytes = tree.read(d + "/config", CONFIG_MAX);
                    // Root reads the whole space (256 or 4096 bytes); an ordinary user gets the first 64 (128 for
                    // CardBus) whatever the device has, as the kernel's pci_read_config() limits it.
                    cfg = new ConfigSpace(bytes, bytes.length == 256 || bytes.length == 4096);
                    if (!cfg.hasHeader()) {
                        notice(d + "/config", bytes.length < 64 ? "config space truncated to " + bytes.length
                                + " bytes" : "config space reads all ones");
                        cfg = bytes.length >= 64 ? cfg : null;
                    }
                    if (cfg != null) {
                        config = cfg.headerOnly();   // kinds need the header only, not 4 KiB each
                        for (String p : cfg.problems()) notice(d + "/config", p);
                    }
                } catch (IOException e) {
                    notice(d + "/config", "unreadable: " + e.getMessage());
                }
            }
            Integer vendor = hex(d + "/vendor", 16);
            Integer device = hex(d + "/device", 16);
            Integer cls = hex(d + "/class", 24);
            if ((vendor == null || device == null) && cfg != null && cfg.hasHeader()) {
                vendor = cfg.vendor();
                device = cfg.device();
            }
            Modalias alias = null;
            if (vendor == null || device == null || (cls == null && (cfg == null || !cfg.hasHeader()))) {
                // The uevent modalias, "pci:v0000VVVVd0000DDDDsv...sd...bcCCscSSiPP", holds the same IDs and class.
                alias = tree.text(d + "/modalias", ATTR_MAX).flatMap(Modalias::parse).orElse(null);
            }
            if ((vendor == null || device == null) && alias != null) {
                vendor = alias.vendor();
                device = alias.device();
            }
            if (vendor == null || device == null) {
                notice(d, "no vendor/device ID readable (no vendor, device, config or modalias file); the ID is "
                        + "unknown and shown as ffff:ffff");
                inferred.add("id");
                vendor = 0xffff;
                device = 0xffff;
            }
            if (cls == null && cfg != null && cfg.hasHeader()) cls = cfg.classCode();
            if (cls == null && alias != null) cls = alias.classCode();
            PciId id = new PciId(vendor & 0xffff, device & 0xffff);
            PciFunction.Builder b = PciFunction.builder(f.address(), id, DeviceKind.ENDPOINT).classCode(cls);
            names.name(id).ifPresent(b::name);
            Optional<String> physfn = tree.readLink(d + "/physfn");
            physfn.map(FileTree::name).filter(n -> isBdf(n)).map(n -> address(n, d + "/physfn"))
                    .ifPresent(b::physfn);
            if (physfn.isPresent()) b.kind(DeviceKind.VF);
            tree.readLink(d + "/driver").map(FileTree::name).ifPresent(b::driver);
            tree.readLink(d + "/iommu_group").map(FileTree::name).flatMap(SysfsLoader::integer).ifPresent(b::iommuGroup);
            tree.text(d + "/numa_node", ATTR_MAX).flatMap(SysfsLoader::integer).ifPresent(b::numaNode);
            b.link(link(d, cfg));
            b.block(blockDevices(d));
            b.p2pmem(p2pmem(d));
            b.cmb(cmb(d));
            if (cfg != null && cfg.isBridgeHeader() && cfg.hasHeader()) {
                b.secondaryBus(cfg.secondaryBus()).subordinateBus(cfg.subordinateBus());
            } else {
                Optional<Integer> sec = tree.text(d + "/secondary_bus_number", ATTR_MAX).flatMap(SysfsLoader::integer);
                Optional<Integer> sub = tree.text(d + "/subordinate_bus_number", ATTR_MAX).flatMap(SysfsLoader::integer);
                if (sec.isPresent() && sub.isPresent()) {
                    if (sec.get() < 0 || sec.get() > 0xff || sub.get() < 0 || sub.get() > 0xff) {
                        notice(d, "bus numbers " + sec.get() + "/" + sub.get() + " are not 8-bit bus numbers; ignored");
                    } else {
                        b.secondaryBus(sec.get()).subordinateBus(sub.get());
                    }
                }
            }
            Acs acs = cfg == null ? Acs.UNKNOWN : cfg.acs();
            if (acs instanceof Acs.Unknown) inferred.add("acs");
            b.acs(acs);
            if (acs instanceof Acs.Present p) b.acsCap(p.capability());
            exportedFacts(f.address(), d, b, inferred);
            b.inferred(inferred);
            builder = b;
            return this;
        }

        /// Facts a [SysfsExporter] wrote where sysfs has no place for them (`p2pscope_facts`): the name, which facts
        /// were inferred, an unknown ACS state, bus numbers that were never known.
        private void exportedFacts(PciAddress a, String d, PciFunction.Builder b, Set<String> inferred) {
            Map<String, String> facts = facts(d + "/" + SysfsExporter.FACTS);
            if (facts.isEmpty()) return;
            if (facts.containsKey("name")) b.name(facts.get("name"));
            DeviceKind.fromJson(facts.getOrDefault("kind", "")).ifPresent(k -> declared = k);
            inferred.clear();   // the exporter's list is the whole list
            if (facts.containsKey("inferred")) {
                for (String k : facts.get("inferred").split(",")) if (!k.isBlank()) inferred.add(k.trim());
            }
            if ("unknown".equals(facts.get("acs"))) b.acs(Acs.UNKNOWN).acsCap(null);
            if ("unknown".equals(facts.get("acs_capability")) && b.build().acs() instanceof Acs.Present p) {
                b.acs(new Acs.Present(p.control(), null)).acsCap(null);
            }
            if ("unknown".equals(facts.get("bus_numbers"))) b.secondaryBus(null).subordinateBus(null);
        }

        private Link link(String d, ConfigSpace cfg) {
            Optional<String> speed = tree.text(d + "/current_link_speed", ATTR_MAX);
            Optional<Integer> width = tree.text(d + "/current_link_width", ATTR_MAX).flatMap(SysfsLoader::integer);
            Optional<String> maxSpeed = tree.text(d + "/max_link_speed", ATTR_MAX);
            Optional<Integer> maxWidth = tree.text(d + "/max_link_width", ATTR_MAX).flatMap(SysfsLoader::integer);
            if (speed.isEmpty() && width.isEmpty() && cfg != null && cfg.link().isPresent()) {
                return cfg.link().get();
            }
            if (speed.isEmpty() && width.isEmpty() && maxSpeed.isEmpty() && maxWidth.isEmpty()) return null;
            return new Link(speed.orElse(null), width.orElse(null), maxSpeed.orElse(null), maxWidth.orElse(null));
        }

        private List<String> blockDevices(String d) {
            List<String> out = new ArrayList<>(tree.list(d + "/block"));
            for (String ctrl : tree.list(d + "/nvme")) {
                for (String n : tree.list(d + "/nvme/" + ctrl)) {
                    if (BLOCK.matcher(n).matches() && !out.contains(n)) out.add(n);
                }
            }
            out.sort(null);
            return out;
        }

        private P2pMem p2pmem(String d) {
            String p = d + "/p2pmem";
            if (!tree.isDirectory(p)) return null;
            Optional<Long> size = tree.text(p + "/size", ATTR_MAX).flatMap(SysfsLoader::longValue);
            Optional<Long> avail = tree.text(p + "/available", ATTR_MAX).flatMap(SysfsLoader::longValue);
            Optional<String> pub = tree.text(p + "/published", ATTR_MAX);
            if (size.isEmpty()) {
                notice(p, "p2pmem/size unreadable");
                return null;
            }
            return new P2pMem(Math.max(0, size.get()), Math.max(0, avail.orElse(size.get())),
                    pub.map(s -> s.equals("1")).orElse(false), tree.exists(p + "/allocate"));
        }

        private NvmeCmb cmb(String d) {
            for (String ctrl : tree.list(d + "/nvme")) {
                String c = d + "/nvme/" + ctrl;
                Optional<Long> loc = tree.text(c + "/cmbloc", ATTR_MAX).flatMap(SysfsLoader::longValue);
                Optional<Long> sz = tree.text(c + "/cmbsz", ATTR_MAX).flatMap(SysfsLoader::longValue);
                if (loc.isPresent() && sz.isPresent()) {
                    if (fits32(loc.get()) && fits32(sz.get())) return new NvmeCmb((int) (long) loc.get(), (int) (long) sz.get());
                    notice(c, "cmbloc/cmbsz do not fit the 32-bit registers; ignored");
                    return null;
                }
                Optional<String> cmb = tree.text(c + "/cmb", ATTR_MAX);
                if (cmb.isPresent()) {
                    // "cmbloc : 0x%08x\ncmbsz  : 0x%08x" (older kernels printed "x%08x" without the 0).
                    Long l = null;
                    Long s = null;
                    for (String line : cmb.get().split("\n")) {
                        String[] kv = line.split(":", 2);
                        if (kv.length < 2) continue;
                        String v = kv[1].trim().replaceFirst("^0?x", "");
                        try {
                            if (kv[0].trim().equals("cmbloc")) l = Long.parseLong(v, 16);
                            if (kv[0].trim().equals("cmbsz")) s = Long.parseLong(v, 16);
                        } catch (NumberFormatException e) {
                            notice(c + "/cmb", "unparseable line '" + line + "'");
                        }
                    }
                    if (l != null && s != null && fits32(l) && fits32(s)) return new NvmeCmb((int) (long) l, (int) (long) s);
                }
            }
            return null;
        }

        /// A sysfs hex attribute (`0x8086`) of at most `bits` bits; anything else is a notice and null, never a
        /// truncated or negative value.
        private Integer hex(String path, int bits) {
            return tree.text(path, ATTR_MAX).flatMap(t -> {
                String v = t.startsWith("0x") || t.startsWith("0X") ? t.substring(2) : t;
                if (!isHex(v, 8)) {
                    notice(path, "not a hex number: '" + (t.length() > 40 ? t.substring(0, 40) + "..." : t) + "'");
                    return Optional.<Integer>empty();
                }
                long value = Long.parseLong(v, 16);
                if (value >= (1L << bits)) {
                    notice(path, "0x" + v + " does not fit in " + bits + " bits; ignored");
                    return Optional.<Integer>empty();
                }
                return Optional.of((int) value);
            }).orElse(null);
        }
    }

    private Map<String, String> facts(String path) {
        Map<String, String> out = new HashMap<>();
        tree.text(path, ATTR_MAX).ifPresent(t -> {
            for (String line : t.split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) out.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        });
        return out;
    }


    /// 1 to `max` hex digits (by hand: `String.matches` compiled a pattern for each of three attributes a function).
    private static boolean isHex(String v, int max) {
        if (v.isEmpty() || v.length() > max) return false;
        for (int i = 0; i < v.length(); i++) {
            if (Character.digit(v.charAt(i), 16) < 0 || v.charAt(i) > 'f') return false;
        }
        return true;
    }

    private static boolean fits32(long v) {
        return v >= 0 && v <= 0xffffffffL;
    }

    static Optional<Integer> integer(String s) {
        String t = s.trim();
        if (t.isEmpty()) return Optional.empty();   // an empty attribute is common: no exception for it
        try {
            return Optional.of(Integer.parseInt(t));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static Optional<Long> longValue(String s) {
        String t = s.trim();
        if (t.isEmpty()) return Optional.empty();
        try {
            return Optional.of(Long.parseLong(t));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /// The IDs and class a `modalias` file holds (drivers/pci/pci-sysfs.c, `modalias_show()`).
    record Modalias(int vendor, int device, int classCode) {
        private static final Pattern PATTERN = Pattern.compile(
                "pci:v0000([0-9A-Fa-f]{4})d0000([0-9A-Fa-f]{4})sv[0-9A-Fa-f]{8}sd[0-9A-Fa-f]{8}"
                        + "bc([0-9A-Fa-f]{2})sc([0-9A-Fa-f]{2})i([0-9A-Fa-f]{2})");

        static Optional<Modalias> parse(String text) {
            var m = PATTERN.matcher(text.trim());
            if (!m.matches()) return Optional.empty();
            return Optional.of(new Modalias(Integer.parseInt(m.group(1), 16), Integer.parseInt(m.group(2), 16),
                    Integer.parseInt(m.group(3) + m.group(4) + m.group(5), 16)));
        }
    }

    private int droppedNotices;

    private void notice(String path, String message) {
        if (notices.size() >= 10_000) {
            // a hostile tree can make millions; past this, only a count
            if (droppedNotices++ == 0) notices.add(new LoadProblem(tree.describe(), "", 0, 0,
                    "more notices not listed (at most 10,000 are kept)"));
            return;
        }
        notices.add(new LoadProblem(tree.describe(), path, 0, 0, message));
    }
}
