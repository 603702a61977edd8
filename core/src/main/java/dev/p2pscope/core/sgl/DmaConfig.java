package dev.p2pscope.core.sgl;

/// How the client device's DMA is mapped.
///
/// @param mode            dma-direct, dma-iommu, or DMA ops that do not support P2PDMA
/// @param dmaMask         the device's DMA mask (host pages above it are bounced through swiotlb)
/// @param granule         the IOMMU page size (IOVA granule)
/// @param segmentBoundary `dma_get_seg_boundary()`: a merged IOVA segment may not cross a multiple of this + 1
/// @param maxSegmentSize  `dma_get_max_seg_size()`: the longest merged output segment
/// @param swiotlb         whether swiotlb bouncing is available for host pages above the mask
public record DmaConfig(Mode mode, long dmaMask, long granule, long segmentBoundary, long maxSegmentSize,
                        boolean swiotlb) {

    /// The DMA implementation.
    public enum Mode { DIRECT, IOMMU, NO_P2P_OPS }

    public static DmaConfig direct() {
        return new DmaConfig(Mode.DIRECT, -1L, 4096, 0xffffffffL, 65536, true);
    }

    public static DmaConfig iommu() {
        return new DmaConfig(Mode.IOMMU, -1L, 4096, 0xffffffffL, 65536, true);
    }

    public DmaConfig withMask(long mask) {
        return new DmaConfig(mode, mask, granule, segmentBoundary, maxSegmentSize, swiotlb);
    }

    public DmaConfig withMode(Mode m) {
        return new DmaConfig(m, dmaMask, granule, segmentBoundary, maxSegmentSize, swiotlb);
    }

    public DmaConfig withMaxSegmentSize(long size) {
        return new DmaConfig(mode, dmaMask, granule, segmentBoundary, size, swiotlb);
    }

    /// Whether `dma_pci_p2pdma_supported()` is true for the client: dma-direct and the default dma-iommu.
    public boolean p2pdmaSupported() {
        return mode != Mode.NO_P2P_OPS;
    }
}
