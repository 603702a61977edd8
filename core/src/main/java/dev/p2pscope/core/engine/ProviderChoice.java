package dev.p2pscope.core.engine;

import dev.p2pscope.core.model.PciAddress;

import java.util.List;

/// What `pci_p2pmem_find_many()` would do: every published provider with its `distance_many` (-1 when
/// unsupported), the ones tied at the smallest distance, and the one picked at random (null when none fits).
public record ProviderChoice(List<DmaClient> clients, List<Candidate> candidates, List<PciAddress> closest,
                             int bestDistance, PciAddress chosen) {

    public ProviderChoice {
        clients = List.copyOf(clients);
        candidates = List.copyOf(candidates);
        closest = List.copyOf(closest);
    }

    /// One published provider and its summed distance to the clients.
    public record Candidate(PciAddress provider, int distance) { }
}
