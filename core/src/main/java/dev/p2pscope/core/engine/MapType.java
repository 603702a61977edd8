package dev.p2pscope.core.engine;

import dev.p2pscope.core.model.KernelProfile;

/// Mirrors `enum pci_p2pdma_map_type` (include/linux/pci-p2pdma.h in newest kernels, private to p2pdma.c in
/// 5.15). The numeric values differ between the two; [#kernelValue] gives each profile's.
public enum MapType {
    /// "Not cached yet": an empty xarray slot reads back as 0. Never returned by the exported functions.
    UNKNOWN,
    /// Not a P2PDMA transfer at all (newest kernels, since ≈6.16, for host pages in `pci_p2pdma_state()`).
    NONE,
    /// The kernel refuses peer-to-peer between this provider and client.
    NOT_SUPPORTED,
    /// A common upstream bridge and no ACS redirect: the client uses PCI bus addresses through the switch.
    BUS_ADDR,
    /// The transfer goes up to the host bridge and back down (CPU physical addresses, or an IOMMU mapping).
    THRU_HOST_BRIDGE;

    /// The value this map type has in `profile`'s enum; -1 for NONE in 5.15, which did not have it.
    public int kernelValue(KernelProfile profile) {
        return switch (profile) {
            case NEWEST -> switch (this) {
                case UNKNOWN -> 0; case NONE -> 1; case NOT_SUPPORTED -> 2; case BUS_ADDR -> 3;
                case THRU_HOST_BRIDGE -> 4;
            };
            case V5_15 -> switch (this) {
                case UNKNOWN -> 0; case NONE -> -1; case NOT_SUPPORTED -> 1; case BUS_ADDR -> 2;
                case THRU_HOST_BRIDGE -> 3;
            };
        };
    }

    /// A short symbol for matrices (in the spirit of `nvidia-smi topo -m`).
    public String symbol() {
        return switch (this) {
            case BUS_ADDR -> "BUS";
            case THRU_HOST_BRIDGE -> "HB";
            case NOT_SUPPORTED -> "X";
            case UNKNOWN -> "?";
            case NONE -> "-";
        };
    }
}
