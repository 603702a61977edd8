package dev.p2pscope.core.sgl;

import dev.p2pscope.core.model.PciAddress;

/// Where a provider's p2pmem sits: the CPU physical address of the pool (its BAR) and the pagemap's
/// `bus_offset` (PCI bus address minus CPU physical address; 0 on most x86 hosts).
public record ProviderMemory(PciAddress provider, long physBase, long busOffset) {

    /// A made-up but plausible BAR address per provider, for simulations without real addresses.
    public static ProviderMemory synthetic(PciAddress provider, int index, long busOffset) {
        return new ProviderMemory(provider, 0x3800_0000_0000L + (long) index * 0x1_0000_0000L, busOffset);
    }
}
