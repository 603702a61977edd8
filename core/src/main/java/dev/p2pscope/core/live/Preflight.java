package dev.p2pscope.core.live;

import dev.p2pscope.core.engine.DmaClient;
import dev.p2pscope.core.engine.MapType;
import dev.p2pscope.core.engine.P2pdmaEngine;
import dev.p2pscope.core.engine.ProviderChoice;
import dev.p2pscope.core.engine.Verdict;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.Topology;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/// The kernel's verdicts for a live copy before anything moves: provider → source device and provider →
/// destination device. NOT_SUPPORTED for either means the kernel will return EREMOTEIO (or EINVAL): refused.
public final class Preflight {

    private Preflight() {
    }

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

    /// The provider a copy's buffer stands for, and its preflight: what the CLI's `--p2pmem` and the window's
    /// buffer choice both decide before anything moves.
    ///
    /// @param provider the provider used, or null (host or emulated buffer, or `auto` found none)
    public record Plan(PciAddress provider, Result result) { }

    /// @param named the provider the user named, or null (a host or emulated buffer, or `auto`)
    /// @param auto  choose the provider as `pci_p2pmem_find_many()` would ([#autoProvider]); when it finds none
    ///              the plan has no provider and says why
    public static Plan plan(Topology live, PciAddress named, boolean auto, PciAddress source, PciAddress destination) {
        if (!auto) return new Plan(named, check(live, named, source, destination));
        ProviderChoice c = autoProvider(live, source, destination);
        if (c.chosen() == null) {
            return new Plan(null, new Result(List.of(), List.of(autoRefusal(live, source, destination, c)), List.of()));
        }
        Result r = check(live, c.chosen(), source, destination);
        List<String> notes = new ArrayList<>();
        notes.add("auto: the kernel would pick " + c.chosen() + " (pci_p2pmem_find_many)");
        notes.addAll(r.notes());
        return new Plan(c.chosen(), new Result(r.verdicts(), r.refusals(), notes));
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

    /// @param provider the p2pmem provider, or null for host/emulated buffers (no P2PDMA: nothing to decide)
    /// @param source   the PCI function behind the source, or null when unknown
    /// @param destination the PCI function behind the destination, or null when unknown
    public static Result check(Topology live, PciAddress provider, PciAddress source, PciAddress destination) {
        List<Verdict> verdicts = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (provider == null) {
            notes.add("the buffer is host memory (or emulated): no peer-to-peer DMA, nothing for the kernel to refuse");
            return new Result(verdicts, refusals, notes);
        }
        P2pdmaEngine engine = new P2pdmaEngine(live);
        String[] roles = {"source (pread by)", "destination (pwrite by)"};
        PciAddress[] devs = {source, destination};
        for (int i = 0; i < 2; i++) {
            if (devs[i] == null) {
                notes.add("the " + roles[i].split(" ")[0] + " is not behind a PCI function in this tree: no verdict");
                continue;
            }
            if (!live.contains(devs[i]) || !live.contains(provider)) {
                notes.add(devs[i] + " or " + provider + " is not in the live tree: no verdict");
                continue;
            }
            Verdict v = engine.decide(provider, devs[i]);
            verdicts.add(v);
            notes.add(roles[i] + " " + devs[i] + ": " + v.mapType() + ", distance " + v.distance());
            if (v.mapType() == MapType.NOT_SUPPORTED) {
                refusals.add("provider " + provider + " -> " + devs[i] + " is NOT_SUPPORTED: " + v.reason());
            }
        }
        return new Result(verdicts, refusals, notes);
    }
}
