package dev.p2pscope.core.text;

import dev.p2pscope.core.engine.MapType;
import dev.p2pscope.core.engine.P2pdmaEngine;
import dev.p2pscope.core.engine.Reason;
import dev.p2pscope.core.engine.TraceStep;
import dev.p2pscope.core.engine.Verdict;
import dev.p2pscope.core.host.HostContext;
import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.Cpu;
import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.HostInfo;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.PciId;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.samples.Samples;
import dev.p2pscope.core.topology.PciIds;
import dev.p2pscope.core.topology.sysfs.SysfsLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/// What a verdict says is true: the words follow the facts of the verdict, and what was not read is said to be
/// unknown, inferred or assumed.
class VerdictTextTest {

    static PciAddress a(String s) {
        return PciAddress.parse(s);
    }

    static PciFunction.Builder fn(String bdf, DeviceKind kind, String parent) {
        PciFunction.Builder b = PciFunction.builder(a(bdf), new PciId(0x8086, 0x1234), kind);
        return parent == null ? b : b.parent(a(parent));
    }

    /// Root bus 00: host bridge 00.0 (8086:2020, allowlisted); root port 01.0 with a two-function device 01:00.x;
    /// root port 02.0 with a switch (USP 02:00.0, DSPs 03:00.0 and 03:01.0, EPs 04:00.0 and 05:00.0); root port
    /// 03.0 with EP 06:00.0.
    static Topology.Builder base() {
        Topology.Builder b = Topology.builder().cpu(Cpu.parse("GenuineIntel:6"));
        b.add(PciFunction.builder(a("0000:00:00.0"), new PciId(0x8086, 0x2020), DeviceKind.HOST_BRIDGE).build());
        b.add(fn("0000:00:01.0", DeviceKind.ROOT_PORT, null).build());
        b.add(fn("0000:01:00.0", DeviceKind.ENDPOINT, "0000:00:01.0").build());
        b.add(fn("0000:01:00.1", DeviceKind.ENDPOINT, "0000:00:01.0").build());
        b.add(fn("0000:00:02.0", DeviceKind.ROOT_PORT, null).build());
        b.add(fn("0000:02:00.0", DeviceKind.SWITCH_UP, "0000:00:02.0").build());
        b.add(fn("0000:03:00.0", DeviceKind.SWITCH_DOWN, "0000:02:00.0").build());
        b.add(fn("0000:03:01.0", DeviceKind.SWITCH_DOWN, "0000:02:00.0").build());
        b.add(fn("0000:04:00.0", DeviceKind.ENDPOINT, "0000:03:00.0").build());
        b.add(fn("0000:05:00.0", DeviceKind.ENDPOINT, "0000:03:01.0").build());
        b.add(fn("0000:00:03.0", DeviceKind.ROOT_PORT, null).acs(Acs.control(0x001d)).build());
        b.add(fn("0000:06:00.0", DeviceKind.ENDPOINT, "0000:00:03.0").build());
        return b;
    }

    static Verdict decide(Topology t, String p, String c) {
        return new P2pdmaEngine(t).decide(a(p), a(c));
    }

    @Test
    void busAddrWordsNameTheBridgeWhereTheTrafficTurns() {
        Topology t = base().build();
        Verdict rootPort = decide(t, "0000:01:00.0", "0000:01:00.1");
        assertThat(rootPort.mapType()).isEqualTo(MapType.BUS_ADDR);
        assertThat(rootPort.why().meeting()).isEqualTo(Reason.Meeting.SHARED_BRIDGE);
        assertThat(VerdictText.reason(rootPort)).startsWith("Root port 0000:00:01.0 is the lowest upstream bridge")
                .contains("turning at the root port").doesNotContain("switch");

        Verdict viaSwitch = decide(t, "0000:04:00.0", "0000:05:00.0");
        assertThat(VerdictText.reason(viaSwitch)).startsWith("Switch upstream port 0000:02:00.0")
                .contains("turning at the switch");

        Verdict providerIsBridge = decide(t, "0000:03:00.0", "0000:04:00.0");
        assertThat(providerIsBridge.mapType()).isEqualTo(MapType.BUS_ADDR);
        assertThat(providerIsBridge.why().meeting()).isEqualTo(Reason.Meeting.PROVIDER_IS_BRIDGE);
        assertThat(VerdictText.reason(providerIsBridge)).startsWith("The client sits below the provider, switch "
                + "downstream port 0000:03:00.0, which is itself their common upstream bridge")
                .doesNotContain("shared switch").doesNotContain("leaving the switch");

        Verdict self = decide(t, "0000:04:00.0", "0000:04:00.0");
        assertThat(self.why().meeting()).isEqualTo(Reason.Meeting.SAME_FUNCTION);
        assertThat(VerdictText.reason(self)).startsWith("Provider and client are the same function")
                .doesNotContain("switch");
        assertThat(VerdictText.render(t, self)).contains("self      0000:04:00.0")
                .contains("not through the host bridge").doesNotContain("shared switch");
    }

    @Test
    void unknownAcsIsNotedOnlyWhereItCouldChangeTheVerdict() {
        Topology t = base().build();
        t = t.withFunction(t.require(a("0000:03:00.0")).toBuilder().acs(Acs.UNKNOWN).build());
        t = t.withFunction(t.require(a("0000:00:01.0")).toBuilder().acs(Acs.UNKNOWN).build());
        // Shared switch, nothing read redirects: an unknown DSP could turn it into the host path.
        Verdict shared = decide(t, "0000:04:00.0", "0000:05:00.0");
        assertThat(shared.dependsOnUnknownAcs()).isTrue();
        assertThat(VerdictText.notes(t, shared)).anySatisfy(n -> assertThat(n).startsWith("the ACS of 0000:03:00.0 "
                + "could not be read; the verdict assumes no redirect there"));
        // No common bridge: ACS changes nothing, so nothing is said about it.
        Verdict apart = decide(t, "0000:01:00.0", "0000:04:00.0");
        assertThat(apart.why().chainsMeet()).isFalse();
        assertThat(apart.dependsOnUnknownAcs()).isFalse();
        assertThat(VerdictText.render(t, apart)).doesNotContain("could not be read");
        // A redirect already read: the unknown one changes nothing either.
        Topology redirected = t.withFunction(t.require(a("0000:03:01.0")).toBuilder().acs(Acs.control(0x001d)).build());
        Verdict r = decide(redirected, "0000:04:00.0", "0000:05:00.0");
        assertThat(r.mapType()).isEqualTo(MapType.THRU_HOST_BRIDGE);
        assertThat(VerdictText.render(redirected, r)).doesNotContain("could not be read");
    }

    @Test
    void aRedirectThatChangesNothingIsNotShownAsRedirecting() {
        Topology t = base().build();
        // 06:00.0's root port redirects, but the pair has no common bridge: the host path is taken anyway.
        Verdict v = decide(t, "0000:06:00.0", "0000:04:00.0");
        assertThat(v.mapType()).isEqualTo(MapType.THRU_HOST_BRIDGE);
        assertThat(v.acsRedirect()).isEmpty();
        String text = VerdictText.render(t, v);
        assertThat(text).containsPattern("up\\s+0000:00:03.0\\s+root_port.*ACS 0x001d\\n")
                .doesNotContain("redirects");
        TraceStep rp = v.trace().stream().filter(s -> a("0000:00:03.0").equals(s.function())).findFirst().orElseThrow();
        assertThat(rp.blocking()).isFalse();
        assertThat(VerdictText.stepText(rp)).contains("changes nothing");
        // Where it does count (a pair below that root port), it redirects.
        Topology two = base().add(fn("0000:06:00.1", DeviceKind.ENDPOINT, "0000:00:03.0").build()).build();
        Verdict shared = decide(two, "0000:06:00.0", "0000:06:00.1");
        assertThat(VerdictText.render(two, shared)).containsPattern("ACS 0x001d redirects");
    }

    @Test
    void deriveAcsWithAnUncapturedIommuDerivesNothingAndDoesNotClaimTheIommu() {
        Topology t = base().host(new HostInfo("6.12.0", "quiet", null)).build();
        t = t.withFunction(t.require(a("0000:03:00.0")).toBuilder().acs(Acs.UNKNOWN).build());
        assertThat(HostContext.iommuKnown(t)).isFalse();
        assertThat(HostContext.deriveAcs(t)).isSameAs(t);
        assertThat(HostContext.deriveAcsEdit(t).describe()).contains("not captured").doesNotContain("absence");
        Verdict v = decide(t, "0000:04:00.0", "0000:05:00.0");
        assertThat(VerdictText.render(t, v)).contains("the IOMMU state was not captured either")
                .doesNotContain("derived from");

        // With the IOMMU state captured, the note names what the ACS was derived from.
        Topology known = base().host(new HostInfo("6.12.0", "quiet", "intel")).build();
        known = known.withFunction(known.require(a("0000:03:00.0")).toBuilder().acs(Acs.UNKNOWN).build());
        Topology derived = HostContext.deriveAcs(known);
        Verdict d = decide(derived, "0000:04:00.0", "0000:05:00.0");
        assertThat(d.mapType()).isEqualTo(MapType.THRU_HOST_BRIDGE);
        assertThat(VerdictText.render(derived, d)).contains("the ACS of 0000:03:00.0 is derived from the active "
                + "IOMMU (intel) and the boot parameters, not read.");
    }

    @Test
    void aCaptureWithoutHierarchyIsWarned() throws Exception {
        Path p9 = Path.of(getClass().getResource("/dev/p2pscope/core/topology/snapshots/"
                + "hwloc-power9-nvidiagpunumanodes.tar.bz2").toURI());
        Topology t = SysfsLoader.load(p9, PciIds.empty()).topology();
        assertThat(VerdictText.isFlat(t)).isTrue();
        PciAddress first = t.functions().getFirst().address();
        PciAddress last = t.functions().getLast().address();
        String text = VerdictText.render(t, decide(t, first.toString(), last.toString()));
        assertThat(text).contains("warning:  this capture has no PCI hierarchy");
        for (String name : Samples.names()) {
            assertThat(VerdictText.cautions(Samples.load(name).topology())).as(name).isEmpty();
        }
    }

    @Test
    void theKernelLineSaysWhatIsKnownOfTheRunningKernel() {
        Topology old = base().host(new HostInfo("4.14.0-115.el7a.aarch64", null, null)).build();
        assertThat(VerdictText.predatesP2pdma("4.14.0-115.el7a.aarch64")).isTrue();
        assertThat(VerdictText.predatesP2pdma("4.20.0")).isFalse();
        assertThat(VerdictText.predatesP2pdma("6.12.117")).isFalse();
        String text = VerdictText.render(old, decide(old, "0000:04:00.0", "0000:05:00.0"));
        assertThat(text).contains("the source's kernel 4.14.0-115.el7a.aarch64 predates P2PDMA, added in 4.20: it "
                + "has no peer-to-peer DMA at all");

        Topology none = base().build();
        assertThat(VerdictText.render(none, decide(none, "0000:04:00.0", "0000:05:00.0")))
                .contains("kernel    newest (no kernel release known: the newest kernel's rules are assumed)");
        Topology known = base().host(new HostInfo("6.12.117", null, null)).build();
        assertThat(VerdictText.render(known, decide(known, "0000:04:00.0", "0000:05:00.0")))
                .contains("kernel    newest (release 6.12.117)").doesNotContain("assumed");
    }

    @Test
    void aHostBridgeDeviceChosenByAnInferredKindIsSaidToBeInferred() {
        // Root bus 00 has nothing at 00.0: the kernel (newest) takes the first device if it is a root port, and
        // here that kind was inferred from the class code.
        Topology.Builder b = Topology.builder().cpu(Cpu.parse("GenuineIntel:6"));
        b.add(PciFunction.builder(a("0000:00:01.0"), new PciId(0x8086, 0x2030), DeviceKind.ROOT_PORT)
                .inferred(Set.of("kind")).build());
        b.add(fn("0000:01:00.0", DeviceKind.ENDPOINT, "0000:00:01.0").build());
        b.add(PciFunction.builder(a("0000:00:02.0"), new PciId(0x8086, 0x2030), DeviceKind.ROOT_PORT).build());
        b.add(fn("0000:02:00.0", DeviceKind.ENDPOINT, "0000:00:02.0").build());
        Topology t = b.build();
        Verdict v = decide(t, "0000:01:00.0", "0000:02:00.0");
        assertThat(v.mapType()).isEqualTo(MapType.THRU_HOST_BRIDGE);
        assertThat(VerdictText.notes(t, v)).anySatisfy(n -> assertThat(n).contains("the kernel takes 0000:00:01.0 "
                + "as root bus 0000:00's host-bridge device because it is a root port; that kind is inferred"));
        // Read, not inferred: nothing to say.
        Topology read = t.withFunction(t.require(a("0000:00:01.0")).toBuilder().inferred(Set.of()).build());
        assertThat(VerdictText.notes(read, decide(read, "0000:01:00.0", "0000:02:00.0"))).isEmpty();
    }

    /// A capture with a kernel release but no command line: the boot parameters are unknown, not "none".
    @Test
    void bootParametersNotCapturedAreUnknownNotNone() throws Exception {
        Topology t = Samples.load("skylake-sp-2s-switch").topology();
        Topology noCmdline = t.toBuilder().host(new HostInfo("6.12.117", null, null)).build();
        assertThat(VerdictText.hostLine(noCmdline)).isEqualTo(
                "host      kernel 6.12.117, IOMMU unknown, boot: unknown (no command line captured)");
        Topology plain = t.toBuilder().host(new HostInfo("6.12.117", "ro quiet", null)).build();
        assertThat(VerdictText.hostLine(plain)).endsWith("boot: none that change P2PDMA");
    }

    /// Presentation mode's caption names every client of a distance_many selection and the sum, not the last
    /// client alone.
    @Test
    void theCaptionOfSeveralClientsNamesEachAndTheSum() throws Exception {
        var t = dev.p2pscope.core.topology.TopologySource.sample("skylake-sp-2s-switch").load().topology();
        var p = dev.p2pscope.core.model.PciAddress.parse("0000:1a:00.0");
        var clients = java.util.List.of(dev.p2pscope.core.model.PciAddress.parse("0000:1b:00.0"),
                dev.p2pscope.core.model.PciAddress.parse("0000:1c:00.0"));
        var engine = new dev.p2pscope.core.engine.P2pdmaEngine(t);
        var many = engine.distanceMany(p, clients.stream().map(dev.p2pscope.core.engine.DmaClient::pci).toList(), false);
        String caption = VerdictText.caption(many, clients.size());
        assertThat(caption.lines()).hasSize(3);
        assertThat(caption).contains("1a:00.0 \u2192 1b:00.0:  BUS_ADDR").contains("1a:00.0 \u2192 1c:00.0:  BUS_ADDR")
                .endsWith(VerdictText.distanceMany(many, 2));
        var one = engine.decide(p, clients.getLast(), false);
        assertThat(VerdictText.caption(one)).startsWith("1a:00.0 \u2192 1c:00.0:  BUS_ADDR, distance " + one.distance())
                .endsWith(VerdictText.reason(one));
    }
}
