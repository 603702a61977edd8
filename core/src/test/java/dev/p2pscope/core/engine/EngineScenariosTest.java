package dev.p2pscope.core.engine;

import dev.p2pscope.core.text.VerdictText;
import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.Cpu;
import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.Edit;
import dev.p2pscope.core.model.KernelProfile;
import dev.p2pscope.core.model.P2pMem;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.PciId;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.samples.Samples;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class EngineScenariosTest {

    static PciAddress a(String s) {
        return PciAddress.parse(s);
    }

    /// A chain of `n` nested switches with ACS redirect on every downstream port, provider at the bottom of one
    /// branch and client at the bottom of another.
    static Topology deepRedirectingTree(int levels) {
        Topology.Builder b = Topology.builder().cpu(Cpu.parse("GenuineIntel:6"));
        b.add(PciFunction.builder(a("0000:00:00.0"), new PciId(0x8086, 0x3e30), DeviceKind.HOST_BRIDGE).build());
        b.add(PciFunction.builder(a("0000:00:01.0"), new PciId(0x8086, 0x1901), DeviceKind.ROOT_PORT).build());
        b.add(PciFunction.builder(a("0000:01:00.0"), new PciId(0x10b5, 0x8796), DeviceKind.SWITCH_UP)
                .parent(a("0000:00:01.0")).build());
        PciAddress left = a("0000:01:00.0");
        PciAddress right = a("0000:01:00.0");
        int bus = 2;
        for (int i = 0; i < levels; i++) {
            PciAddress l = new PciAddress(0, bus, 0, 0);
            PciAddress r = new PciAddress(0, bus + 1, 0, 0);
            b.add(PciFunction.builder(l, new PciId(0x10b5, 0x8796), DeviceKind.SWITCH_DOWN).parent(left)
                    .acs(Acs.control(0x001d)).build());
            b.add(PciFunction.builder(r, new PciId(0x10b5, 0x8796), DeviceKind.SWITCH_DOWN).parent(right)
                    .acs(Acs.control(0x001d)).build());
            left = l;
            right = r;
            bus += 2;
        }
        b.add(PciFunction.builder(new PciAddress(0, 0x40, 0, 0), new PciId(0x1de5, 0x3000), DeviceKind.ENDPOINT)
                .parent(left).build());
        b.add(PciFunction.builder(new PciAddress(0, 0x41, 0, 0), new PciId(0x144d, 0xa808), DeviceKind.ENDPOINT)
                .parent(right).build());
        return b.build();
    }

    @Test
    void acsListFitsNineEntriesThenIsCutAt127CharactersLikeTheKernelsSeqBuf() {
        // 10 redirecting ports on each side = 20 entries; the kernel prints 9 whole ones and 10 chars of the 10th.
        Verdict v = new P2pdmaEngine(deepRedirectingTree(10)).decide(a("0000:40:00.0"), a("0000:41:00.0"));
        assertThat(v.acsRedirect()).hasSize(20);
        String list = v.details().acsList();
        assertThat(list).hasSize(127);
        assertThat(list.split(";")).hasSize(10);
        assertThat(list).endsWith(";" + v.acsRedirect().get(9).toString().substring(0, 10));
        assertThat(v.warnings().get(1).text()).endsWith("pci=disable_acs_redir=" + list);
    }

    @Test
    void acsListOfNineEntriesIsPrintedWhole() throws Exception {
        List<PciAddress> nine = new ArrayList<>();
        for (int i = 0; i < 9; i++) nine.add(new PciAddress(0, i, 0, 0));
        String text = P2pdmaEngine.acsListText(nine);
        assertThat(text).hasSize(9 * 13 - 1).doesNotEndWith(";");
        nine.add(new PciAddress(0, 10, 0, 0));
        assertThat(P2pdmaEngine.acsListText(nine)).hasSize(127).endsWith(";0000:0a:00");
    }

    @Test
    void hostBridgeWarningIsPrintedEvenWhenNotVerboseIfAcsRedirected() throws Exception {
        // host_bridge_whitelist(..., warn = acs_redirects) is independent of verbose.
        Verdict v = new P2pdmaEngine(deepRedirectingTree(1)).decide(a("0000:40:00.0"), a("0000:41:00.0"), false);
        assertThat(v.mapType()).isEqualTo(MapType.NOT_SUPPORTED);
        assertThat(v.warnings()).map(KernelMessage::toString)
                .containsExactly("0000:00:00.0: Host bridge not in P2PDMA whitelist: 8086:3e30");
    }

    @Test
    void theTraceNamesEveryExaminedFunctionInTheKernelsOrder() throws Exception {
        Topology t = Samples.load("acs-redirect-switch").topology();
        Verdict v = new P2pdmaEngine(t).decide(a("0000:03:00.0"), a("0000:04:00.0"));
        assertThat(v.trace()).extracting(TraceStep::kind).containsExactly(
                TraceStep.Kind.PROVIDER_SIDE, TraceStep.Kind.PROVIDER_SIDE, TraceStep.Kind.PROVIDER_SIDE,
                TraceStep.Kind.COMMON_ANCESTOR, TraceStep.Kind.CLIENT_SIDE, TraceStep.Kind.CLIENT_SIDE,
                TraceStep.Kind.CPU_RULE, TraceStep.Kind.HOST_BRIDGE, TraceStep.Kind.RESULT);
        assertThat(v.trace().stream().filter(TraceStep::blocking).map(TraceStep::function))
                .containsExactly(a("0000:02:08.0"), a("0000:02:09.0"), a("0000:00:00.0"), null);
        assertThat(VerdictText.reason(v)).contains("0000:02:08.0").contains("8086:3e30");
    }

    @Test
    void findManyTieBreakIsUniformAndSeedable() throws Exception {
        Topology t = Samples.load("skylake-sp-2s-switch").topology();
        // Make the two NoLoads tie: a client equidistant from both is not available, so publish the P4610 too.
        PciFunction p4610 = t.require(a("0000:1b:00.0"));
        t = t.withFunction(p4610.toBuilder().p2pmem(new P2pMem(1 << 20, 1 << 20, true)).build());
        List<DmaClient> gpu = List.of(DmaClient.pci(a("0000:1c:00.0")));
        Set<PciAddress> seen = new HashSet<>();
        for (int seed = 0; seed < 32; seed++) {
            ProviderChoice c = new P2pdmaEngine(t).findMany(gpu, new SplittableRandom(seed));
            assertThat(c.closest()).containsExactly(a("0000:1a:00.0"), a("0000:1b:00.0"));
            seen.add(c.chosen());
            assertThat(new P2pdmaEngine(t).findMany(gpu, new SplittableRandom(seed)).chosen()).isEqualTo(c.chosen());
        }
        assertThat(seen).hasSize(2);
    }

    @Test
    void theRunningKernelKeepsBelievingItsCacheUntilReboot() throws Exception {
        Topology booted = Samples.load("qemu-q35-switch-cmb").topology();
        KernelSession k = new KernelSession(booted);
        assertThat(k.mapType(a("0000:03:00.0"), a("0000:04:00.0"))).isEqualTo(MapType.BUS_ADDR);
        // setpci turns on ACS redirect on a downstream port after the first DMA.
        Topology changed = new Edit.SetAcs(a("0000:02:00.0"), Acs.control(0x001d)).applyTo(booted);
        k.changeHardware(changed);
        assertThat(k.mapType(a("0000:03:00.0"), a("0000:04:00.0"))).isEqualTo(MapType.BUS_ADDR);
        assertThat(k.staleEntries()).containsExactly(new KernelSession.StaleEntry(a("0000:03:00.0"),
                a("0000:04:00.0"), MapType.BUS_ADDR, MapType.NOT_SUPPORTED));
        // A new pair misses the cache and is decided on the hardware as it is now.
        assertThat(k.mapType(a("0000:04:00.0"), a("0000:03:00.0"))).isEqualTo(MapType.NOT_SUPPORTED);
        assertThat(k.log()).anySatisfy(m -> assertThat(m.text()).startsWith("ACS redirect is set"));
        // After a reboot (a fresh session) the kernel sees it.
        assertThat(new KernelSession(changed).mapType(a("0000:03:00.0"), a("0000:04:00.0")))
                .isEqualTo(MapType.NOT_SUPPORTED);
    }

    @Test
    void on515ACacheMissIsUnknownAndAProviderWithoutP2pmemIsNotSupported() throws Exception {
        Topology t = Samples.load("qemu-q35-switch-cmb").topology().withKernel(KernelProfile.V5_15);
        KernelSession k = new KernelSession(t);
        assertThat(k.mapType(a("0000:03:00.0"), a("0000:04:00.0"))).isEqualTo(MapType.UNKNOWN);
        k.distance(a("0000:03:00.0"), a("0000:04:00.0"), false);
        assertThat(k.mapType(a("0000:03:00.0"), a("0000:04:00.0"))).isEqualTo(MapType.BUS_ADDR);
        assertThat(k.mapType(a("0000:00:06.0"), a("0000:04:00.0"))).isEqualTo(MapType.NOT_SUPPORTED);
    }

    @Test
    void aWhatIfDiffListsExactlyThePairsThatChanged() throws Exception {
        Topology t = Samples.load("intel-desktop-unlisted").topology();
        List<PciAddress> devs = VerdictMatrix.defaultDevices(t);
        VerdictMatrix before = VerdictMatrix.compute(t, devs);
        VerdictMatrix after = VerdictMatrix.compute(new Edit.AllowHostBridge(
                dev.p2pscope.core.model.AllowlistEntry.parse("8086:4668")).applyTo(t), devs);
        List<VerdictMatrix.PairChange> changes = VerdictMatrix.diff(before, after);
        assertThat(changes).isNotEmpty().allSatisfy(ch -> {
            assertThat(ch.fromType()).isEqualTo(MapType.NOT_SUPPORTED);
            assertThat(ch.toType()).isEqualTo(MapType.THRU_HOST_BRIDGE);
        });
        // Every pair not in the diff is unchanged; pairs under one root port never change.
        assertThat(changes).noneMatch(ch -> ch.provider().equals(a("0000:01:00.0"))
                && ch.client().equals(a("0000:01:00.1")));
        int n = devs.size();
        int unchanged = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (before.mapType(i, j) == after.mapType(i, j)) unchanged++;
            }
        }
        assertThat(unchanged + changes.size()).isEqualTo(n * n);
    }

    @Test
    void aRootPortAtAnyDevfnIsTheHostBridgeDeviceOnlyOnNewest() throws Exception {
        // Also: VFs are appended to the root bus list, so a VF at a lower devfn is not the first device.
        Topology t = Topology.builder().cpu(Cpu.parse("GenuineIntel:6"))
                .add(PciFunction.builder(a("0000:00:00.1"), new PciId(0x8086, 0x1234), DeviceKind.VF)
                        .physfn(a("0000:00:02.0")).build())
                .add(PciFunction.builder(a("0000:00:01.0"), new PciId(0x8086, 0x2030), DeviceKind.ROOT_PORT).build())
                .add(PciFunction.builder(a("0000:00:02.0"), new PciId(0x8086, 0x1234), DeviceKind.RCIEP).build())
                .build();
        assertThat(t.firstDeviceOnRootBus(t.rootBuses().getFirst()).orElseThrow().address())
                .isEqualTo(a("0000:00:01.0"));
        assertThat(new P2pdmaEngine(t).hostBridgeDevice(t.rootBuses().getFirst())).isPresent();
        assertThat(new P2pdmaEngine(t.withKernel(KernelProfile.V5_15)).hostBridgeDevice(t.rootBuses().getFirst()))
                .isEmpty();
    }
}
