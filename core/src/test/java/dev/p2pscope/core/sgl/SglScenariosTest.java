package dev.p2pscope.core.sgl;

import dev.p2pscope.core.engine.KernelSession;
import dev.p2pscope.core.model.KernelProfile;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.samples.Samples;
import dev.p2pscope.core.topology.PciIds;
import dev.p2pscope.core.topology.sysfs.SysfsLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/// What each patch of the userspace-P2PDMA series changes (numbers as in the v3 posting: 01 the scatterlist mark,
/// 04 the per-list mapping helper, 06 dma-direct, 08 dma-iommu, 10 nvme-pci on dma_map_sgtable), under both
/// profiles: 5.15 with the series, and the newest kernel where the same design was merged and reworked.
class SglScenariosTest {

    static final PciAddress NVME0 = PciAddress.parse("0000:04:00.0");   // client, behind the switch
    static final PciAddress CMB = PciAddress.parse("0000:03:00.0");     // provider on the same switch
    static final PciAddress FAR = PciAddress.parse("0000:05:00.0");     // provider on another root port

    static Topology qemu(KernelProfile p) throws Exception {
        return Samples.load("qemu-q35-switch-cmb").topology().withKernel(p);
    }

    static SglMapper mapper(Topology t, long busOffset) {
        return new SglMapper(t, new KernelSession(t), List.of(new ProviderMemory(CMB, 0x3800_0000_0000L, busOffset),
                new ProviderMemory(FAR, 0x3900_0000_0000L, busOffset)), true);
    }

    @ParameterizedTest
    @EnumSource(KernelProfile.class)
    void patch01TheP2pdmaMarkLivesWhereEachProfileKeepsIt(KernelProfile p) throws Exception {
        SgTable t = mapper(qemu(p), 0).map(NVME0, List.of(Segment.p2p(CMB, 0, 4096)), DmaConfig.direct());
        SgTable.Entry e = t.entries().getFirst();
        if (p == KernelProfile.V5_15) {
            assertThat(e.pageLinkFlags()).isEqualTo(SglMapper.SG_DMA_PCI_P2PDMA);
            assertThat(e.dmaFlags()).isZero();
        } else {
            assertThat(e.dmaFlags()).isEqualTo(SglMapper.SG_DMA_BUS_ADDRESS);
            assertThat(e.pageLinkFlags()).isZero();
        }
    }

    @Test
    void patch04TheMapTypeIsLookedUpOnlyWhenTheProviderChanges() throws Exception {
        Topology t = qemu(KernelProfile.NEWEST);
        List<Segment> list = List.of(Segment.p2p(CMB, 0, 4096), Segment.p2p(CMB, 4096, 4096), Segment.host(0x1000, 4096),
                Segment.p2p(CMB, 8192, 4096), Segment.p2p(NVME0, 0, 4096), Segment.p2p(CMB, 0x3000, 4096));
        assertThat(mapper(t, 0).map(NVME0, list, DmaConfig.direct()).verdictLookups()).isEqualTo(3);
        SglMapper uncached = new SglMapper(t, new KernelSession(t), List.of(), false);
        assertThat(uncached.map(NVME0, list, DmaConfig.direct()).verdictLookups()).isEqualTo(5);
    }

    @ParameterizedTest
    @EnumSource(value = DmaConfig.Mode.class, names = {"DIRECT", "IOMMU"})
    void theTraceTellsEachEntryInTheOrderTheKernelMapsIt(DmaConfig.Mode mode) throws Exception {
        DmaConfig dma = mode == DmaConfig.Mode.IOMMU ? DmaConfig.iommu() : DmaConfig.direct();
        List<Segment> list = List.of(Segment.host(0x100000, 4096), Segment.p2p(CMB, 0, 8192));
        List<String> trace = mapper(qemu(KernelProfile.NEWEST), 0).map(NVME0, list, dma).trace();
        // The provider's state is computed when the loop reaches entry 1, after entry 0 (a host page) is mapped.
        int host = indexOf(trace, "entry 0:");
        int state = indexOf(trace, "entry 1: provider");
        assertThat(host).isNotNegative().isLessThan(state);
        assertThat(trace.get(state + 1)).startsWith("entry 1: BUS_ADDR");
    }

    private static int indexOf(List<String> trace, String prefix) {
        for (int i = 0; i < trace.size(); i++) if (trace.get(i).startsWith(prefix)) return i;
        return -1;
    }

    @ParameterizedTest
    @EnumSource(KernelProfile.class)
    void patch06DmaDirectGivesBusAddressesAndRefusesWithEremoteio(KernelProfile p) throws Exception {
        SgTable ok = mapper(qemu(p), 0x1000_0000L).map(NVME0, List.of(Segment.host(0x10_0000, 4096),
                Segment.p2p(CMB, 0x2000, 8192)), DmaConfig.direct());
        assertThat(ok.ok()).isTrue();
        assertThat(ok.nents()).isEqualTo(2);
        assertThat(ok.mapped().get(0).dmaAddress()).isEqualTo(0x10_0000);
        assertThat(ok.mapped().get(1).busAddress()).isTrue();
        assertThat(ok.mapped().get(1).dmaAddress()).isEqualTo(0x3800_0000_2000L + 0x1000_0000L);

        SgTable refused = mapper(qemu(p), 0).map(NVME0, List.of(Segment.host(0x10_0000, 4096),
                Segment.p2p(FAR, 0, 4096)), DmaConfig.direct());
        assertThat(refused.error().name()).isEqualTo("EREMOTEIO");
        assertThat(refused.error().sgtableReturn()).isEqualTo(-121);
        assertThat(refused.error().mapSgReturn()).isZero();
        assertThat(refused.nents()).isZero();
        assertThat(refused.entries()).noneMatch(SgTable.Entry::marked);
    }

    @ParameterizedTest
    @EnumSource(KernelProfile.class)
    void patch08DmaIommuSkipsBusAddressesInTheIovaAndMergesContiguousHostPages(KernelProfile p) throws Exception {
        List<Segment> list = List.of(Segment.host(0x10_0000, 4096), Segment.host(0x20_0000, 4096),
                Segment.p2p(CMB, 0, 4096), Segment.host(0x30_0000, 4096));
        SgTable t = mapper(qemu(p), 0).map(NVME0, list, DmaConfig.iommu());
        assertThat(t.ok()).isTrue();
        // Entries 0 and 1 are IOVA-contiguous and merge; the bus address breaks the run.
        assertThat(t.mapped()).extracting(SgTable.Mapped::inputs)
                .containsExactly(List.of(0, 1), List.of(2), List.of(3));
        assertThat(t.mapped().get(1).busAddress()).isTrue();
        assertThat(t.nents()).isEqualTo(3);
        assertThat(t.origNents()).isEqualTo(4);
        assertThat(String.join("\n", t.trace())).contains(p == KernelProfile.V5_15 ? "zero-length IOVA"
                : "pre-filled and marked");
    }

    @ParameterizedTest
    @EnumSource(KernelProfile.class)
    void patch10NvmeTurnsEremoteioIntoEachProfilesBlockStatus(KernelProfile p) throws Exception {
        SgTable refused = mapper(qemu(p), 0).map(NVME0, List.of(Segment.p2p(FAR, 0, 4096)), DmaConfig.iommu());
        NvmeCommand c = NvmeCommand.of(refused, false, p);
        assertThat(c.layout()).isEqualTo(NvmeCommand.Layout.NONE);
        assertThat(c.blkStatus()).startsWith(p == KernelProfile.V5_15 ? "BLK_STS_TARGET" : "BLK_STS_INVAL");
    }

    @Test
    void nvmePrpListsAndSglsFollowTheDriversChoice() throws Exception {
        Topology t = qemu(KernelProfile.NEWEST);
        SgTable big = mapper(t, 0).map(NVME0, List.of(Segment.p2p(CMB, 0, 64 * 1024),
                Segment.p2p(CMB, 0x20000, 64 * 1024)), DmaConfig.direct());
        NvmeCommand prp = NvmeCommand.of(big, false, KernelProfile.NEWEST);
        assertThat(prp.layout()).isEqualTo(NvmeCommand.Layout.PRP);
        assertThat(prp.lines().getFirst()).isEqualTo("PRP1 = 0x380000000000");
        assertThat(prp.lines().get(1)).isEqualTo("PRP2 = PRP list page 0");
        NvmeCommand sgl = NvmeCommand.of(big, true, KernelProfile.NEWEST);   // 64 KiB average >= sgl_threshold
        assertThat(sgl.layout()).isEqualTo(NvmeCommand.Layout.SGL);
        assertThat(sgl.lines()).hasSize(3);
        SgTable two = mapper(t, 0).map(NVME0, List.of(Segment.p2p(CMB, 0x800, 4096)), DmaConfig.direct());
        NvmeCommand c = NvmeCommand.of(two, false, KernelProfile.NEWEST);
        assertThat(c.lines()).containsExactly("PRP1 = 0x380000000800", "PRP2 = 0x380000001000");
    }

    @Test
    void hostPagesAboveTheMaskBounceButP2pPagesNeverDo() throws Exception {
        Topology t = qemu(KernelProfile.NEWEST).withAllowlist(qemu(KernelProfile.NEWEST).allowlist()
                .add(dev.p2pscope.core.model.AllowlistEntry.parse("8086:29c0")));
        DmaConfig small = DmaConfig.direct().withMask(0xffff_ffffL);
        SgTable host = mapper(t, 0).map(NVME0, List.of(Segment.host(0x1_0000_0000L, 4096)), small);
        assertThat(host.mapped().getFirst().swiotlb()).isTrue();
        SgTable thru = mapper(t, 0).map(NVME0, List.of(Segment.p2p(FAR, 0, 4096)), small);
        assertThat(thru.error().name()).isEqualTo("EIO");
    }

    @Test
    void dmaOpsWithoutP2pdmaSupportRefuseP2pPages() throws Exception {
        SgTable t = mapper(qemu(KernelProfile.NEWEST), 0).map(NVME0, List.of(Segment.p2p(CMB, 0, 4096)),
                DmaConfig.direct().withMode(DmaConfig.Mode.NO_P2P_OPS));
        assertThat(t.error().name()).isEqualTo("EREMOTEIO");
        assertThat(DirectIo.rdmaSupportsP2p(DmaConfig.direct().withMode(DmaConfig.Mode.NO_P2P_OPS), false)).isFalse();
        assertThat(DirectIo.rdmaSupportsP2p(DmaConfig.iommu(), false)).isTrue();
        assertThat(DirectIo.rdmaSupportsP2p(DmaConfig.iommu(), true)).isFalse();
    }

    @Test
    void oDirectOutcomesOnTheReal612CaptureMatchWhatTheKernelDid() throws Exception {
        Topology t = SysfsLoader.load(java.nio.file.Path.of(SglScenariosTest.class.getResource(
                "/dev/p2pscope/core/topology/snapshots/qemu612-base.tar.gz").toURI()), PciIds.empty()).topology();
        // The capture holds no osrelease; its README says the kernel was 6.12.117.
        assertThat(t.host().kernelRelease()).isNull();
        t = t.toBuilder().host(new dev.p2pscope.core.model.HostInfo("6.12.117", t.host().cmdline(),
                t.host().iommu())).build();
        List<String> got = new ArrayList<>();
        for (PciAddress provider : List.of(CMB, NVME0, FAR)) {
            for (PciAddress target : List.of(NVME0, CMB, FAR)) {
                DirectIo.Outcome o = DirectIo.predict(t, new DirectIo.Request(DirectIo.Buffer.P2PMEM_ALLOCATE,
                        provider, target, true, true, 0, false));
                got.add(provider.toShortString() + ">" + target.toShortString() + "=" + o.result());
            }
        }
        // The .observed.md: same-switch pairs work, anything with 05:00.0 fails with EREMOTEIO (6.12).
        assertThat(got).containsExactly(
                "03:00.0>04:00.0=P2P_BUS_ADDR", "03:00.0>03:00.0=P2P_BUS_ADDR", "03:00.0>05:00.0=EREMOTEIO",
                "04:00.0>04:00.0=P2P_BUS_ADDR", "04:00.0>03:00.0=P2P_BUS_ADDR", "04:00.0>05:00.0=EREMOTEIO",
                "05:00.0>04:00.0=EREMOTEIO", "05:00.0>03:00.0=EREMOTEIO", "05:00.0>05:00.0=P2P_BUS_ADDR");
    }

    /// A bus-address transfer is worded by where it turns: through the switch for two drives on it, but a drive
    /// reading its own CMB (on a root port of its own) goes through no switch at all.
    @Test
    void aBusAddressTransferIsWordedByTheBridgeItTurnsAt() throws Exception {
        Topology t = qemu(KernelProfile.NEWEST);
        List<String> switched = DirectIo.predict(t, new DirectIo.Request(DirectIo.Buffer.P2PMEM_ALLOCATE, CMB, NVME0,
                true, true, 0, false)).reasons();
        assertThat(switched).contains("the NVMe device reads/writes the p2pmem by PCI bus address, through the switch "
                + "(turning at its upstream port 0000:01:00.0)");
        DirectIo.Outcome self = DirectIo.predict(t, new DirectIo.Request(DirectIo.Buffer.P2PMEM_ALLOCATE, FAR, FAR,
                true, true, 0, false));
        assertThat(self.result()).isEqualTo(DirectIo.Result.P2P_BUS_ADDR);
        assertThat(self.reasons()).contains("the NVMe device reads/writes the p2pmem by PCI bus address, within the "
                + "device (its own memory)").noneMatch(r -> r.contains("switch"));
    }

    @Test
    void mappingRulesOfTheAllocateFileAndUnbind() throws Exception {
        Topology t = qemu(KernelProfile.NEWEST);
        assertThat(DirectIo.predict(t, new DirectIo.Request(DirectIo.Buffer.P2PMEM_ALLOCATE, CMB, NVME0, true, false,
                0, false)).result()).isEqualTo(DirectIo.Result.EINVAL);
        assertThat(DirectIo.predict(t, new DirectIo.Request(DirectIo.Buffer.P2PMEM_ALLOCATE, CMB, NVME0, true, true,
                4096, false)).result()).isEqualTo(DirectIo.Result.EINVAL);
        assertThat(DirectIo.predict(t, new DirectIo.Request(DirectIo.Buffer.P2PMEM_ALLOCATE, CMB, NVME0, true, true,
                0, true)).result()).isEqualTo(DirectIo.Result.SIGBUS);
        assertThat(DirectIo.predict(t, new DirectIo.Request(DirectIo.Buffer.P2PMEM_ALLOCATE, CMB, NVME0, false, true,
                0, false)).result()).isEqualTo(DirectIo.Result.CPU_COPY);
        // O_DIRECT to a device whose queue does not advertise P2PDMA (the virtio disk): GUP refuses.
        assertThat(DirectIo.predict(t, new DirectIo.Request(DirectIo.Buffer.P2PMEM_ALLOCATE, CMB,
                PciAddress.parse("0000:00:06.0"), true, true, 0, false)).result()).isEqualTo(DirectIo.Result.EREMOTEIO);
        assertThat(DirectIo.predict(t.withKernel(KernelProfile.V5_15), new DirectIo.Request(
                DirectIo.Buffer.NVME_CHARDEV, CMB, NVME0, true, true, 0, false)).result())
                .isEqualTo(DirectIo.Result.P2P_BUS_ADDR);
    }
}
