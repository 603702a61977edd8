package dev.p2pscope.core.engine;

import dev.p2pscope.core.generate.TopologyGenerator;
import dev.p2pscope.core.model.Cpu;
import dev.p2pscope.core.model.KernelProfile;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.PciId;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.samples.Samples;
import dev.p2pscope.core.testing.RandomTopologies;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/// The all-pairs engine against the per-pair reference on thousands of generated topologies, both profiles:
/// every ordered pair's map type, distance, calc distance and redirecting functions (fixed seeds).
@Tag("slow")   // all pairs of large generated trees, twice
class AllPairsDifferentialTest {

    static void agree(Topology t) {
        P2pdmaEngine ref = new P2pdmaEngine(t);
        AllPairs fast = new AllPairs(t);
        // The row-pass matrix agrees with the per-cell LCA lookups on every pair of all functions.
        List<dev.p2pscope.core.model.PciAddress> all = t.functions().stream().map(PciFunction::address).toList();
        VerdictMatrix m = fast.matrix(all);
        for (int i = 0; i < all.size(); i++) {
            for (int j = 0; j < all.size(); j++) {
                int p = fast.indexOf(all.get(i));
                int c = fast.indexOf(all.get(j));
                if (m.mapType(i, j) != fast.mapType(p, c) || m.calcDistance(i, j) != fast.calcDistance(p, c)) {
                    String pair = "matrix " + all.get(i) + " -> " + all.get(j);
                    assertThat(m.mapType(i, j)).as(pair).isEqualTo(fast.mapType(p, c));
                    assertThat(m.calcDistance(i, j)).as(pair).isEqualTo(fast.calcDistance(p, c));
                }
            }
        }
        for (PciFunction p : t.functions()) {
            for (PciFunction c : t.functions()) {
                Verdict v = ref.decide(p.address(), c.address(), false);
                int pi = fast.indexOf(p.address());
                int ci = fast.indexOf(c.address());
                String pair = t.name() + " " + p.address() + " -> " + c.address();
                assertThat(fast.mapType(pi, ci)).as(pair).isEqualTo(v.mapType());
                assertThat(fast.calcDistance(pi, ci)).as(pair).isEqualTo(v.calcDistance());
                assertThat(fast.distance(pi, ci)).as(pair).isEqualTo(v.distance());
                assertThat(fast.redirecting(p.address(), c.address())).as(pair).isEqualTo(v.acsRedirect());
            }
        }
    }

    @Test
    void agreesOnThousandsOfRandomTreesUnderBothProfiles() {
        SplittableRandom seeds = new SplittableRandom(47);
        for (int i = 0; i < 1000; i++) {
            Topology t = RandomTopologies.generate(new SplittableRandom(seeds.nextLong()), i % 3 == 0 ? 0.6 : 0.25);
            agree(i % 2 == 0 ? t : t.withKernel(KernelProfile.V5_15));
        }
    }

    @Test
    void agreesOnGeneratedServersWithVfsAndMultiFunctionDevices() {
        for (long seed = 1; seed <= 12; seed++) {
            Topology t = TopologyGenerator.generate(new TopologyGenerator.Spec(2, 2, (int) (seed % 3), 3,
                    1 + (int) (seed % 3), (int) (seed % 2) * 2, 0.3, 0.2, new PciId(0x8086, seed % 2 == 0 ? 0x2020 : 0x3e30),
                    Cpu.parse(seed % 4 == 0 ? "AuthenticAMD:0x19" : "GenuineIntel:6"), seed));
            agree(t);
            agree(t.withKernel(KernelProfile.V5_15));
        }
    }

    @Test
    void agreesOnEverySample() throws Exception {
        for (String name : Samples.names()) agree(Samples.load(name).topology());
    }

    @Test
    void theMatrixTakesTwoBytesPerPairAndDiffsCountChanges() throws Exception {
        Topology t = Samples.load("acs-redirect-switch").topology();
        List<dev.p2pscope.core.model.PciAddress> devs = VerdictMatrix.defaultDevices(t);
        VerdictMatrix before = new AllPairs(t).matrix(devs);
        assertThat(before.rows().length).isEqualTo(devs.size());
        for (short[] row : before.rows()) assertThat(row).hasSize(devs.size());
        VerdictMatrix after = new AllPairs(new dev.p2pscope.core.model.Edit.AllowHostBridge(
                dev.p2pscope.core.model.AllowlistEntry.parse("8086:3e30")).applyTo(t)).matrix(devs);
        assertThat(VerdictMatrix.countChanges(before, after)).isEqualTo(12);
        assertThat(VerdictMatrix.diff(before, after)).hasSize(12).allSatisfy(c ->
                assertThat(c.toType()).isEqualTo(MapType.THRU_HOST_BRIDGE));
    }
}
