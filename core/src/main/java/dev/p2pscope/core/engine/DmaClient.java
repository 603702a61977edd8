package dev.p2pscope.core.engine;

import dev.p2pscope.core.model.PciAddress;

import java.util.Optional;

/// A device that will DMA to a provider's memory: a PCI function, or another device (an RDMA port, a platform
/// device) whose nearest PCI ancestor, if any, is what `find_parent_pci_dev()` finds.
public sealed interface DmaClient {

    /// The device name the kernel prints in its messages.
    String name();

    /// The PCI device the kernel walks from.
    Optional<PciAddress> pciDevice();

    static DmaClient pci(PciAddress address) {
        return new Pci(address);
    }

    /// A PCI function.
    record Pci(PciAddress address) implements DmaClient {
        @Override public String name() { return address.toString(); }
        @Override public Optional<PciAddress> pciDevice() { return Optional.of(address); }
    }

    /// A non-PCI device, with the PCI device above it in the device model (null when there is none).
    record Other(String name, PciAddress pciParent) implements DmaClient {
        @Override public Optional<PciAddress> pciDevice() { return Optional.ofNullable(pciParent); }
    }
}
