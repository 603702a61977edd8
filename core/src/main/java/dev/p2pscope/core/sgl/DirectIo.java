package dev.p2pscope.core.sgl;

import dev.p2pscope.core.text.VerdictText;
import dev.p2pscope.core.engine.P2pdmaEngine;
import dev.p2pscope.core.engine.Verdict;
import dev.p2pscope.core.model.KernelProfile;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;

import java.util.ArrayList;
import java.util.List;

/// Predicts what the kernel does with a read or write whose buffer may be p2pmem mapped into the process:
/// P2P through the switch or the host bridge, a CPU copy, or EREMOTEIO / EINVAL / ENODEV / SIGBUS, with the
/// reason (`p2pdma-kernel-semantics.md` §5 and §6.4).
public final class DirectIo {

    private DirectIo() {
    }

    /// Where the buffer comes from.
    public enum Buffer {
        /// Ordinary process memory.
        HOST,
        /// `mmap()` of `/sys/bus/pci/devices/BDF/p2pmem/allocate` (kernel 6.2+).
        P2PMEM_ALLOCATE,
        /// `mmap()` of the NVMe character device `/dev/nvmeN` (the userspace P2PDMA series, ≤ v8).
        NVME_CHARDEV
    }

    /// The question.
    ///
    /// @param buffer       where the buffer comes from
    /// @param provider     the provider owning the p2pmem (null for HOST)
    /// @param target       the PCI function behind the file or block device the I/O goes to
    /// @param oDirect      O_DIRECT (else buffered I/O)
    /// @param shared       the mapping is MAP_SHARED (else MAP_PRIVATE)
    /// @param mmapOffset   the offset passed to mmap
    /// @param providerUnbound the provider's driver is unbound while the buffer is mapped
    public record Request(Buffer buffer, PciAddress provider, PciAddress target, boolean oDirect, boolean shared,
                          long mmapOffset, boolean providerUnbound) { }

    /// Outcomes.
    public enum Result { P2P_BUS_ADDR, P2P_THRU_HOST_BRIDGE, HOST_DMA, CPU_COPY, EREMOTEIO, EINVAL, ENODEV, SIGBUS }

    /// The prediction and each reason in order.
    public record Outcome(Result result, List<String> reasons) {
        public Outcome {
            reasons = List.copyOf(reasons);
        }
    }

    public static Outcome predict(Topology t, Request r) {
        List<String> why = new ArrayList<>();
        KernelProfile profile = t.kernel();
        PciFunction target = t.require(r.target());
        if (r.buffer() == Buffer.HOST) {
            why.add("the buffer is ordinary host memory: the device DMAs to RAM as usual");
            return new Outcome(r.oDirect() ? Result.HOST_DMA : Result.CPU_COPY, why);
        }
        PciFunction provider = t.require(r.provider());
        // mmap rules first.
        if (r.buffer() == Buffer.P2PMEM_ALLOCATE) {
            if (profile == KernelProfile.V5_15) {
                why.add("p2pmem/allocate exists since 6.2; a 5.15 kernel (with the series) maps /dev/nvmeN instead");
                return new Outcome(Result.ENODEV, why);
            }
            if (provider.p2pmem() == null) {
                why.add(provider.address() + " has no p2pmem pool: there is no allocate file (-ENODEV)");
                return new Outcome(Result.ENODEV, why);
            }
            if (!r.shared()) {
                why.add("p2pmem/allocate refuses MAP_PRIVATE: \"fail, attempted private mapping\" (-EINVAL)");
                return new Outcome(Result.EINVAL, why);
            }
            if (r.mmapOffset() != 0) {
                why.add("p2pmem/allocate needs offset 0: \"fail, attempted mapping with non-zero offset\" (-EINVAL)");
                return new Outcome(Result.EINVAL, why);
            }
            why.add("mmap of p2pmem/allocate (MAP_SHARED, offset 0) allocates a fresh chunk of " + provider.address()
                    + "'s pool");
        } else {
            if (profile == KernelProfile.NEWEST) {
                why.add("mapping the NVMe character device was the series' interface up to v8; mainline never had it");
                return new Outcome(Result.ENODEV, why);
            }
            if (!r.shared()) {
                why.add("the NVMe char device mapping must be MAP_SHARED (-EINVAL)");
                return new Outcome(Result.EINVAL, why);
            }
            why.add("mmap of the NVMe char device maps " + provider.address() + "'s CMB (the series' interface)");
        }
        if (r.providerUnbound()) {
            why.add("unbinding the provider removes the allocate file and tears down the user mapping: the next "
                    + "access to the buffer raises SIGBUS");
            return new Outcome(Result.SIGBUS, why);
        }
        if (!r.oDirect()) {
            why.add("buffered I/O copies through the page cache with the CPU: the p2pmem is read or written like "
                    + "slow MMIO, no peer-to-peer DMA");
            return new Outcome(Result.CPU_COPY, why);
        }
        boolean queueP2p = "nvme".equals(target.driver()) || target.classCode() != null
                && target.classCode() >> 8 == 0x0108;
        if (!queueP2p) {
            why.add("the target's queue does not advertise P2PDMA (only NVMe PCI sets it): O_DIRECT pins the pages "
                    + "without FOLL_PCI_P2PDMA, and GUP refuses P2P pages with -EREMOTEIO");
            return new Outcome(Result.EREMOTEIO, why);
        }
        why.add("the NVMe queue advertises P2PDMA, so O_DIRECT pins the pages with FOLL_PCI_P2PDMA");
        Verdict v = new P2pdmaEngine(t).decide(r.provider(), r.target());
        why.add("the kernel's verdict for provider " + r.provider() + " and client " + r.target() + ": "
                + v.mapType() + " (" + VerdictText.reason(v) + ")");
        return switch (v.mapType()) {
            case BUS_ADDR -> {
                why.add("the NVMe device reads/writes the p2pmem by PCI bus address, " + VerdictText.busTurn(v));
                yield new Outcome(Result.P2P_BUS_ADDR, why);
            }
            case THRU_HOST_BRIDGE -> {
                why.add("the DMA goes up through the host bridge (mapped like MMIO, through the IOMMU if any)");
                yield new Outcome(Result.P2P_THRU_HOST_BRIDGE, why);
            }
            default -> {
                if (profile == KernelProfile.NEWEST && before616(t.host().kernelRelease())) {
                    why.add("dma_map_sgtable() fails with -EREMOTEIO; this kernel (" + t.host().kernelRelease()
                            + ", 6.0-6.15) returns BLK_STS_TARGET, which userspace sees as EREMOTEIO");
                    yield new Outcome(Result.EREMOTEIO, why);
                }
                if (profile == KernelProfile.NEWEST) {
                    why.add("the mapping fails: newest kernels return BLK_STS_INVAL (EINVAL); 6.0-6.15, such as 6.12, "
                            + "return BLK_STS_TARGET, which userspace sees as EREMOTEIO");
                    yield new Outcome(Result.EINVAL, why);
                }
                why.add("dma_map_sgtable() fails with -EREMOTEIO: BLK_STS_TARGET, userspace sees EREMOTEIO");
                yield new Outcome(Result.EREMOTEIO, why);
            }
        };
    }

    /// True for a known release from 6.0 up to 6.15 (before the blk_rq_dma_map iterator).
    static boolean before616(String release) {
        if (release == null) return false;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)").matcher(release);
        if (!m.find()) return false;
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        return major == 6 && minor < 16;
    }

    /// `ib_dma_pci_p2p_dma_supported()`: a real (not software) RDMA device whose DMA ops support P2PDMA.
    public static boolean rdmaSupportsP2p(DmaConfig dma, boolean softwareRdma) {
        return !softwareRdma && dma.p2pdmaSupported();
    }

}
