package dev.p2pscope.core.live;

import dev.p2pscope.core.text.VerdictText;
import dev.p2pscope.core.engine.DmaClient;
import dev.p2pscope.core.engine.MapType;
import dev.p2pscope.core.engine.P2pdmaEngine;
import dev.p2pscope.core.engine.ProviderChoice;
import dev.p2pscope.core.engine.Verdict;
import dev.p2pscope.core.live.DeviceMap.Backing;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/// The kernel's verdicts for a live copy before anything moves: provider → source device and provider →
/// destination device. NOT_SUPPORTED for either means the kernel will return EREMOTEIO (or EINVAL): refused. So is
/// a device whose block queue does not advertise P2PDMA (an NVMe multipath head, anything that is not an NVMe PCI
/// namespace), and a provider that has no p2pmem pool right now (unbound).
public final class Preflight {

    private Preflight() {
    }

    /// Why a namespace reached through an NVMe multipath head is not a P2PDMA client. Mirrors: nvme core sets the
    /// P2PDMA queue capability (QUEUE_FLAG_PCI_P2PDMA, since 6.11 BLK_FEAT_PCI_P2PDMA) only on each controller's own
    /// namespace disk (nvme_alloc_ns); the multipath head disk (nvme_mpath_alloc_disk) is set up with stacking
    /// limits and never gets it, and stacking does not inherit it. Direct I/O passes FOLL_PCI_P2PDMA only for a
    /// queue that advertises P2PDMA, so pinning p2pmem pages for the head fails with EREMOTEIO before any DMA is
    /// mapped, and the kernel logs nothing.
    public static final String MULTIPATH_RULE = "an NVMe multipath head is not a P2PDMA client: its block queue does "
            + "not advertise P2PDMA (the kernel sets QUEUE_FLAG_PCI_P2PDMA / BLK_FEAT_PCI_P2PDMA only on each "
            + "controller's own namespace, never on the head), so every O_DIRECT read or write with p2pmem pages "
            + "fails with EREMOTEIO and no kernel log line, even on the drive that holds the CMB. This holds for "
            + "every mainline kernel with userspace P2PDMA (6.2 and later, through the newest we read). Boot with "
            + "nvme_core.multipath=N to get per-controller namespaces, or use a host buffer";

    /// The outcome: the verdicts that were decided and the reasons to refuse.
    public record Result(List<Verdict> verdicts, List<String> refusals, List<String> notes) {
        public Result {
            verdicts = List.copyOf(verdicts);
            refusals = List.copyOf(refusals);
            notes = List.copyOf(notes);
        }

        public boolean ok() {
            return refusals.isEmpty();
        }
    }

    /// `--p2pmem auto`: the provider `pci_p2pmem_find_many()` would hand a driver whose clients are the source and
    /// destination devices (those behind a PCI function of the tree), with the kernel's random tie-break seeded so
    /// the same machine gives the same choice.
    public static ProviderChoice autoProvider(Topology live, PciAddress source, PciAddress destination) {
        List<DmaClient> clients = new ArrayList<>();
        if (source != null && live.contains(source)) clients.add(DmaClient.pci(source));
        if (destination != null && live.contains(destination)) clients.add(DmaClient.pci(destination));
        return new P2pdmaEngine(live).findMany(clients, new SplittableRandom(1));
    }

    /// Why [#autoProvider] chose nothing, in words. With no client in the tree the kernel's rule has nothing to
    /// measure (`pci_p2pdma_distance_many()` answers -1 for zero clients), so no provider is ever chosen.
    static String autoRefusal(Topology live, PciAddress source, PciAddress destination, ProviderChoice c) {
        boolean none = (source == null || !live.contains(source)) && (destination == null || !live.contains(destination));
        return none ? "auto: neither the source nor the destination is behind a PCI function of this tree, so the "
                + "kernel's rule has no client to choose a provider for; name the provider instead"
                : "auto: no published p2pmem provider fits the source and destination (" + c.candidates().size()
                + " candidate(s))";
    }

    /// The preflight for PCI functions alone (each side an NVMe namespace of that function, or null when unknown).
    public static Result check(Topology live, PciAddress provider, PciAddress source, PciAddress destination) {
        return check(live, provider, source == null ? null : new DeviceMap.Function(source, "?", true),
                destination == null ? null : new DeviceMap.Function(destination, "?", true));
    }

    /// @param provider    the p2pmem provider, or null for host/emulated buffers (no P2PDMA: nothing to decide)
    /// @param source      what backs the source, or null when it is not read (`--skip-read`)
    /// @param destination what backs the destination, or null when it is not written (`--skip-write`)
    public static Result check(Topology live, PciAddress provider, Backing source, Backing destination) {
        List<Verdict> verdicts = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (provider == null) {
            notes.add("the buffer is host memory (or emulated): no peer-to-peer DMA, nothing for the kernel to refuse");
            return new Result(verdicts, refusals, notes);
        }
        PciFunction p = live.function(provider).orElse(null);
        if (p == null) {
            refusals.add("provider " + provider + " is not in this host's PCI tree");
            return new Result(verdicts, refusals, notes);
        }
        if (p.p2pmem() == null) {
            // The p2pmem group is removed with the pool (unbind): the kernel decides nothing for a provider
            // without p2pdma state, so no verdict is shown.
            refusals.add("provider " + provider + " has no p2pmem pool now (no p2pmem/ in its sysfs directory): it "
                    + "is unbound, its driver registered no memory, or it has none; no verdict");
            return new Result(verdicts, refusals, notes);
        }
        P2pdmaEngine engine = new P2pdmaEngine(live);
        String[] roles = {"source (pread by)", "destination (pwrite by)"};
        Backing[] sides = {source, destination};
        for (int i = 0; i < 2; i++) {
            String role = roles[i].split(" ")[0];
            switch (sides[i]) {
                case null -> notes.add("the " + role + " is not " + (i == 0 ? "read" : "written") + ": no verdict needed");
                case DeviceMap.MultipathHead h -> {
                    notes.add(roles[i] + " " + h.describe() + ": not a P2PDMA client");
                    refusals.add("the " + role + " " + h.describe() + ": " + MULTIPATH_RULE);
                }
                case DeviceMap.NotPci n -> refusals.add("the " + role + " is not behind a PCI function (" + n.describe()
                        + "): a p2pmem buffer needs an NVMe PCI namespace, whose queue advertises P2PDMA");
                case DeviceMap.Function f when !f.nvme() -> refusals.add("the " + role + " " + f.describe() + " is not "
                        + "an NVMe namespace: only NVMe PCI queues advertise P2PDMA, so the kernel refuses p2pmem "
                        + "O_DIRECT to it (EREMOTEIO)");
                case DeviceMap.Function f when !live.contains(f.function()) -> refusals.add("the " + role + "'s "
                        + "function " + f.function() + " is not in this host's PCI tree: no verdict");
                case DeviceMap.Function f -> {
                    Verdict v = engine.decide(provider, f.function());
                    verdicts.add(v);
                    notes.add(roles[i] + " " + f.function() + ": " + v.mapType() + ", distance " + v.distance());
                    if (v.mapType() == MapType.NOT_SUPPORTED) {
                        refusals.add("provider " + provider + " -> " + f.function() + " is NOT_SUPPORTED: " + VerdictText.reason(v));
                    }
                }
            }
        }
        return new Result(verdicts, refusals, notes);
    }
}
