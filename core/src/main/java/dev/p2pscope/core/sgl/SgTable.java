package dev.p2pscope.core.sgl;

import java.util.List;

/// A scatterlist after `dma_map_sgtable()` (or its failure): every input entry with the fields the kernel keeps
/// in it, the mapped output entries, `orig_nents` and `nents`, the error if any, and the steps that got there.
///
/// @param entries   the input entries as they are after the operation (marks and lengths included)
/// @param mapped    the DMA segments a device is given (the first `nents` entries' dma_address/dma_length)
/// @param origNents how many entries the caller built
/// @param nents     how many DMA segments came out (0 on failure)
/// @param error     null on success
/// @param trace     every step, for the window to animate and for the CLI to print
/// @param verdictLookups how many times the per-list state asked the engine for a map type
public record SgTable(List<Entry> entries, List<Mapped> mapped, int origNents, int nents, MapError error,
                      List<String> trace, int verdictLookups) {

    public SgTable {
        entries = List.copyOf(entries);
        mapped = List.copyOf(mapped);
        trace = List.copyOf(trace);
    }

    /// One scatterlist entry: its page (host physical or provider offset), offset, length, and the P2PDMA mark in
    /// the place the profile keeps it (5.15 series: bit 0x04 of `page_link`; newest: `dma_flags` bit 0).
    public record Entry(Segment segment, long phys, long length, int pageLinkFlags, int dmaFlags) {
        public boolean marked() {
            return (pageLinkFlags & SglMapper.SG_DMA_PCI_P2PDMA) != 0 || (dmaFlags & SglMapper.SG_DMA_BUS_ADDRESS) != 0;
        }
    }

    /// One output DMA segment.
    ///
    /// @param dmaAddress what the device is told to use
    /// @param dmaLength  bytes
    /// @param busAddress a PCI bus address (BUS_ADDR P2PDMA): not translated by any IOMMU, never unmapped
    /// @param swiotlb    a bounce buffer stands in for the host page
    /// @param inputs     which input entries it covers (several when dma-iommu merged them)
    public record Mapped(long dmaAddress, long dmaLength, boolean busAddress, boolean swiotlb, List<Integer> inputs) {
        public Mapped {
            inputs = List.copyOf(inputs);
        }
    }

    /// A failure as the kernel returns it: `dma_map_sgtable()` gives `-errno`; plain `dma_map_sg()` gives 0.
    public record MapError(int errno, String name, int atEntry, String reason) {
        public int sgtableReturn() { return -errno; }
        public int mapSgReturn() { return 0; }
    }

    public boolean ok() {
        return error == null;
    }

    /// Bytes covered by the output segments.
    public long mappedBytes() {
        return mapped.stream().mapToLong(Mapped::dmaLength).sum();
    }
}
