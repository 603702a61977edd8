package dev.p2pscope.bench;

import dev.p2pscope.core.generate.TopologyGenerator;
import dev.p2pscope.core.topology.PciIds;
import dev.p2pscope.core.topology.sysfs.SnapshotWriter;
import dev.p2pscope.core.topology.sysfs.SysfsExporter;
import dev.p2pscope.core.topology.sysfs.SysfsLoader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/// Loading a generated sysfs tree (issue 15, goal 1): `generate --endpoints 4096 --seed 11 --format sysfs` is 9,658
/// functions. Once as a directory, once as a snapshot tarball read in place. In-process figures for regressions;
/// the comparison with lspci as whole processes is `bench/compare-lspci.sh`.
@State(Scope.Benchmark)
// Native access as ./p2pscope gives it: the loader lists and reads through FFM (without it, java.nio.file).
@Fork(value = 1, jvmArgsAppend = {"-XX:+UseSerialGC", "-Xms16m", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SysfsLoadBenchmark {

    @Param("4096")
    int endpoints;

    Path work;
    Path tree;
    Path tarball;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        work = Files.createTempDirectory("p2pscope-sysfs-bench");
        tree = work.resolve("tree");
        tarball = work.resolve("tree.tar.gz");
        SysfsExporter.export(TopologyGenerator.generate(TopologyGenerator.Spec.forEndpoints(endpoints, 11)), tree);
        SnapshotWriter.capture(tree, tarball);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> s = Files.walk(work)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Benchmark
    public int loadDirectory() throws Exception {
        return SysfsLoader.load(tree, PciIds.empty()).topology().size();
    }

    @Benchmark
    public int loadTarball() throws Exception {
        return SysfsLoader.load(tarball, PciIds.empty()).topology().size();
    }
}
