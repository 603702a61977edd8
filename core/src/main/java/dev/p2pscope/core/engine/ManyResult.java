package dev.p2pscope.core.engine;

import dev.p2pscope.core.model.PciAddress;

import java.util.List;

/// The answer of `pci_p2pdma_distance_many()`: the summed distance or -1, the per-client verdicts that were
/// computed (fewer than the clients when it stopped early) and every kernel message in order.
public record ManyResult(PciAddress provider, int distance, List<Verdict> verdicts, List<KernelMessage> messages) {
    public ManyResult {
        verdicts = List.copyOf(verdicts);
        messages = List.copyOf(messages);
    }
}
