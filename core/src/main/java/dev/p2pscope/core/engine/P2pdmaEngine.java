package dev.p2pscope.core.engine;

import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.AllowlistEntry;
import dev.p2pscope.core.model.BusAddress;
import dev.p2pscope.core.model.Cpu;
import dev.p2pscope.core.model.CpuVendor;
import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.KernelProfile;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/// The kernel's P2PDMA decisions for one topology, under the topology's kernel profile and CPU.
///
/// Written anew from the behaviour described in `p2pdma-kernel-semantics.md` (sections 1 to 4); each rule names
/// the kernel function whose behaviour it mirrors. Stateless apart from what it precomputes; see
/// [KernelSession] for the kernel's per-provider cache.
public final class P2pdmaEngine {

    /// `struct seq_buf acs_list` is a 128-byte stack buffer in `calc_map_type_and_dist()`.
    static final int ACS_LIST_BUFFER = 128;

    private final Topology topology;
    private final KernelProfile profile;
    private final boolean cpuRule;
    private final List<AllowlistEntry> allowlist;

    public P2pdmaEngine(Topology topology) {
        this.topology = topology;
        this.profile = topology.kernel();
        this.cpuRule = cpuSupportsP2pdma(topology.cpu());
        this.allowlist = HostBridgeAllowlist.effective(profile, topology.allowlist());
    }

    public Topology topology() {
        return topology;
    }

    public KernelProfile profile() {
        return profile;
    }

    /// The allowlist in force (built in for the profile, with the topology's what-if overrides).
    public List<AllowlistEntry> allowlist() {
        return allowlist;
    }

    /// Mirrors `cpu_supports_p2pdma()` (x86 only): the boot CPU is AMD (`X86_VENDOR_AMD`, so not Hygon) and its
    /// family is 0x17 (Zen) or later. Non-x86 and unknown CPUs: false.
    public static boolean cpuSupportsP2pdma(Cpu cpu) {
        return cpu.vendor() == CpuVendor.AMD && cpu.family() >= 0x17;
    }

    /// [#decide(PciAddress, PciAddress, boolean)] in verbose mode (what `pci_p2pdma_distance(..., true)` and a
    /// map-type cache miss in newest kernels use).
    public Verdict decide(PciAddress provider, PciAddress client) {
        return decide(provider, client, true);
    }

    /// Mirrors `calc_map_type_and_dist(provider, client, &dist, verbose)`.
    ///
    /// @throws IllegalArgumentException when either address is not in the topology
    public Verdict decide(PciAddress providerAddress, PciAddress clientAddress, boolean verbose) {
        PciFunction provider = topology.require(providerAddress);
        PciFunction client = topology.require(clientAddress);
        List<TraceStep> trace = new ArrayList<>();
        List<PciFunction> redirecting = new ArrayList<>();
        List<PciAddress> unknownAcs = new ArrayList<>();

        // Provider-side walk: for each function from the provider upwards, examine its ACS, then look for it
        // among the client and the client's upstream bridges. The first match is the common ancestor.
        PciFunction common = null;
        int distA = 0;
        int distB = 0;
        outer:
        for (PciFunction a = provider; a != null; a = topology.upstreamBridge(a), distA++) {
            examine(a, TraceStep.Kind.PROVIDER_SIDE, redirecting, unknownAcs, trace);
            distB = 0;
            for (PciFunction bb = client; bb != null; bb = topology.upstreamBridge(bb), distB++) {
                if (bb == a) {
                    common = a;
                    break outer;
                }
            }
        }
        List<PciAddress> path = new ArrayList<>();
        List<KernelMessage> warnings = new ArrayList<>();
        boolean acsRedirects = false;
        String acsListText = "";
        if (common != null) {
            trace.add(new TraceStep(TraceStep.Kind.COMMON_ANCESTOR, common.address(),
                    common == client ? "the client itself is on the provider's chain"
                            : common.address() + " is the lowest upstream bridge the two share (" + distA
                              + " hop(s) up from the provider, " + distB + " from the client)", false));
            // Client-side walk, below the common ancestor only.
            List<PciFunction> clientSide = new ArrayList<>();
            for (PciFunction bb = client; bb != common; bb = topology.upstreamBridge(bb)) clientSide.add(bb);
            for (PciFunction bb : clientSide) examine(bb, TraceStep.Kind.CLIENT_SIDE, redirecting, unknownAcs, trace);
            for (PciFunction a = provider; a != common; a = topology.upstreamBridge(a)) path.add(a.address());
            path.add(common.address());
            for (PciFunction bb : clientSide.reversed()) path.add(bb.address());
            if (redirecting.isEmpty()) {
                Verdict.Details d = new Verdict.Details(providerAddress, clientAddress, profile, distA + distB,
                        path, common.address(), List.of(), "", warnings,
                        withResult(trace, MapType.BUS_ADDR, distA + distB), unknownAcs, List.of());
                return new Verdict.BusAddress(d);
            }
            acsRedirects = true;
            acsListText = acsListText(redirecting.stream().map(PciFunction::address).toList());
            if (verbose) {
                String c = clientAddress.toString();
                warnings.add(new KernelMessage(c, "ACS redirect is set between the client and provider ("
                        + providerAddress + ")"));
                warnings.add(new KernelMessage(c, "to disable ACS redirect for this path, add the kernel "
                        + "parameter: pci=disable_acs_redir=" + acsListText));
            }
        } else {
            // No common ancestor: distA and distB are the lengths of the two chains. The kernel's loop has
            // already examined the whole provider chain (its ACS changes nothing now and is not reported).
            trace.add(new TraceStep(TraceStep.Kind.NO_COMMON_ANCESTOR, null, "the chains meet only above the "
                    + "root buses: provider chain " + distA + " + client chain " + distB + " = "
                    + (distA + distB) + " hops, through the host bridge", false));
            redirecting.clear();
            for (PciFunction a : topology.upstreamChain(provider)) path.add(a.address());
            for (PciFunction bb : topology.upstreamChain(client).reversed()) path.add(bb.address());
        }
        int dist = distA + distB;
        List<PciAddress> acsAddresses = redirecting.stream().map(PciFunction::address).toList();

        // Host path: the CPU rule, else the host-bridge allowlist (warn only when ACS redirected).
        List<HostBridgeCheck> checks = new ArrayList<>();
        boolean allowed;
        if (cpuRule) {
            trace.add(new TraceStep(TraceStep.Kind.CPU_RULE, null, topology.cpu()
                    + ": AMD Zen or later, the allowlist is skipped", false));
            allowed = true;
        } else {
            trace.add(new TraceStep(TraceStep.Kind.CPU_RULE, null, topology.cpu()
                    + ": the AMD Zen rule does not apply, so the host bridges must be on the allowlist", false));
            allowed = hostBridgeAllowed(provider, client, acsRedirects, checks, warnings, trace);
        }
        if (!allowed) {
            if (verbose) {
                warnings.add(new KernelMessage(clientAddress.toString(), "cannot be used for peer-to-peer DMA as "
                        + "the client and provider (" + providerAddress + ") do not share an upstream bridge or "
                        + "whitelisted host bridge"));
            }
            Verdict.Details d = new Verdict.Details(providerAddress, clientAddress, profile, dist, path,
                    common == null ? null : common.address(), acsAddresses, acsListText, warnings,
                    withResult(trace, MapType.NOT_SUPPORTED, dist), unknownAcs, checks);
            return new Verdict.NotSupported(d);
        }
        Verdict.Details d = new Verdict.Details(providerAddress, clientAddress, profile, dist, path,
                common == null ? null : common.address(), acsAddresses, acsListText, warnings,
                withResult(trace, MapType.THRU_HOST_BRIDGE, dist), unknownAcs, checks);
        return new Verdict.ThroughHostBridge(d, cpuRule);
    }

    /// Mirrors `pci_bridge_has_acs_redir()`, applied to every function on the examined path (endpoints too).
    private static void examine(PciFunction f, TraceStep.Kind kind, List<PciFunction> redirecting,
                                List<PciAddress> unknownAcs, List<TraceStep> trace) {
        Acs acs = f.acs();
        String text;
        boolean redirect = false;
        switch (acs) {
            case Acs.Present p when p.redirects() -> {
                redirecting.add(f);
                redirect = true;
                text = "ACS Control " + Acs.hex(p.control()) + " (" + Acs.bitNames(p.control())
                        + ") redirects peer-to-peer traffic";
            }
            case Acs.Present p -> text = "ACS Control " + Acs.hex(p.control()) + " (" + Acs.bitNames(p.control())
                    + "): no RR, CR or EC, no redirect";
            case Acs.Absent a -> text = "no ACS capability, no redirect";
            case Acs.Unknown u -> {
                unknownAcs.add(f.address());
                text = "ACS unknown (config space not readable): assumed not to redirect";
            }
        }
        trace.add(new TraceStep(kind, f.address(), text, redirect));
    }

    private static List<TraceStep> withResult(List<TraceStep> trace, MapType type, int dist) {
        trace.add(new TraceStep(TraceStep.Kind.RESULT, null, type + ", distance " + dist,
                type == MapType.NOT_SUPPORTED));
        return trace;
    }

    /// Whether a transfer that must cross the host bridge between root buses `hostP` and `hostC` is allowed: the
    /// CPU rule, else `host_bridge_whitelist()` (the outcome does not depend on its `warn` flag).
    public boolean hostPathAllowed(BusAddress hostP, BusAddress hostC) {
        if (cpuRule) return true;
        List<HostBridgeCheck> checks = new ArrayList<>();
        List<KernelMessage> warnings = new ArrayList<>();
        List<TraceStep> trace = new ArrayList<>();
        if (hostP.equals(hostC)) return checkHostBridge(hostP, true, false, checks, warnings, trace);
        return checkHostBridge(hostP, false, false, checks, warnings, trace)
                && checkHostBridge(hostC, false, false, checks, warnings, trace);
    }

    /// Mirrors `host_bridge_whitelist(provider, client, warn)`: one host bridge is checked allowing
    /// REQ_SAME_HOST_BRIDGE entries; two are checked both without (provider's first, stopping at a failure).
    private boolean hostBridgeAllowed(PciFunction provider, PciFunction client, boolean warn,
                                      List<HostBridgeCheck> checks, List<KernelMessage> warnings,
                                      List<TraceStep> trace) {
        BusAddress hostP = topology.rootBus(provider);
        BusAddress hostC = topology.rootBus(client);
        if (hostP.equals(hostC)) {
            return checkHostBridge(hostP, true, warn, checks, warnings, trace);
        }
        return checkHostBridge(hostP, false, warn, checks, warnings, trace)
                && checkHostBridge(hostC, false, warn, checks, warnings, trace);
    }

    /// Mirrors `__host_bridge_whitelist(host, same_host_bridge, warn)`.
    private boolean checkHostBridge(BusAddress bus, boolean same, boolean warn, List<HostBridgeCheck> checks,
                                    List<KernelMessage> warnings, List<TraceStep> trace) {
        Optional<PciFunction> root = hostBridgeDevice(bus);
        if (root.isEmpty()) {
            checks.add(new HostBridgeCheck(bus, null, same, HostBridgeCheck.Outcome.NO_HOST_DEVICE, null));
            trace.add(new TraceStep(TraceStep.Kind.HOST_BRIDGE, null, "root bus " + bus + ": no first device at "
                    + "00.0" + (profile == KernelProfile.NEWEST ? " and none that is a root port" : "")
                    + ", so no host bridge to allow", true));
            return false;
        }
        PciFunction dev = root.get();
        for (AllowlistEntry e : allowlist) {
            if (e.matches(dev.id())) {
                if (e.requireSameHostBridge() && !same) {
                    checks.add(new HostBridgeCheck(bus, dev, same,
                            HostBridgeCheck.Outcome.REQUIRES_SAME_HOST_BRIDGE, e));
                    trace.add(new TraceStep(TraceStep.Kind.HOST_BRIDGE, dev.address(), dev.id()
                            + " is allowlisted only for transfers within one host bridge (REQ_SAME_HOST_BRIDGE)",
                            true));
                    return false;
                }
                checks.add(new HostBridgeCheck(bus, dev, same, HostBridgeCheck.Outcome.ALLOWED, e));
                trace.add(new TraceStep(TraceStep.Kind.HOST_BRIDGE, dev.address(), dev.id()
                        + " is on the allowlist (entry " + e + ")", false));
                return true;
            }
        }
        checks.add(new HostBridgeCheck(bus, dev, same, HostBridgeCheck.Outcome.NOT_LISTED, null));
        trace.add(new TraceStep(TraceStep.Kind.HOST_BRIDGE, dev.address(), dev.idKnown() ? dev.id()
                + " is not on the allowlist" : "its vendor:device ID was not read (" + dev.id() + " stands in): whether "
                + "it is on the allowlist cannot be decided", true));
        if (warn) {
            warnings.add(new KernelMessage(dev.address().toString(), String.format(Locale.ROOT,
                    "Host bridge not in P2PDMA whitelist: %04x:%04x", dev.id().vendor(), dev.id().device())));
        }
        return false;
    }

    /// Mirrors `pci_host_bridge_dev()`: the root bus's first device, accepted when it is at devfn 00.0, or
    /// (newest, since 5.19) when it is a PCIe root port at any devfn.
    public Optional<PciFunction> hostBridgeDevice(BusAddress bus) {
        return topology.firstDeviceOnRootBus(bus).filter(f -> f.address().devfn() == 0
                || (profile == KernelProfile.NEWEST && f.kind() == DeviceKind.ROOT_PORT));
    }

    /// The `pci=disable_acs_redir=` value as the kernel prints it: each BDF followed by `;` into a 128-byte
    /// `seq_buf`, the final `;` dropped. When the list does not fit, `seq_buf` keeps the first 127 characters
    /// (a cut entry included) and nothing more is added.
    public static String acsListText(List<PciAddress> redirecting) {
        StringBuilder full = new StringBuilder();
        for (PciAddress a : redirecting) full.append(a).append(';');
        if (full.isEmpty()) return "";
        if (full.length() < ACS_LIST_BUFFER) {
            return full.substring(0, full.length() - 1);
        }
        return full.substring(0, ACS_LIST_BUFFER - 1);
    }

    // ---- distance_many and find_many ----------------------------------------------------------------------

    /// Mirrors `pci_p2pdma_distance_many(provider, clients, n, verbose)`: no clients is -1; a client with no PCI
    /// device above it stops at once with -1; otherwise each client is decided, and any NOT_SUPPORTED makes the
    /// answer -1. Without `verbose` it stops at the first failure; with it, every client is decided (so every
    /// client's warnings print).
    public ManyResult distanceMany(PciAddress provider, List<DmaClient> clients, boolean verbose) {
        topology.require(provider);
        List<Verdict> verdicts = new ArrayList<>();
        List<KernelMessage> messages = new ArrayList<>();
        // pci_p2pdma_distance_many(): no clients is an error (-1), not a distance of zero.
        if (clients.isEmpty()) return new ManyResult(provider, -1, verdicts, messages);
        boolean notSupported = false;
        int total = 0;
        for (DmaClient c : clients) {
            Optional<PciAddress> pci = c.pciDevice();
            if (pci.isEmpty()) {
                messages.add(new KernelMessage(c.name(), "cannot be used for peer-to-peer DMA as it is not a PCI "
                        + "device"));
                return new ManyResult(provider, -1, verdicts, messages);
            }
            Verdict v = decide(provider, pci.get(), verbose);
            verdicts.add(v);
            messages.addAll(v.warnings());
            if (v.mapType() == MapType.NOT_SUPPORTED) {
                notSupported = true;
                if (!verbose) break;
            }
            total += v.calcDistance();
        }
        return new ManyResult(provider, notSupported ? -1 : total, verdicts, messages);
    }

    /// Mirrors `pci_p2pmem_find_many(clients, n)`: every function with published p2pmem, in the kernel's
    /// device-list order, is a candidate; the smallest `distance_many` (non-verbose) wins; ties are kept up to
    /// one page of pointers (512 on x86-64) and one is picked uniformly at random with `random`.
    public ProviderChoice findMany(List<DmaClient> clients, java.util.random.RandomGenerator random) {
        final int maxDevs = 4096 / 8;
        List<ProviderChoice.Candidate> candidates = new ArrayList<>();
        List<PciAddress> closest = new ArrayList<>();
        int best = Integer.MAX_VALUE;
        for (PciFunction f : topology.functions()) {
            if (!f.publishesP2pMem()) continue;
            int d = distanceMany(f.address(), clients, false).distance();
            candidates.add(new ProviderChoice.Candidate(f.address(), d));
            if (d < 0 || d > best) continue;
            if (d == best && closest.size() >= maxDevs) continue;
            if (d < best) {
                closest.clear();
                best = d;
            }
            closest.add(f.address());
        }
        PciAddress chosen = closest.isEmpty() ? null : closest.get(random.nextInt(closest.size()));
        return new ProviderChoice(List.copyOf(clients), candidates, Collections.unmodifiableList(closest),
                closest.isEmpty() ? -1 : best, chosen);
    }
}
