package dev.p2pscope.core.engine;

import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.testing.RandomTopologies;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/// The compact changed-pairs set against a plain double loop over both matrices: over generated topologies and
/// random what-if edits, its count, its k-th pair, its iteration, its lookups and its ends are exactly the pairs
/// whose map type or distance differ, in provider-major order.
class ChangedPairsTest {

    /// The changes as the simplest code finds them: every (i, j) of `before`, looked up by address in `after`.
    private static List<VerdictMatrix.PairChange> plain(VerdictMatrix before, VerdictMatrix after) {
        List<VerdictMatrix.PairChange> out = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) {
            int ai = after.indexOf(before.devices().get(i));
            for (int j = 0; j < before.size(); j++) {
                int aj = after.indexOf(before.devices().get(j));
                if (ai < 0 || aj < 0) continue;
                if (before.mapType(i, j) != after.mapType(ai, aj) || before.distance(i, j) != after.distance(ai, aj)) {
                    out.add(VerdictMatrix.PairChange.of(before, after, i, j, ai, aj));
                }
            }
        }
        return out;
    }

    private static void agree(VerdictMatrix before, VerdictMatrix after) {
        List<VerdictMatrix.PairChange> expected = plain(before, after);
        ChangedPairs c = ChangedPairs.between(before, after);
        assertThat(c.count()).isEqualTo(expected.size());
        assertThat(c.isEmpty()).isEqualTo(expected.isEmpty());
        List<VerdictMatrix.PairChange> byIndex = new ArrayList<>();
        for (long k = 0; k < c.count(); k++) byIndex.add(c.get(k));
        assertThat(byIndex).isEqualTo(expected);
        List<VerdictMatrix.PairChange> iterated = new ArrayList<>();
        c.iterator().forEachRemaining(iterated::add);
        assertThat(iterated).isEqualTo(expected);
        List<VerdictMatrix.PairChange> each = new ArrayList<>();
        c.forEach(each::add);
        assertThat(each).isEqualTo(expected);
        assertThat(c.asList()).isEqualTo(expected);
        assertThat(VerdictMatrix.diff(before, after)).isEqualTo(expected);
        Set<List<PciAddress>> pairs = new HashSet<>();
        Set<PciAddress> ends = new HashSet<>();
        for (VerdictMatrix.PairChange p : expected) {
            pairs.add(List.of(p.provider(), p.client()));
            ends.add(p.provider());
            ends.add(p.client());
        }
        for (PciAddress p : before.devices()) {
            for (PciAddress q : before.devices()) {
                assertThat(c.contains(p, q)).as(p + " -> " + q).isEqualTo(pairs.contains(List.of(p, q)));
            }
        }
        assertThat(c.ends()).isEqualTo(ends);
        assertThatThrownBy(() -> c.get(c.count())).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> c.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void agreesWithAPlainDiffOverRandomEdits() {
        SplittableRandom r = new SplittableRandom(7);
        int nonEmpty = 0;
        for (int round = 0; round < 40; round++) {
            Topology t = RandomTopologies.generate(r, 0.3);
            List<PciAddress> devices = VerdictMatrix.defaultDevices(t);
            VerdictMatrix before = VerdictMatrix.compute(t, devices);
            Topology edited = t;
            for (int e = 0; e < 3; e++) edited = WhatIfMatrixDifferentialTest.randomEdit(edited, r).applyTo(edited);
            VerdictMatrix after = VerdictMatrix.compute(edited, devices);
            agree(before, after);
            if (!ChangedPairs.between(before, after).isEmpty()) nonEmpty++;
            // Over different device lists: the pairs both show, named by the first matrix's devices.
            List<PciAddress> fewer = devices.subList(0, devices.size() / 2);
            agree(before, VerdictMatrix.compute(edited, fewer));
        }
        assertThat(nonEmpty).as("rounds whose edits changed something").isGreaterThan(10);
    }

    @Test
    void noneIsEmptyAndIteratesNothing() {
        ChangedPairs none = ChangedPairs.none();
        assertThat(none.count()).isZero();
        assertThat(none.asList()).isEmpty();
        assertThat(none.ends()).isEmpty();
        Iterator<VerdictMatrix.PairChange> it = none.iterator();
        assertThat(it.hasNext()).isFalse();
        assertThat(it.hasNext()).isFalse();
        assertThat(none.contains(PciAddress.parse("0000:00:00.0"), PciAddress.parse("0000:00:00.0"))).isFalse();
    }

    @Test
    void hashCodeSeparatesTheFunctionsOfADomain() {
        Set<Integer> hashes = new HashSet<>();
        for (int bus = 0; bus < 256; bus++) {
            for (int dev = 0; dev < 32; dev++) {
                for (int fn = 0; fn < 8; fn++) hashes.add(new PciAddress(3, bus, dev, fn).hashCode());
            }
        }
        assertThat(hashes).hasSize(256 * 32 * 8);
        assertThat(new PciAddress(1, 2, 3, 4)).hasSameHashCodeAs(PciAddress.parse("0001:02:03.4"));
    }

}
