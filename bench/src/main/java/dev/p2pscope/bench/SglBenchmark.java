package dev.p2pscope.bench;

import dev.p2pscope.core.engine.KernelSession;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.sgl.DmaConfig;
import dev.p2pscope.core.sgl.Segment;
import dev.p2pscope.core.sgl.SgTable;
import dev.p2pscope.core.sgl.SglMapper;
import dev.p2pscope.core.topology.TopologySource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/// Map and unmap a 1,000,000-segment mixed list (host pages and two providers' p2pmem), with the kernel's per-list
/// state cache and with a fresh verdict lookup per segment. Divide the time by the segment count for ns/segment.
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class SglBenchmark {

    @Param("1000000")
    int segments;

    @Param({"true", "false"})
    boolean stateCache;

    Topology topology;
    List<Segment> list;
    PciAddress client = PciAddress.parse("0000:04:00.0");

    @Setup
    public void setup() throws Exception {
        topology = TopologySource.sample("qemu-q35-switch-cmb").load().topology();
        PciAddress[] providers = {PciAddress.parse("0000:03:00.0"), PciAddress.parse("0000:04:00.0")};
        list = new ArrayList<>(segments);
        for (int i = 0; i < segments; i++) {
            list.add(i % 3 == 0 ? Segment.host(0x10_0000L + i * 4096L, 4096)
                    : Segment.p2p(providers[(i / 64) % 2], (i % 4096) * 4096L, 4096));
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int mapAndUnmap() {
        SglMapper m = new SglMapper(topology, new KernelSession(topology), List.of(), stateCache).withoutTrace();
        SgTable t = m.map(client, list, DmaConfig.direct());
        return SglMapper.unmap(t, null).size() + t.nents();
    }
}
