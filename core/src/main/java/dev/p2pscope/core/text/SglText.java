package dev.p2pscope.core.text;

import dev.p2pscope.core.model.KernelProfile;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.sgl.DmaConfig;
import dev.p2pscope.core.sgl.NvmeCommand;
import dev.p2pscope.core.sgl.SgTable;

import java.util.Locale;

/// A mapped (or refused) scatterlist as text: entries in, DMA segments out, the NVMe command, the steps.
public final class SglText {

    private SglText() {
    }

    public static String render(PciAddress client, DmaConfig dma, KernelProfile profile, SgTable table, NvmeCommand nvme) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "client %s, %s, kernel %s, %d entries in%n%n", client,
                dma.mode() == DmaConfig.Mode.IOMMU ? "dma-iommu" : dma.mode() == DmaConfig.Mode.DIRECT ? "dma-direct"
                        : "DMA ops without P2PDMA", profile, table.origNents()));
        b.append(String.format(Locale.ROOT, "  %-3s %-34s %-18s %-8s %s%n", "in", "segment", "phys", "length", "mark"));
        for (int i = 0; i < table.entries().size(); i++) {
            SgTable.Entry e = table.entries().get(i);
            b.append(String.format(Locale.ROOT, "  %-3d %-34s 0x%-16x %-8d %s%n", i, e.segment(), e.phys(), e.length(),
                    e.pageLinkFlags() != 0 ? "page_link 0x04" : e.dmaFlags() != 0 ? "SG_DMA_BUS_ADDRESS" : ""));
        }
        b.append('\n');
        if (table.ok()) {
            b.append(String.format(Locale.ROOT, "  %-3s %-18s %-8s %-22s %s%n", "out", "dma address", "length", "kind",
                    "from entries"));
            for (int i = 0; i < table.mapped().size(); i++) {
                SgTable.Mapped m = table.mapped().get(i);
                b.append(String.format(Locale.ROOT, "  %-3d 0x%-16x %-8d %-22s %s%n", i, m.dmaAddress(), m.dmaLength(),
                        m.busAddress() ? "PCI bus address" : m.swiotlb() ? "swiotlb bounce"
                                : dma.mode() == DmaConfig.Mode.IOMMU ? "IOVA" : "CPU physical", m.inputs()));
            }
            b.append(String.format(Locale.ROOT, "%norig_nents %d, nents %d, %d verdict lookup(s)%n", table.origNents(),
                    table.nents(), table.verdictLookups()));
        } else {
            b.append(String.format(Locale.ROOT, "error: -%s at entry %d: %s%ndma_map_sgtable() returns %d; "
                    + "dma_map_sg() returns 0%n", table.error().name(), table.error().atEntry(), table.error().reason(),
                    table.error().sgtableReturn()));
        }
        b.append('\n').append("NVMe command (").append(nvme.layout()).append(", ").append(nvme.blkStatus())
                .append("):\n");
        nvme.lines().forEach(l -> b.append("  ").append(l).append('\n'));
        b.append('\n').append("steps:\n");
        table.trace().forEach(s -> b.append("  ").append(s).append('\n'));
        return b.toString();
    }
}
