package dev.p2pscope.core.topology;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.generate.TopologyGenerator;
import dev.p2pscope.core.topology.sysfs.FileTree;
import dev.p2pscope.core.samples.Samples;
import dev.p2pscope.core.text.TreeText;
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

    /// The topology as JSON without its title, lesson and tour (a file's, not a PCI tree's) and notes. Everything
    /// else — names, bus numbers (known or not), ACS (unknown stays unknown), inferred flags, host facts — must
    /// come back from an exported sysfs tree.
    static String canonical(Topology t) {
        ObjectNode j = TopologyJson.toJson(t);
        j.remove(java.util.List.of("name", "description", "tour"));
        j.get("devices").forEach(d -> ((ObjectNode) d).remove(java.util.List.of("note")));
        return j.toPrettyString();
    }

    static void assertIdentity(Topology t, Path dir) throws Exception {
        assertIdentity(t, dir, java.util.List.of());
    }

    /// `notices`: what loading the original said; loading the export may say the same things again, nothing else.
    static void assertIdentity(Topology t, Path dir, java.util.List<LoadProblem> notices) throws Exception {
        SysfsExporter.export(t, dir);
        LoadResult back = SysfsLoader.load(dir, PciIds.empty());
        java.util.Set<String> said = new java.util.HashSet<>();
        notices.forEach(n -> said.add(n.message()));
        // A function whose ID was never known is exported with the all-ones ID, which its config space then shows.
        if (t.functions().stream().anyMatch(f -> f.inferred().contains("id"))) said.add("config space reads all ones");
        assertThat(back.notices()).allSatisfy(n -> assertThat(said).contains(n.message()));
        assertThat(canonical(back.topology())).isEqualTo(canonical(t));
        assertThat(TreeText.numeric(back.topology())).isEqualTo(TreeText.numeric(t));
    }

    @TestFactory
    Stream<DynamicTest> everySampleSurvivesJsonToSysfsToJson() {
        return Samples.names().stream().map(name -> DynamicTest.dynamicTest(name, () ->
                assertIdentity(Samples.load(name).topology(), tmp.resolve(name))));
    }

    /// Every capture in the test resources: loaded, exported, loaded again, the same topology.
    @TestFactory
    Stream<DynamicTest> everyCaptureSurvivesExportAndLoad() throws Exception {
        try (Stream<Path> files = java.nio.file.Files.list(SnapshotsTest.dir())) {
            return files.filter(p -> p.getFileName().toString().matches(".*\\.tar\\.(gz|bz2)")).sorted().toList().stream()
                    .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
                        LoadResult original = SysfsLoader.load(p, PciIds.empty());
                        assertIdentity(original.topology(), tmp.resolve(p.getFileName() + ".x"), original.notices());
                    }));
        }
    }

    /// Generated topologies of many shapes, some functions with ACS unknown, inferred facts or unknown bus
    /// numbers: export then load is the identity.
    @net.jqwik.api.Property(tries = 20)
    void generatedTopologiesSurviveExportAndLoad(@net.jqwik.api.ForAll long seed) throws Exception {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        Topology g = TopologyGenerator.generate(new TopologyGenerator.Spec(1 + r.nextInt(2), 1 + r.nextInt(3),
                r.nextInt(3), 1 + r.nextInt(3), 1 + r.nextInt(3), r.nextInt(3), 0.3, 0.3,
                new dev.p2pscope.core.model.PciId(0x8086, 0x09a2), dev.p2pscope.core.model.Cpu.parse("AuthenticAMD:0x19"), seed));
        Topology.Builder b = g.toBuilder();
        java.util.List<dev.p2pscope.core.model.PciFunction> fs = new java.util.ArrayList<>();
        for (var f : g.functions()) {
            var fb = f.toBuilder();
            if (r.nextInt(4) == 0) fb.acs(dev.p2pscope.core.model.Acs.UNKNOWN).acsCap(null);
            if (r.nextInt(4) == 0) fb.inferred(java.util.Set.of("kind"));
            if (f.kind().isBridge() && r.nextInt(3) == 0) fb.secondaryBus(null).subordinateBus(null);
            fs.add(fb.build());
        }
        Topology t = Topology.builder().cpu(g.cpu()).kernel(r.nextBoolean() ? dev.p2pscope.core.model.KernelProfile.V5_15
                : dev.p2pscope.core.model.KernelProfile.NEWEST).addAll(fs).build();
        Path dir = java.nio.file.Files.createTempDirectory("p2pscope-gen");
        try {
            assertIdentity(t, dir.resolve("out"));
        } finally {
            try (Stream<Path> w = java.nio.file.Files.walk(dir)) {
                w.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
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

    /// A tree large enough to be read on all cores (at least 256 functions): the same topology as the one exported,
    /// as a directory and as a snapshot, and the notices in the order of the tree, the same on every load.
    @Test
    void aLargeTreeReadOnAllCoresLoadsAsOneThreadWould() throws Exception {
        Topology g = TopologyGenerator.generate(TopologyGenerator.Spec.forEndpoints(160, 5));
        assertThat(g.size()).isGreaterThanOrEqualTo(256);
        Path dir = tmp.resolve("large");
        assertIdentity(g, dir);
        Path devices = dir.resolve("sys/bus/pci/devices");
        java.util.List<String> names;
        try (Stream<Path> l = java.nio.file.Files.list(devices)) {
            names = l.map(p -> p.getFileName().toString()).sorted().toList();
        }
        java.util.List<String> broken = new java.util.ArrayList<>();
        for (int i = 0; i < names.size(); i += 37) {
            java.nio.file.Files.writeString(devices.resolve(names.get(i)).resolve("vendor"), "zz\n");
            broken.add(names.get(i));
        }
        LoadResult first = SysfsLoader.load(dir, PciIds.empty());
        java.util.List<String> said = first.notices().stream().filter(n -> n.message().startsWith("not a hex number"))
                .map(n -> FileTree.name(FileTree.parent(n.location()))).toList();
        assertThat(said).containsExactlyElementsOf(broken);
        assertThat(SysfsLoader.load(dir, PciIds.empty()).notices()).isEqualTo(first.notices());
        assertThat(canonical(first.topology())).isEqualTo(canonical(g));   // the config space still says the vendor
        Path snap = tmp.resolve("large.tar.gz");
        SnapshotWriter.capture(dir, snap);
        LoadResult captured = SysfsLoader.load(snap, PciIds.empty());
        assertThat(canonical(captured.topology())).isEqualTo(canonical(g));
        assertThat(captured.notices().stream().map(LoadProblem::message).filter(m -> m.startsWith("not a hex")).count())
                .isEqualTo(broken.size());
    }
}
