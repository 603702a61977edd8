package dev.p2pscope.core.topology;

import dev.p2pscope.core.engine.P2pdmaEngine;
import dev.p2pscope.core.engine.Verdict;
import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.CpuVendor;
import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.text.TreeText;
import dev.p2pscope.core.topology.sysfs.ArchiveTree;
import dev.p2pscope.core.topology.sysfs.SysfsLoader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/// The real captured trees of shared/sysfs-snapshots (copied into test resources), loaded in place from their
/// tarballs and checked against the tree lspci printed for the same capture.
@Tag("slow")   // every captured tarball, read in place
class SnapshotsTest {

    static Path dir() throws URISyntaxException {
        return Path.of(SnapshotsTest.class.getResource("snapshots").toURI());
    }

    static Path tarball(String name) throws URISyntaxException {
        Path gz = dir().resolve(name + ".tar.gz");
        return Files.exists(gz) ? gz : dir().resolve(name + ".tar.bz2");
    }

    static Topology load(String name) throws Exception {
        return SysfsLoader.load(tarball(name), PciIds.empty()).topology();
    }

    static PciAddress a(String s) {
        return PciAddress.parse(s);
    }

    /// Snapshots whose `tree --numeric` is identical to `lspci -tvn` on the same capture.
    static final List<String> SAME_AS_LSPCI = List.of("ghw-amd-ryzen1600", "ghw-arm64-neoverse-n1",
            "ghw-i7-1270p-nvme", "ghw-qemu-q35-p100", "ghw-xeon-l5640-sriov", "hwloc-24em64t-2n6c2t-2mic",
            "hwloc-2pa-pcidomain32bits", "hwloc-32em64t-2n8c-nvme-mic", "hwloc-40intel64-2g2n4c-pci");

    @TestFactory
    Stream<DynamicTest> theHierarchyIsTheOneLspciPrints() {
        return SAME_AS_LSPCI.stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            String lspci = Files.readString(dir().resolve(name + ".lspci-tvn.txt"));
            assertThat(TreeText.numeric(load(name))).isEqualTo(lspci);
        }));
    }

    /// Where lspci and the kernel's device tree disagree we follow the device tree, because that is what
    /// `pci_upstream_bridge()` walks: bridge 5f:03.0 exists under devices/ (with its own attributes) but is
    /// missing from bus/pci/devices, so lspci shows a bare bus 5f and hangs bus 60 beside it. lspci also prints
    /// an empty root bus 0000:00 on which no device sits; we list only root buses that hold a function.
    @Test
    void aBridgeMissingFromBusPciDevicesIsRecoveredFromTheDeviceTree() throws Exception {
        LoadResult r = SysfsLoader.load(tarball("hwloc-32intel64-2p8co2t-8ve"), PciIds.empty());
        Topology t = r.topology();
        assertThat(t.require(a("0000:60:00.0")).parent()).isEqualTo(a("0000:5f:03.0"));
        assertThat(t.require(a("0000:5f:03.0")).parent()).isEqualTo(a("0000:5e:00.0"));
        assertThat(r.notices()).anySatisfy(n -> assertThat(n.toString()).contains("0000:5f:03.0")
                .contains("missing from bus/pci/devices"));
        List<String> lspci = Files.readString(dir().resolve("hwloc-32intel64-2p8co2t-8ve.lspci-tvn.txt")).lines()
                .toList();
        List<String> ours = TreeText.numeric(t).lines().toList();
        // Identical everywhere but the first line (lspci's empty 0000:00) and the 5f/60 branch at the end.
        assertThat(ours.subList(1, 10)).isEqualTo(lspci.subList(2, 11));
        assertThat(ours.getFirst()).isEqualTo("-" + lspci.get(1).substring(1));
    }

    @Test
    void aRootPortWithUnassignedBusesIsKept() throws Exception {
        PciFunction rp = load("hwloc-32em64t-2n8c-nvme-mic").require(a("0000:00:11.0"));
        assertThat(rp.kind().isBridge()).isTrue();
        assertThat(rp.secondaryBus()).isZero();
    }

    @Test
    void a32BitDomainIsLoaded() throws Exception {
        Topology t = load("hwloc-2pa-pcidomain32bits");
        assertThat(t.function(a("10000:00:04.0"))).isPresent();
        assertThat(t.rootBuses()).extracting(Object::toString).contains("10000:00");
    }

    @Test
    void plainDirectoriesWithOnlyAClassFileStillLoad() throws Exception {
        LoadResult r = SysfsLoader.load(tarball("hwloc-power9-nvidiagpunumanodes"), PciIds.empty());
        Topology t = r.topology();
        assertThat(t.size()).isEqualTo(6);
        assertThat(t.functions()).allSatisfy(f -> {
            assertThat(f.parent()).isNull();
            assertThat(f.inferred()).contains("id", "kind", "acs");
            assertThat(f.classCode() >> 16).isEqualTo(0x03);
        });
        assertThat(t.rootBuses()).hasSize(6);
    }

    @Test
    void danglingDriverAndIommuGroupLinksAreReadWithoutBeingFollowed() throws Exception {
        PciFunction nvme = load("ghw-i7-1270p-nvme").require(a("0000:04:00.0"));
        assertThat(nvme.driver()).isEqualTo("nvme");
        assertThat(nvme.iommuGroup()).isNotNull();
    }

    @Test
    void anAbsoluteLinkOutOfTheTreeIsNeverFollowed() throws Exception {
        ArchiveTree tree = ArchiveTree.open(tarball("ghw-amd-ryzen1600"));
        assertThat(tree.readLink("etc/mtab")).contains("/proc/self/mounts");
        assertThat(tree.resolve("etc/mtab")).isEmpty();
        assertThat(tree.exists("etc/mtab")).isFalse();
    }

    @Test
    void virtualFunctionsWithoutPhysfnLinksSitBesideTheirPfAndWalkTheSame() throws Exception {
        // ghw captured no physfn links: VFs 05:10.x load as endpoints under the PF's bridge, which is exactly
        // where pci_upstream_bridge() puts a VF anyway (its PF's upstream bridge).
        Topology t = load("ghw-xeon-l5640-sriov");
        PciFunction vf = t.require(a("0000:05:10.0"));
        PciFunction pf = t.require(a("0000:05:00.0"));
        assertThat(vf.parent()).isEqualTo(pf.parent()).isNotNull();
        Verdict v = new P2pdmaEngine(t).decide(pf.address(), vf.address());
        assertThat(v.calcDistance()).isEqualTo(2);
        assertThat(v.details().commonAncestor()).isEqualTo(pf.parent());
    }

    @Test
    void withoutExtendedConfigSpaceAcsIsUnknownAndVerdictsSaySo() throws Exception {
        Topology t = load("hwloc-32intel64-2p8co2t-8ve");
        assertThat(t.require(a("0000:19:04.0")).acs()).isEqualTo(Acs.UNKNOWN);
        Verdict v = new P2pdmaEngine(t).decide(a("0000:1a:00.0"), a("0000:1b:00.0"));
        assertThat(v.dependsOnUnknownAcs()).isTrue();
        assertThat(v.details().unknownAcs()).contains(a("0000:19:04.0"), a("0000:19:08.0"));
    }

    @Test
    void aRealKernelCaptureGivesEveryFactFromFullConfigSpace() throws Exception {
        Topology t = load("qemu612-base");
        assertThat(t.cpu().vendor()).isEqualTo(CpuVendor.AMD);
        assertThat(t.cpu().family()).isEqualTo(15);
        assertThat(t.host().cmdline()).contains("lab.case=base");
        PciFunction rp = t.require(a("0000:00:04.0"));
        assertThat(rp.kind()).isEqualTo(DeviceKind.ROOT_PORT);
        assertThat(rp.acs()).isEqualTo(new Acs.Present(0x0000, 0x005f));
        assertThat(rp.inferred()).isEmpty();
        assertThat(t.require(a("0000:01:00.0")).kind()).isEqualTo(DeviceKind.SWITCH_UP);
        assertThat(t.require(a("0000:02:00.0")).kind()).isEqualTo(DeviceKind.SWITCH_DOWN);
        PciFunction nvme = t.require(a("0000:03:00.0"));
        assertThat(nvme.kind()).isEqualTo(DeviceKind.ENDPOINT);
        assertThat(nvme.p2pmem().size()).isEqualTo(64L << 20);
        assertThat(nvme.p2pmem().published()).isTrue();
        assertThat(nvme.p2pmem().allocate()).isTrue();
        assertThat(nvme.cmb().sizeBytes()).isEqualTo(64L << 20);
        assertThat(nvme.cmb().bar()).isEqualTo(2);
        assertThat(nvme.cmb().publishable()).isTrue();
        assertThat(nvme.block()).containsExactly("nvme1n1");
        assertThat(nvme.link().speed()).isEqualTo("2.5 GT/s PCIe");
    }

    @Test
    void downstreamPortsModelledAsRootPortsAreReadAsThePcieCapabilitySaysAndStillWalked() throws Exception {
        // In this capture the switch's downstream ports are QEMU root-port models under the upstream port.
        Topology t = load("qemu612-acsdsp-config-acs-rr");
        PciFunction dsp = t.require(a("0000:02:00.0"));
        assertThat(dsp.kind()).isEqualTo(DeviceKind.ROOT_PORT);
        assertThat(dsp.parent()).isEqualTo(a("0000:01:00.0"));
        assertThat(dsp.acs().redirects()).isTrue();
    }
}
