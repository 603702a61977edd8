package dev.p2pscope.core.sgl;

import dev.p2pscope.core.engine.KernelSession;
import dev.p2pscope.core.engine.MapType;
import dev.p2pscope.core.engine.P2pdmaEngine;
import dev.p2pscope.core.model.KernelProfile;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.Topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/// Simulates `dma_map_sgtable()` / `dma_unmap_sgtable()` of a scatterlist mixing host pages and P2PDMA pages for
/// one client, under dma-direct, dma-iommu or DMA ops without P2PDMA support, per kernel profile
/// (`p2pdma-kernel-semantics.md` §6). The 5.15 profile is the userspace-P2PDMA series (v3) applied to 5.15.
public final class SglMapper {

    /// 5.15 series: bit 2 of `page_link` (SG_DMA_PCI_P2PDMA). Newest: `dma_flags` SG_DMA_BUS_ADDRESS.
    public static final int SG_DMA_PCI_P2PDMA = 0x04;
    public static final int SG_DMA_BUS_ADDRESS = 1;
    public static final int SG_DMA_SWIOTLB = 1 << 1;
    static final int EIO = 5, ENOMEM = 12, EINVAL = 22, EREMOTEIO = 121;
    /// Where simulated swiotlb bounce buffers and IOVA allocations live.
    static final long SWIOTLB_BASE = 0x7c00_0000L;

    private final Topology topology;
    private final KernelSession session;
    private final Map<PciAddress, ProviderMemory> memories = new HashMap<>();
    private final boolean stateCache;
    private final P2pdmaEngine fresh;
    private boolean recordTrace = true;

    /// @param stateCache true to model the kernel's per-list state (a map type is looked up only when the provider
    ///                   changes); false decides afresh for every segment (the benchmark's comparison)
    public SglMapper(Topology topology, KernelSession session, List<ProviderMemory> memories, boolean stateCache) {
        this.topology = topology;
        this.session = session;
        for (ProviderMemory m : memories) this.memories.put(m.provider(), m);
        this.stateCache = stateCache;
        this.fresh = new P2pdmaEngine(topology);
    }

    /// Turns the step-by-step trace off (for benchmarks: formatting a line per segment costs more than mapping it).
    public SglMapper withoutTrace() {
        recordTrace = false;
        return this;
    }

    public SglMapper(Topology topology) {
        this(topology, new KernelSession(topology), List.of(), true);
    }

    private ProviderMemory memory(PciAddress provider) {
        return memories.computeIfAbsent(provider, p -> ProviderMemory.synthetic(p, memories.size(), 0));
    }

    /// The CPU physical address of a segment's first byte.
    public long phys(Segment s) {
        return s.isP2p() ? memory(s.provider()).physBase() + s.address() : s.address();
    }

    /// `dma_map_sgtable(client, list)`.
    public SgTable map(PciAddress client, List<Segment> list, DmaConfig dma) {
        topology.require(client);
        KernelProfile profile = topology.kernel();
        List<String> trace = recordTrace ? new ArrayList<>() : new NoTrace();
        List<SgTable.Entry> entries = new ArrayList<>();
        for (Segment s : list) entries.add(new SgTable.Entry(s, phys(s), s.length(), 0, 0));
        // Per-list P2PDMA state (pci_p2pdma_state() / pci_p2pdma_map_segment()): recomputed only when the
        // provider (the page's pagemap) changes from the previous P2P segment.
        PciAddress stateProvider = null;
        MapType stateType = MapType.NONE;
        int lookups = 0;
        MapType[] types = new MapType[list.size()];
        String[] stateNotes = recordTrace ? new String[list.size()] : null;
        for (int i = 0; i < list.size(); i++) {
            Segment s = list.get(i);
            if (!s.isP2p()) {
                types[i] = MapType.NONE;
                continue;
            }
            if (!stateCache || !s.provider().equals(stateProvider)) {
                topology.require(s.provider());
                stateProvider = s.provider();
                stateType = stateCache ? lookup(s.provider(), client) : fresh.decide(s.provider(), client, false).mapType();
                lookups++;
                // Recorded now, told when the mapping loop reaches entry i (where the kernel computes it).
                if (recordTrace) stateNotes[i] = String.format(java.util.Locale.ROOT,
                        "entry %d: provider %s -> map type %s (per-list state %s)", i, s.provider(), stateType,
                        stateCache ? "recomputed: provider changed" : "looked up");
            }
            types[i] = stateType;
        }
        if (!dma.p2pdmaSupported() && list.stream().anyMatch(Segment::isP2p)) {
            int at = firstP2p(list);
            stateNote(trace, stateNotes, at);
            return fail(entries, list.size(), new SgTable.MapError(EREMOTEIO, "EREMOTEIO", at,
                    "the client's DMA ops do not support P2PDMA (dma_pci_p2pdma_supported() is false)"), trace, lookups);
        }
        return switch (dma.mode()) {
            case DIRECT, NO_P2P_OPS -> direct(client, list, entries, types, stateNotes, dma, profile, trace, lookups);
            case IOMMU -> iommu(client, list, entries, types, stateNotes, dma, profile, trace, lookups);
        };
    }

    private static void stateNote(List<String> trace, String[] stateNotes, int i) {
        if (stateNotes != null && i >= 0 && stateNotes[i] != null) trace.add(stateNotes[i]);
    }

    private MapType lookup(PciAddress provider, PciAddress client) {
        MapType t = session.mapType(provider, client);
        // The 5.15 series' patch "attempt to set map_type if it has not been set" computes on a cache miss.
        if (t == MapType.UNKNOWN) t = session.distance(provider, client, true).mapType();
        return t;
    }

    private static int firstP2p(List<Segment> list) {
        for (int i = 0; i < list.size(); i++) if (list.get(i).isP2p()) return i;
        return -1;
    }

    private SgTable.Entry marked(SgTable.Entry e, KernelProfile profile) {
        return profile == KernelProfile.V5_15
                ? new SgTable.Entry(e.segment(), e.phys(), e.length(), e.pageLinkFlags() | SG_DMA_PCI_P2PDMA, e.dmaFlags())
                : new SgTable.Entry(e.segment(), e.phys(), e.length(), e.pageLinkFlags(), e.dmaFlags() | SG_DMA_BUS_ADDRESS);
    }

    private static String markName(KernelProfile p) {
        return p == KernelProfile.V5_15 ? "page_link |= SG_DMA_PCI_P2PDMA (0x04)" : "dma_flags |= SG_DMA_BUS_ADDRESS";
    }

    /// dma-direct `dma_direct_map_sg()`: one output per input, no merging.
    private SgTable direct(PciAddress client, List<Segment> list, List<SgTable.Entry> entries, MapType[] types,
                           String[] stateNotes, DmaConfig dma, KernelProfile profile, List<String> trace, int lookups) {
        List<SgTable.Mapped> out = new ArrayList<>();
        long bounce = SWIOTLB_BASE;
        for (int i = 0; i < list.size(); i++) {
            Segment s = list.get(i);
            SgTable.Entry e = entries.get(i);
            stateNote(trace, stateNotes, i);
            switch (types[i]) {
                case BUS_ADDR -> {
                    long bus = e.phys() + memory(s.provider()).busOffset();
                    entries.set(i, marked(e, profile));
                    out.add(new SgTable.Mapped(bus, e.length(), true, false, List.of(i)));
                    note(trace, "entry %d: BUS_ADDR -> bus address 0x%x (phys + bus_offset), "
                            + "%s, no IOMMU", i, bus, markName(profile));
                }
                case THRU_HOST_BRIDGE -> {
                    if (dma.dmaMask() != -1 && e.phys() + e.length() - 1 > dma.dmaMask()) {
                        return fail(entries, list.size(), new SgTable.MapError(EIO, "EIO", i, "P2PDMA page above the "
                                + "DMA mask: P2PDMA pages are never bounced through swiotlb"), trace, lookups);
                    }
                    out.add(new SgTable.Mapped(e.phys(), e.length(), false, false, List.of(i)));
                    note(trace, "entry %d: THRU_HOST_BRIDGE -> CPU physical 0x%x (through the "
                            + "host bridge, MMIO, no cache sync)", i, e.phys());
                }
                case NONE -> {
                    if (dma.dmaMask() != -1 && e.phys() + e.length() - 1 > dma.dmaMask()) {
                        if (!dma.swiotlb()) {
                            return fail(entries, list.size(), new SgTable.MapError(EIO, "EIO", i, "host page above the "
                                    + "DMA mask and no swiotlb"), trace, lookups);
                        }
                        out.add(new SgTable.Mapped(bounce, e.length(), false, true, List.of(i)));
                        note(trace, "entry %d: host page 0x%x above the DMA mask -> swiotlb "
                                + "bounce buffer 0x%x", i, e.phys(), bounce);
                        bounce += align(e.length(), 2048);
                    } else {
                        out.add(new SgTable.Mapped(e.phys(), e.length(), false, false, List.of(i)));
                        note(trace, "entry %d: host page -> 0x%x", i, e.phys());
                    }
                }
                default -> {
                    return fail(entries, list.size(), new SgTable.MapError(EREMOTEIO, "EREMOTEIO", i, "map type "
                            + types[i] + " for " + s.provider() + " -> " + client + ": the kernel cannot map this page "
                            + "for this client; what was mapped is unmapped"), trace, lookups);
                }
            }
        }
        return new SgTable(entries, out, list.size(), out.size(), null, trace, lookups);
    }

    /// dma-iommu `iommu_dma_map_sg()` then `__finalise_sg()`: IOVA for host and THRU_HOST_BRIDGE pages (one
    /// contiguous allocation, padded so no output crosses the segment boundary), bus addresses for BUS_ADDR pages,
    /// and merging of IOVA-contiguous entries up to the maximum segment size.
    private SgTable iommu(PciAddress client, List<Segment> list, List<SgTable.Entry> entries, MapType[] types,
                          String[] stateNotes, DmaConfig dma, KernelProfile profile, List<String> trace, int lookups) {
        long granule = dma.granule();
        long boundaryMask = dma.segmentBoundary();
        long[] ivaOff = new long[list.size()];
        long[] ivaLen = new long[list.size()];
        long iovaLen = 0;
        int prev = -1;
        for (int i = 0; i < list.size(); i++) {
            SgTable.Entry e = entries.get(i);
            MapType t = types[i];
            stateNote(trace, stateNotes, i);
            if (t == MapType.BUS_ADDR) {
                entries.set(i, marked(e, profile));
                note(trace, profile == KernelProfile.V5_15
                        ? "entry %d: BUS_ADDR -> zero-length IOVA entry (ignored by iommu_map_sg), bus address filled "
                          + "in at finalise; %s"
                        : "entry %d: BUS_ADDR -> bus address pre-filled and marked (%s); iommu_map_sg skips it",
                        i, markName(profile));
                continue;
            }
            if (t != MapType.NONE && t != MapType.THRU_HOST_BRIDGE) {
                return fail(entries, list.size(), new SgTable.MapError(EREMOTEIO, "EREMOTEIO", i, "map type " + t
                        + " for " + list.get(i).provider() + " -> " + client), trace, lookups);
            }
            ivaOff[i] = e.phys() & (granule - 1);
            ivaLen[i] = align(e.length() + ivaOff[i], granule);
            long pad = (boundaryMask - iovaLen + 1) & boundaryMask;
            if (pad != 0 && pad < ivaLen[i] - 1 && prev >= 0) {
                ivaLen[prev] += pad;
                iovaLen += pad;
            }
            iovaLen += ivaLen[i];
            prev = i;
            note(trace, "entry %d: %s -> IOVA slot of %d bytes (offset 0x%x in its granule)",
                    i, t == MapType.NONE ? "host page" : "THRU_HOST_BRIDGE page", ivaLen[i], ivaOff[i]);
        }
        long base = 0;
        if (iovaLen == 0) {
            trace.add("every entry is a bus address: no IOVA is allocated");
        } else {
            long limit = dma.dmaMask() == -1 ? (1L << 48) - 1 : dma.dmaMask();
            if (iovaLen > limit + 1 - granule) {
                return fail(entries, list.size(), new SgTable.MapError(ENOMEM, "ENOMEM", -1, "no IOVA space of "
                        + iovaLen + " bytes below the DMA mask"), trace, lookups);
            }
            // The IOVA allocator hands out space from the top of the device's range downwards.
            base = Math.min(limit + 1, 1L << 32) - align(iovaLen, granule);
            note(trace, "IOVA 0x%x-0x%x allocated and mapped (%d bytes)", base,
                    base + iovaLen - 1, iovaLen);
        }
        // __finalise_sg: walk again, merging IOVA-contiguous entries.
        List<SgTable.Mapped> out = new ArrayList<>();
        long dmaAddr = base;
        long curLen = 0;
        List<Integer> curInputs = new ArrayList<>();
        long curStart = 0;
        for (int i = 0; i < list.size(); i++) {
            SgTable.Entry e = entries.get(i);
            if (types[i] == MapType.BUS_ADDR) {
                if (curLen > 0) out.add(new SgTable.Mapped(curStart, curLen, false, false, curInputs));
                curLen = 0;
                curInputs = new ArrayList<>();
                long bus = e.phys() + memory(list.get(i).provider()).busOffset();
                out.add(new SgTable.Mapped(bus, e.length(), true, false, List.of(i)));
                note(trace, "finalise: entry %d -> output %d, bus address 0x%x", i,
                        out.size() - 1, bus);
                continue;
            }
            long len = e.length();
            boolean merge = curLen > 0 && ivaOff[i] == 0 && (dmaAddr & boundaryMask) != 0
                    && dma.maxSegmentSize() - curLen >= len;
            if (merge) {
                curLen += len;
                curInputs.add(i);
                note(trace, "finalise: entry %d merged into output %d (IOVA-contiguous)", i,
                        out.size());
            } else {
                if (curLen > 0) out.add(new SgTable.Mapped(curStart, curLen, false, false, curInputs));
                curStart = dmaAddr + ivaOff[i];
                curLen = len;
                curInputs = new ArrayList<>(List.of(i));
                note(trace, "finalise: entry %d -> output %d at IOVA 0x%x", i, out.size(),
                        curStart);
            }
            dmaAddr += ivaLen[i];
            if (len + ivaOff[i] < ivaLen[i]) {
                out.add(new SgTable.Mapped(curStart, curLen, false, false, curInputs));
                curLen = 0;
                curInputs = new ArrayList<>();
            }
        }
        if (curLen > 0) out.add(new SgTable.Mapped(curStart, curLen, false, false, curInputs));
        return new SgTable(entries, out, list.size(), out.size(), null, trace, lookups);
    }

    private static SgTable fail(List<SgTable.Entry> entries, int origNents, SgTable.MapError error, List<String> trace,
                                int lookups) {
        trace.add("error: -" + error.name() + " at entry " + error.atEntry() + ": " + error.reason()
                + "; dma_map_sgtable() returns " + error.sgtableReturn() + ", dma_map_sg() returns 0");
        // What was mapped is unmapped and the marks cleared: the caller's list is as it was.
        List<SgTable.Entry> clean = new ArrayList<>();
        for (SgTable.Entry e : entries) clean.add(new SgTable.Entry(e.segment(), e.phys(), e.length(), 0, 0));
        return new SgTable(clean, List.of(), origNents, 0, error, trace, lookups);
    }

    /// `dma_unmap_sgtable()`: bus-address entries are skipped (nothing to unmap) and their marks cleared; the IOVA
    /// range or bounce buffers of the rest are released. Returns the entries as the caller had built them. `trace`
    /// may be null (no steps recorded).
    public static List<SgTable.Entry> unmap(SgTable table, List<String> trace) {
        if (trace == null) {
            List<SgTable.Entry> out = new ArrayList<>(table.entries().size());
            for (SgTable.Entry e : table.entries()) out.add(new SgTable.Entry(e.segment(), e.phys(), e.length(), 0, 0));
            return out;
        }
        List<SgTable.Entry> out = new ArrayList<>();
        for (int i = 0; i < table.entries().size(); i++) {
            SgTable.Entry e = table.entries().get(i);
            if (e.marked()) trace.add("unmap: entry " + i + " is a bus address: skipped, mark cleared");
            out.add(new SgTable.Entry(e.segment(), e.phys(), e.length(), 0, 0));
        }
        for (SgTable.Mapped m : table.mapped()) {
            if (!m.busAddress()) trace.add(String.format(Locale.ROOT, "unmap: release 0x%x+%d%s", m.dmaAddress(),
                    m.dmaLength(), m.swiotlb() ? " (copy back from the bounce buffer)" : ""));
        }
        return out;
    }

    private void note(List<String> trace, String format, Object... args) {
        if (recordTrace) trace.add(String.format(Locale.ROOT, format, args));
    }

    /// A trace that drops what it is given.
    private static final class NoTrace extends java.util.AbstractList<String> {
        @Override public boolean add(String s) { return true; }
        @Override public String get(int i) { throw new IndexOutOfBoundsException(i); }
        @Override public int size() { return 0; }
    }

    static long align(long v, long a) {
        return (v + a - 1) / a * a;
    }
}
