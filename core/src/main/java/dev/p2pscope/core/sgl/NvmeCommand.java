package dev.p2pscope.core.sgl;

import dev.p2pscope.core.model.KernelProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/// How nvme-pci describes a mapped scatterlist to the controller: PRP1/PRP2 and PRP list pages (4 KiB controller
/// pages), or NVMe SGL descriptors; and the block status when mapping failed.
///
/// @param layout   PRP or SGL (or NONE when mapping failed)
/// @param lines    the data pointer fields and list pages, one per line
/// @param blkStatus `BLK_STS_OK`, or the status the driver returns for the failed mapping
public record NvmeCommand(Layout layout, List<String> lines, String blkStatus) {

    /// Data pointer layouts.
    public enum Layout { PRP, SGL, NONE }

    public static final long CTRL_PAGE = 4096;
    /// nvme-pci's module parameter sgl_threshold: use SGLs when the average segment is at least this long.
    public static final long SGL_THRESHOLD = 32 * 1024;
    static final int PRPS_PER_PAGE = (int) (CTRL_PAGE / 8);
    static final int SGLS_PER_PAGE = (int) (CTRL_PAGE / 16);

    /// Builds the command for `table`, as nvme-pci would with a controller that does (or does not) support SGLs.
    public static NvmeCommand of(SgTable table, boolean controllerSgls, KernelProfile profile) {
        if (!table.ok()) {
            String status = table.error().errno() == SglMapper.EREMOTEIO
                    ? (profile == KernelProfile.NEWEST ? "BLK_STS_INVAL (newest: the blk_rq_dma_map iterator refuses "
                       + "a P2P page it cannot map; 6.0-6.15 return BLK_STS_TARGET, seen as EREMOTEIO)"
                       : "BLK_STS_TARGET (dma_map_sgtable() returned -EREMOTEIO; userspace sees EREMOTEIO)")
                    : "BLK_STS_RESOURCE";
            return new NvmeCommand(Layout.NONE, List.of("no command: mapping failed"), status);
        }
        List<SgTable.Mapped> segs = table.mapped();
        long total = table.mappedBytes();
        long avg = (total + segs.size() - 1) / segs.size();
        boolean sgl = controllerSgls && segs.size() > 1 && avg >= SGL_THRESHOLD;
        if (sgl || (controllerSgls && !prpCompatible(segs))) return sgl(segs);
        if (!prpCompatible(segs)) {
            return new NvmeCommand(Layout.NONE, List.of("the segments cannot be described by PRPs (a gap inside a "
                    + "controller page) and the controller has no SGL support"), "BLK_STS_IOERR");
        }
        return prp(segs);
    }

    /// Every segment but the first starts on a controller page; every segment but the last ends on one.
    static boolean prpCompatible(List<SgTable.Mapped> segs) {
        for (int i = 0; i < segs.size(); i++) {
            SgTable.Mapped m = segs.get(i);
            if (i > 0 && m.dmaAddress() % CTRL_PAGE != 0) return false;
            if (i < segs.size() - 1 && (m.dmaAddress() + m.dmaLength()) % CTRL_PAGE != 0) return false;
        }
        return true;
    }

    static NvmeCommand prp(List<SgTable.Mapped> segs) {
        List<Long> entries = new ArrayList<>();
        for (SgTable.Mapped m : segs) {
            long a = m.dmaAddress();
            long end = m.dmaAddress() + m.dmaLength();
            entries.add(a);
            for (long p = (a / CTRL_PAGE + 1) * CTRL_PAGE; p < end; p += CTRL_PAGE) entries.add(p);
        }
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "PRP1 = 0x%x", entries.getFirst()));
        if (entries.size() == 2) {
            lines.add(String.format(Locale.ROOT, "PRP2 = 0x%x", entries.get(1)));
        } else if (entries.size() > 2) {
            List<Long> rest = entries.subList(1, entries.size());
            int page = 0;
            lines.add("PRP2 = PRP list page 0");
            for (int i = 0; i < rest.size(); page++) {
                boolean last = rest.size() - i <= PRPS_PER_PAGE;
                int n = last ? rest.size() - i : PRPS_PER_PAGE - 1;
                StringBuilder b = new StringBuilder("PRP list page " + page + ": ");
                for (int k = 0; k < n; k++) {
                    if (k > 0) b.append(", ");
                    if (k == 6 && n > 8) {
                        b.append("... (").append(n - 7).append(" more)");
                        k = n - 2;
                        continue;
                    }
                    b.append(String.format(Locale.ROOT, "0x%x", rest.get(i + k)));
                }
                if (!last) b.append(", -> PRP list page ").append(page + 1);
                lines.add(b.toString());
                i += n;
            }
        }
        return new NvmeCommand(Layout.PRP, lines, "BLK_STS_OK");
    }

    static NvmeCommand sgl(List<SgTable.Mapped> segs) {
        List<String> lines = new ArrayList<>();
        if (segs.size() == 1) {
            lines.add(String.format(Locale.ROOT, "SGL1 = data block 0x%x+%d", segs.getFirst().dmaAddress(),
                    segs.getFirst().dmaLength()));
            return new NvmeCommand(Layout.SGL, lines, "BLK_STS_OK");
        }
        int pages = (segs.size() + SGLS_PER_PAGE - 2) / (SGLS_PER_PAGE - 1);
        lines.add("SGL1 = " + (pages == 1 ? "last segment" : "segment") + " descriptor -> SGL page 0 ("
                + Math.min(segs.size(), SGLS_PER_PAGE) + " descriptors)");
        int i = 0;
        for (int page = 0; i < segs.size(); page++) {
            boolean last = segs.size() - i <= SGLS_PER_PAGE;
            int n = last ? segs.size() - i : SGLS_PER_PAGE - 1;
            for (int k = 0; k < n; k++) {
                SgTable.Mapped m = segs.get(i + k);
                lines.add(String.format(Locale.ROOT, "  page %d [%d] data block 0x%x+%d%s", page, k, m.dmaAddress(),
                        m.dmaLength(), m.busAddress() ? "  (PCI bus address)" : ""));
            }
            if (!last) lines.add("  page " + page + " [" + n + "] " + (segs.size() - i - n <= SGLS_PER_PAGE
                    ? "last segment" : "segment") + " descriptor -> SGL page " + (page + 1));
            i += n;
        }
        return new NvmeCommand(Layout.SGL, lines, "BLK_STS_OK");
    }
}
