package dev.p2pscope.core.topology;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.samples.Samples;
import dev.p2pscope.core.topology.sysfs.SnapshotWriter;
import dev.p2pscope.core.topology.sysfs.SysfsExporter;
import dev.p2pscope.core.topology.sysfs.SysfsLoader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/// JSON → sysfs → JSON is the identity on every sample (for every fact sysfs can hold), and a snapshot of a tree
/// loads to the same topology as the tree itself.
class SysfsRoundTripTest {

    @TempDir Path tmp;

    /// The topology as JSON without what sysfs has no place for: names, notes, the title and lesson, the tour,
    /// and bus ranges the exporter derives from the tree.
    static String canonical(Topology t) {
        ObjectNode j = TopologyJson.toJson(t);
        j.remove(java.util.List.of("name", "description", "tour"));
        j.get("devices").forEach(d -> ((ObjectNode) d).remove(java.util.List.of("name", "note", "secondaryBus",
                "subordinateBus")));
        return j.toPrettyString();
    }

    @TestFactory
    Stream<DynamicTest> everySampleSurvivesJsonToSysfsToJson() {
        return Samples.names().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Topology t = Samples.load(name).topology();
            Path dir = tmp.resolve(name);
            SysfsExporter.export(t, dir);
            LoadResult back = SysfsLoader.load(dir, PciIds.empty());
            assertThat(back.notices()).isEmpty();
            assertThat(canonical(back.topology())).isEqualTo(canonical(t));
        }));
    }

    @Test
    void aSnapshotLoadsToTheSameTopologyAsTheTreeItWasTakenFrom() throws Exception {
        Topology t = Samples.load("qemu-q35-switch-cmb").topology();
        Path dir = tmp.resolve("host");
        SysfsExporter.export(t, dir);
        Path snap = tmp.resolve("host.tar.gz");
        int files = SnapshotWriter.capture(dir, snap);
        assertThat(files).isGreaterThan(50);
        Topology live = SysfsLoader.load(dir, PciIds.empty()).topology();
        Topology captured = SysfsLoader.load(snap, PciIds.empty()).topology();
        assertThat(TopologyJson.write(captured).replace(snap.toString(), "X"))
                .isEqualTo(TopologyJson.write(live).replace(dir.toString(), "X"));
    }
}
