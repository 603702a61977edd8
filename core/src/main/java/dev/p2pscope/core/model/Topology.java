package dev.p2pscope.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/// An immutable PCI tree: functions with parent pointers (the bridge whose secondary bus holds each one), the
/// CPU and kernel profile that decide P2PDMA, and what-if overrides of the host-bridge allowlist.
///
/// Every distinct domain:bus of a parent-less function is one root bus, that is one host bridge
/// (`struct pci_host_bridge`). Queries mirror what the kernel asks of its own tree.
public final class Topology {

    private final String name;
    private final String description;
    private final Cpu cpu;
    private final KernelProfile kernel;
    private final AllowlistOverrides allowlist;
    private final HostInfo host;
    private final Map<String, Object> extra;
    private final List<PciFunction> functions;
    private final Map<PciAddress, PciFunction> byAddress;
    private final Map<PciAddress, List<PciFunction>> children;
    private final Map<BusAddress, List<PciFunction>> rootBusMembers;

    private Topology(Builder b) {
        this.name = b.name;
        this.description = b.description;
        this.cpu = b.cpu == null ? Cpu.UNKNOWN : b.cpu;
        this.kernel = b.kernel == null ? KernelProfile.NEWEST : b.kernel;
        this.allowlist = b.allowlist == null ? AllowlistOverrides.NONE : b.allowlist;
        this.host = b.host == null ? HostInfo.NONE : b.host;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(b.extra));
        List<TopologyProblem> problems = validate(b.functions);
        if (!problems.isEmpty()) throw new InvalidTopologyException(problems);
        TreeMap<PciAddress, PciFunction> sorted = new TreeMap<>();
        for (PciFunction f : b.functions) sorted.put(f.address(), f);
        this.byAddress = Collections.unmodifiableMap(new LinkedHashMap<>(sorted));
        this.functions = List.copyOf(sorted.values());
        Map<PciAddress, List<PciFunction>> kids = new HashMap<>();
        Map<BusAddress, List<PciFunction>> roots = new TreeMap<>();
        for (PciFunction f : functions) {
            if (f.parent() != null) {
                kids.computeIfAbsent(f.parent(), k -> new ArrayList<>()).add(f);
            } else {
                roots.computeIfAbsent(f.address().busAddress(), k -> new ArrayList<>()).add(f);
            }
        }
        kids.replaceAll((k, v) -> List.copyOf(v));
        roots.replaceAll((k, v) -> List.copyOf(v));
        this.children = Collections.unmodifiableMap(kids);
        this.rootBusMembers = Collections.unmodifiableMap(roots);
    }

    /// Structural rules every topology keeps; each problem names the offending function by input index.
    public static List<TopologyProblem> validate(List<PciFunction> functions) {
        List<TopologyProblem> problems = new ArrayList<>();
        Map<PciAddress, Integer> index = new HashMap<>();
        for (int i = 0; i < functions.size(); i++) {
            PciFunction f = functions.get(i);
            Integer prev = index.putIfAbsent(f.address(), i);
            if (prev != null) {
                problems.add(new TopologyProblem(i, "bdf", "duplicate BDF " + f.address()
                        + " (first at devices[" + prev + "])"));
            }
        }
        for (int i = 0; i < functions.size(); i++) {
            PciFunction f = functions.get(i);
            if (f.parent() != null) {
                Integer pi = index.get(f.parent());
                if (pi == null) {
                    problems.add(new TopologyProblem(i, "parent", "parent " + f.parent() + " does not exist"));
                } else if (!functions.get(pi).kind().isBridge()) {
                    DeviceKind k = functions.get(pi).kind();
                    problems.add(new TopologyProblem(i, "parent", "parent " + f.parent() + " is "
                            + (k == DeviceKind.ENDPOINT || k == DeviceKind.RCIEP ? "an " : "a ") + k
                            + ", not a bridge"));
                } else if (f.parent().equals(f.address())) {
                    problems.add(new TopologyProblem(i, "parent", "a function cannot be its own parent"));
                }
            }
            if (f.kind() == DeviceKind.VF) {
                if (f.physfn() == null) {
                    problems.add(new TopologyProblem(i, "physfn", "a vf needs the BDF of its physical function"));
                } else {
                    Integer pf = index.get(f.physfn());
                    if (pf == null) {
                        problems.add(new TopologyProblem(i, "physfn", "physical function " + f.physfn()
                                + " does not exist"));
                    } else if (functions.get(pf).kind() == DeviceKind.VF || f.physfn().equals(f.address())) {
                        problems.add(new TopologyProblem(i, "physfn", "physfn " + f.physfn()
                                + " is not a physical function"));
                    }
                }
            }
        }
        // Cycles through parent pointers (only among existing parents), in linear time: each function is walked
        // once; a walk that meets a function of its own walk has found a cycle, one that meets an earlier walk's
        // function has not. Every function on a cycle is reported (not those merely hanging below one).
        int[] state = new int[functions.size()];   // 0 unvisited, walk number (>0) while on that walk, -1 done
        int walk = 0;
        for (int i = 0; i < functions.size(); i++) {
            if (state[i] != 0) continue;
            walk++;
            List<Integer> path = new ArrayList<>();
            int cur = i;
            Integer cycleStart = null;
            while (true) {
                if (state[cur] == walk) { cycleStart = cur; break; }
                if (state[cur] != 0) break;
                state[cur] = walk;
                path.add(cur);
                PciAddress p = functions.get(cur).parent();
                Integer pi = p == null ? null : index.get(p);
                if (pi == null) break;
                cur = pi;
            }
            if (cycleStart != null) {
                for (int k = path.indexOf(cycleStart); k < path.size(); k++) {
                    PciFunction f = functions.get(path.get(k));
                    if (!Objects.equals(f.parent(), f.address())) {
                        problems.add(new TopologyProblem(path.get(k), "parent", "parent chain of " + f.address()
                                + " is a cycle"));
                    }
                }
            }
            for (int k : path) state[k] = -1;
        }
        return problems;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder().name(name).description(description).cpu(cpu).kernel(kernel)
                .allowlist(allowlist).host(host).extra(extra);
        b.functions.addAll(functions);
        return b;
    }

    // ---- properties ----------------------------------------------------------------------------------------

    public String name() { return name; }
    public String description() { return description; }
    public Cpu cpu() { return cpu; }
    public KernelProfile kernel() { return kernel; }
    public AllowlistOverrides allowlist() { return allowlist; }
    public HostInfo host() { return host; }
    /// Top-level keys of the topology file that this version does not know (kept for round trips).
    public Map<String, Object> extra() { return extra; }
    /// Every function, sorted by address (which is also the kernel's bus-scan order for a static tree).
    public List<PciFunction> functions() { return functions; }
    public int size() { return functions.size(); }

    // ---- queries -------------------------------------------------------------------------------------------

    public Optional<PciFunction> function(PciAddress address) {
        return Optional.ofNullable(byAddress.get(address));
    }

    /// The function at `address`, or an [IllegalArgumentException] naming it.
    public PciFunction require(PciAddress address) {
        PciFunction f = byAddress.get(address);
        if (f == null) throw new IllegalArgumentException("no function " + address + " in this topology");
        return f;
    }

    public boolean contains(PciAddress address) {
        return byAddress.containsKey(address);
    }

    /// The bridge whose secondary bus holds `f` (the tree parent), if any.
    public Optional<PciFunction> parent(PciFunction f) {
        return f.parent() == null ? Optional.empty() : Optional.of(byAddress.get(f.parent()));
    }

    /// The functions directly below `bridge`'s secondary bus, in address order.
    public List<PciFunction> children(PciAddress bridge) {
        return children.getOrDefault(bridge, List.of());
    }

    /// Mirrors `pci_upstream_bridge()` (include/linux/pci.h): a VF is first replaced by its PF
    /// (`pci_physfn()`); then NULL when that function sits on a root bus, else the bridge above it.
    public PciFunction upstreamBridge(PciFunction f) {
        PciFunction d = f;
        if (d.kind() == DeviceKind.VF && d.physfn() != null) {
            PciFunction pf = byAddress.get(d.physfn());
            if (pf != null) d = pf;
        }
        return d.parent() == null ? null : byAddress.get(d.parent());
    }

    /// The root bus `f` hangs from (its host bridge, `pci_find_host_bridge()`): follow parents up to a
    /// parent-less function. A VF's bus always descends from its PF's, so a VF answers its PF's root bus.
    public BusAddress rootBus(PciFunction f) {
        PciFunction d = f;
        if (d.kind() == DeviceKind.VF && d.physfn() != null && byAddress.containsKey(d.physfn())) {
            d = byAddress.get(d.physfn());
        }
        while (d.parent() != null) d = byAddress.get(d.parent());
        return d.address().busAddress();
    }

    /// Every root bus, one per host bridge, in order.
    public List<BusAddress> rootBuses() {
        return List.copyOf(rootBusMembers.keySet());
    }

    /// The parent-less functions on `bus`, in address order.
    public List<PciFunction> rootBusFunctions(BusAddress bus) {
        return rootBusMembers.getOrDefault(bus, List.of());
    }

    /// The first device in the root bus's device list, which `pci_host_bridge_dev()` checks against the
    /// allowlist. Devices join the list in scan order (lowest devfn first); VFs are added later with
    /// `list_add_tail`, so they come last whatever their devfn.
    public Optional<PciFunction> firstDeviceOnRootBus(BusAddress bus) {
        List<PciFunction> members = rootBusFunctions(bus);
        return members.stream().filter(f -> f.kind() != DeviceKind.VF).findFirst()
                .or(() -> members.stream().findFirst());
    }

    /// The chain `f`, its upstream bridge, that bridge's upstream bridge... up to the function on the root bus.
    public List<PciFunction> upstreamChain(PciFunction f) {
        List<PciFunction> chain = new ArrayList<>();
        for (PciFunction d = f; d != null; d = upstreamBridge(d)) chain.add(d);
        return chain;
    }

    /// Depth below the root bus (a function on a root bus has depth 0), by tree parents.
    public int depth(PciFunction f) {
        int depth = 0;
        for (PciFunction d = f; d.parent() != null; d = byAddress.get(d.parent())) depth++;
        return depth;
    }

    /// A topology with `f` replacing the function at the same address.
    public Topology withFunction(PciFunction f) {
        PciFunction old = require(f.address());
        if (Objects.equals(old.parent(), f.parent()) && old.kind() == f.kind()
                && Objects.equals(old.physfn(), f.physfn())) {
            // Same place in the tree: nothing validation looks at changed (an ACS edit, derived facts).
            return new Topology(this, cpu, kernel, allowlist, f);
        }
        Builder b = toBuilder();
        b.functions.replaceAll(x -> x.address().equals(f.address()) ? f : x);
        return b.build();
    }

    // What-if edits of host facts keep the tree: it is shared, not rebuilt and validated again (instant what-if).
    public Topology withCpu(Cpu newCpu) { return new Topology(this, newCpu, kernel, allowlist, null); }
    public Topology withKernel(KernelProfile k) { return new Topology(this, cpu, k, allowlist, null); }
    public Topology withAllowlist(AllowlistOverrides a) { return new Topology(this, cpu, kernel, a, null); }

    /// A copy of `s` with other host facts and, when `replaced` is not null, that function replaced by one with
    /// the same address, parent, kind and physfn (so the structure and its validation carry over).
    private Topology(Topology s, Cpu cpu, KernelProfile kernel, AllowlistOverrides allowlist, PciFunction replaced) {
        this.name = s.name;
        this.description = s.description;
        this.cpu = cpu == null ? Cpu.UNKNOWN : cpu;
        this.kernel = kernel == null ? KernelProfile.NEWEST : kernel;
        this.allowlist = allowlist == null ? AllowlistOverrides.NONE : allowlist;
        this.host = s.host;
        this.extra = s.extra;
        if (replaced == null) {
            this.functions = s.functions;
            this.byAddress = s.byAddress;
            this.children = s.children;
            this.rootBusMembers = s.rootBusMembers;
            return;
        }
        PciAddress at = replaced.address();
        List<PciFunction> fs = new ArrayList<>(s.functions);
        fs.replaceAll(x -> x.address().equals(at) ? replaced : x);
        this.functions = List.copyOf(fs);
        LinkedHashMap<PciAddress, PciFunction> by = new LinkedHashMap<>(s.byAddress);
        by.put(at, replaced);
        this.byAddress = Collections.unmodifiableMap(by);
        if (replaced.parent() != null) {
            Map<PciAddress, List<PciFunction>> kids = new HashMap<>(s.children);
            kids.put(replaced.parent(), kids.get(replaced.parent()).stream()
                    .map(x -> x.address().equals(at) ? replaced : x).toList());
            this.children = Collections.unmodifiableMap(kids);
            this.rootBusMembers = s.rootBusMembers;
        } else {
            Map<BusAddress, List<PciFunction>> roots = new TreeMap<>(s.rootBusMembers);
            roots.put(at.busAddress(), roots.get(at.busAddress()).stream()
                    .map(x -> x.address().equals(at) ? replaced : x).toList());
            this.rootBusMembers = Collections.unmodifiableMap(roots);
            this.children = s.children;
        }
    }

    @Override
    public String toString() {
        return "Topology[" + (name == null ? "unnamed" : name) + ", " + functions.size() + " functions]";
    }

    /// Builder for [Topology]; [#build] validates the structure and throws [InvalidTopologyException].
    public static final class Builder {
        private String name;
        private String description;
        private Cpu cpu;
        private KernelProfile kernel;
        private AllowlistOverrides allowlist;
        private HostInfo host;
        private Map<String, Object> extra = Map.of();
        private final List<PciFunction> functions = new ArrayList<>();

        /// An empty builder: no CPU, kernel or functions yet.
        public Builder() {
        }

        public Builder name(String v) { name = v; return this; }
        public Builder description(String v) { description = v; return this; }
        public Builder cpu(Cpu v) { cpu = v; return this; }
        public Builder kernel(KernelProfile v) { kernel = v; return this; }
        public Builder allowlist(AllowlistOverrides v) { allowlist = v; return this; }
        public Builder host(HostInfo v) { host = v; return this; }
        public Builder extra(Map<String, Object> v) { extra = v == null ? Map.of() : v; return this; }
        public Builder add(PciFunction f) { functions.add(f); return this; }
        public Builder addAll(List<PciFunction> fs) { functions.addAll(fs); return this; }

        public Topology build() {
            return new Topology(this);
        }
    }
}
