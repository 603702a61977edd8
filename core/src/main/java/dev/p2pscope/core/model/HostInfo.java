package dev.p2pscope.core.model;

/// What was read of the host beside its PCI tree: kernel release, kernel command line and IOMMU state.
/// Every component may be null (unknown).
///
/// @param kernelRelease `/proc/sys/kernel/osrelease`, e.g. `6.12.117`
/// @param cmdline       `/proc/cmdline`
/// @param iommu         IOMMU presence and mode as read or stated, e.g. `none`, `intel`, `amd`, or null
public record HostInfo(String kernelRelease, String cmdline, String iommu) {

    public static final HostInfo NONE = new HostInfo(null, null, null);

    public boolean isEmpty() {
        return kernelRelease == null && cmdline == null && iommu == null;
    }
}
