package dev.p2pscope.core.host;

import dev.p2pscope.core.engine.MapType;
import dev.p2pscope.core.engine.P2pdmaEngine;
import dev.p2pscope.core.engine.Verdict;
import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.HostInfo;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.samples.Samples;
import dev.p2pscope.core.topology.PciIds;
import dev.p2pscope.core.topology.sysfs.SysfsLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class HostContextTest {

    static PciAddress a(String s) {
        return PciAddress.parse(s);
    }

    static Topology capture(String name) throws Exception {
        return SysfsLoader.load(Path.of(HostContextTest.class.getResource("/dev/p2pscope/core/topology/snapshots/"
                + name + ".tar.gz").toURI()), PciIds.empty()).topology();
    }

    @Test
    void theCommandLineIsParsedIntoTheParametersThatMatter() {
        BootParams p = BootParams.parse("ro quiet pci=noaer,disable_acs_redir=0000:02:00.0;pci:10b5:0 "
                + "iommu=pt intel_iommu=on pci=config_acs=1x0@0000:00:04.0/00.0");
        assertThat(p.disableAcsRedir()).extracting(DeviceMatch::text).containsExactly("0000:02:00.0", "pci:10b5:0");
        assertThat(p.configAcs()).hasSize(1);
        assertThat(p.configAcs().getFirst().apply(0x0000)).isEqualTo(0x0004);   // "1x0": RR on, TB kept, SV off
        assertThat(p.configAcs().getFirst().apply(0x0003)).isEqualTo(0x0006);
        assertThat(p.iommu()).isEqualTo("pt");
        assertThat(p.intelIommu()).isEqualTo("on");
        assertThat(p.iommuOff()).isFalse();
        assertThat(BootParams.parse("amd_iommu=off").iommuOff()).isTrue();
    }

    @Test
    void deviceMatchesFollowTheKernelsSyntax() throws Exception {
        Topology t = Samples.load("qemu-q35-switch-cmb").topology();
        assertThat(new DeviceMatch("0000:02:01.0").matches(t)).extracting(f -> f.address().toString())
                .containsExactly("0000:02:01.0");
        assertThat(new DeviceMatch("00:04.0/00.0/01.0").matches(t)).extracting(f -> f.address().toString())
                .containsExactly("0000:02:01.0");
        assertThat(new DeviceMatch("pci:1b36:0010").matches(t)).hasSize(3);
        assertThat(new DeviceMatch("pci:104c:0").matches(t)).hasSize(3);
        assertThat(new DeviceMatch("00:04.0/07.0").matches(t)).isEmpty();
    }

    @Test
    void theAcsCaptureExplainsThatConfigAcsIsWhatRedirects() throws Exception {
        Topology t = capture("qemu612-acsdsp-config-acs-rr");
        Verdict v = new P2pdmaEngine(t).decide(a("0000:03:00.0"), a("0000:04:00.0"));
        assertThat(v.mapType()).isEqualTo(MapType.NOT_SUPPORTED);
        assertThat(HostContext.explain(t, v)).hasSize(2)
                .allSatisfy(s -> assertThat(s).startsWith("pci=config_acs=11xx@").contains("now redirect"));
    }

    @Test
    void unreadableAcsIsDerivedFromTheIommuAndTheBootParameters() throws Exception {
        Topology base = Samples.load("acs-redirect-switch").topology();
        Topology unknown = base;
        for (String port : new String[] {"0000:02:08.0", "0000:02:09.0", "0000:02:0a.0"}) {
            unknown = unknown.withFunction(unknown.require(a(port)).withAcs(Acs.UNKNOWN));
        }
        Topology withIommu = unknown.toBuilder().host(new HostInfo("6.12.0",
                "root=/dev/sda1 pci=disable_acs_redir=0000:02:09.0", "dmar0")).build();
        Topology derived = HostContext.deriveAcs(withIommu);
        assertThat(derived.require(a("0000:02:08.0")).acs()).isEqualTo(Acs.control(0x001d));
        assertThat(derived.require(a("0000:02:09.0")).acs()).isEqualTo(Acs.control(0x0011));
        assertThat(derived.require(a("0000:02:08.0")).inferred()).contains("acs-derived");
        Topology noIommu = unknown.toBuilder().host(new HostInfo("6.12.0", "intel_iommu=off", "dmar0")).build();
        assertThat(HostContext.deriveAcs(noIommu).require(a("0000:02:08.0")).acs().redirects()).isFalse();
        // One undoable edit gives the same topology.
        assertThat(HostContext.deriveAcsEdit(withIommu).applyTo(withIommu).require(a("0000:02:08.0")).acs())
                .isEqualTo(Acs.control(0x001d));
    }
}
