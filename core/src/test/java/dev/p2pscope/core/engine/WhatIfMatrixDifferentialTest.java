package dev.p2pscope.core.engine;

import dev.p2pscope.core.generate.TopologyGenerator;
import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.AllowlistEntry;
import dev.p2pscope.core.model.Cpu;
import dev.p2pscope.core.model.Edit;
import dev.p2pscope.core.model.KernelProfile;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.PciId;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.testing.RandomTopologies;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/// The incremental what-if matrix against a full recomputation: over generated topologies and random sequences of
/// edits (ACS bits, allowlist entries, CPU, kernel profile, replaced functions), after every edit the matrix equals
/// the one computed from scratch on the edited topology, and the changed pairs it yields are exactly the full diff.
class WhatIfMatrixDifferentialTest {

    private static final int[] HOST_IDS = {0x2020, 0x3e30, 0x09a2, 0x3c00, 0x1234, 0x2030, 0x1901};
    private static final int[] ACS = {0x0000, 0x0001, 0x0011, 0x000d, 0x001d, 0x0020, 0x0004, 0x0008};

    static Edit randomEdit(Topology t, SplittableRandom r) {
        int k = r.nextInt(20);
        if (k < 11) {
            PciFunction f = t.functions().get(r.nextInt(t.size()));
            int v = r.nextInt(ACS.length + 2);
            Acs acs = v == ACS.length ? Acs.ABSENT : v == ACS.length + 1 ? Acs.UNKNOWN : Acs.control(ACS[v]);
            return new Edit.SetAcs(f.address(), acs);
        }
        AllowlistEntry entry = new AllowlistEntry(0x8086, HOST_IDS[r.nextInt(HOST_IDS.length)], r.nextBoolean());
        return switch (k) {
            case 11, 12 -> new Edit.AllowHostBridge(entry);
            case 13, 14 -> new Edit.DenyHostBridge(entry);
            case 15, 16 -> new Edit.SetCpu(List.of(Cpu.parse("GenuineIntel:6"), Cpu.parse("AuthenticAMD:0x17"),
                    Cpu.parse("AuthenticAMD:0x15"), Cpu.parse("HygonGenuine:0x18")).get(r.nextInt(4)));
            case 17 -> new Edit.SetKernel(r.nextBoolean() ? KernelProfile.NEWEST : KernelProfile.V5_15);
            case 18 -> {
                PciFunction f = t.functions().get(r.nextInt(t.size()));
                yield new Edit.ReplaceFunction(f.withAcs(Acs.control(0x001d)));
            }
            default -> new Edit.Batch("two ACS edits", List.of(
                    new Edit.SetAcs(t.functions().get(r.nextInt(t.size())).address(), Acs.control(0x000d)),
                    new Edit.SetAcs(t.functions().get(r.nextInt(t.size())).address(), Acs.ABSENT)));
        };
    }

    static void followEdits(Topology start, List<PciAddress> devices, SplittableRandom r, int edits) {
        WhatIfMatrix inc = new WhatIfMatrix(start, devices);
        Topology t = start;
        VerdictMatrix fullBefore = new AllPairs(t).matrix(devices);
        for (int e = 0; e < edits; e++) {
            Edit edit = randomEdit(t, r);
            t = edit.applyTo(t);
            WhatIfMatrix.Step step = inc.apply(edit);
            VerdictMatrix fullAfter = new AllPairs(t).matrix(devices);
            String what = start.name() + " edit " + e + ": " + edit.describe();
            VerdictMatrix m = step.after();
            assertThat(inc.matrix()).isSameAs(m);
            for (int i = 0; i < devices.size(); i++) {
                for (int j = 0; j < devices.size(); j++) {
                    // Plain comparisons first: an assertion per pair would dominate the run.
                    if (m.mapType(i, j) != fullAfter.mapType(i, j) || m.calcDistance(i, j) != fullAfter.calcDistance(i, j)) {
                        String pair = what + ", " + devices.get(i) + " -> " + devices.get(j);
                        assertThat(m.mapType(i, j)).as(pair).isEqualTo(fullAfter.mapType(i, j));
                        assertThat(m.calcDistance(i, j)).as(pair).isEqualTo(fullAfter.calcDistance(i, j));
                    }
                }
            }
            Set<VerdictMatrix.PairChange> expected = new HashSet<>(VerdictMatrix.diff(fullBefore, fullAfter));
            Set<VerdictMatrix.PairChange> yielded = new HashSet<>();
            step.changed().forEach(yielded::add);
            assertThat(step.changed().count()).as(what).isEqualTo(yielded.size());
            assertThat(yielded).as(what).isEqualTo(expected);
            assertThat(step.changed().list(3)).hasSize(Math.min(3, expected.size()));
            fullBefore = fullAfter;
        }
    }

    @Test
    void agreesWithFullRecomputationOnRandomTreesAndEdits() {
        SplittableRandom seeds = new SplittableRandom(1515);
        for (int i = 0; i < 300; i++) {
            SplittableRandom r = new SplittableRandom(seeds.nextLong());
            Topology t = RandomTopologies.generate(r, i % 3 == 0 ? 0.6 : 0.25);
            if (i % 2 == 1) t = t.withKernel(KernelProfile.V5_15);
            List<PciAddress> devices = i % 4 == 0 ? VerdictMatrix.defaultDevices(t)
                    : t.functions().stream().map(PciFunction::address).toList();
            followEdits(t, devices, r, 12);
        }
    }

    @Test
    void agreesOnGeneratedServersWithVfsAndMultiFunctionDevices() {
        for (long seed = 1; seed <= 8; seed++) {
            Topology t = TopologyGenerator.generate(new TopologyGenerator.Spec(2 + (int) (seed % 2), 2,
                    (int) (seed % 3), 3, 1 + (int) (seed % 3), (int) (seed % 2) * 2, 0.3, 0.2,
                    new PciId(0x8086, seed % 2 == 0 ? 0x2020 : 0x3e30),
                    Cpu.parse(seed % 4 == 0 ? "AuthenticAMD:0x19" : "GenuineIntel:6"), seed));
            followEdits(t, VerdictMatrix.defaultDevices(t), new SplittableRandom(seed), 20);
        }
    }

    @Test
    void anAcsEditThatLeavesTheRedirectAsItWasChangesNothingAndSharesTheMatrix() {
        Topology t = TopologyGenerator.generate(TopologyGenerator.Spec.forEndpoints(128, 3));
        WhatIfMatrix inc = new WhatIfMatrix(t, VerdictMatrix.defaultDevices(t));
        PciFunction port = t.functions().stream().filter(f -> f.kind().isBridge() && !f.acs().redirects())
                .findFirst().orElseThrow();
        WhatIfMatrix.Step sv = inc.apply(new Edit.SetAcs(port.address(), Acs.control(Acs.SV)));
        assertThat(sv.changed().isEmpty()).isTrue();
        assertThat(sv.after()).isSameAs(sv.before());
        // An allowlist edit keeps every row.
        WhatIfMatrix.Step allow = inc.apply(new Edit.DenyHostBridge(AllowlistEntry.parse("8086:09a2")));
        assertThat(allow.after().rows()).isSameAs(allow.before().rows());
        assertThat(allow.changed().count()).isPositive();
    }
}
