package dev.p2pscope.core.live;

import dev.p2pscope.core.engine.MapType;
import dev.p2pscope.core.engine.P2pdmaEngine;
import dev.p2pscope.core.engine.Verdict;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.Topology;

import java.util.ArrayList;
import java.util.List;

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
