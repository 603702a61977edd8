package dev.p2pscope.bench;

import dev.p2pscope.core.engine.AllPairs;
import dev.p2pscope.core.engine.P2pdmaEngine;
import dev.p2pscope.core.engine.VerdictMatrix;
import dev.p2pscope.core.generate.TopologyGenerator;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.Topology;
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

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/// The all-pairs matrix against the per-pair engine (issue: 4,096 endpoints, ≥ 50× faster, < 1 s).
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class MatrixBenchmark {

    @Param("4096")
    int endpoints;

    Topology topology;
    List<PciAddress> devices;
    P2pdmaEngine engine;
    PciAddress[] providers;
    PciAddress[] clients;
    int next;

    @Setup
    public void setup() {
        topology = TopologyGenerator.generate(TopologyGenerator.Spec.forEndpoints(endpoints, 1));
        devices = VerdictMatrix.defaultDevices(topology);
        engine = new P2pdmaEngine(topology);
        SplittableRandom r = new SplittableRandom(3);
        providers = new PciAddress[4096];
        clients = new PciAddress[4096];
        for (int i = 0; i < 4096; i++) {
            providers[i] = devices.get(r.nextInt(devices.size()));
            clients[i] = devices.get(r.nextInt(devices.size()));
        }
    }

    /// One pair with the reference engine (non-verbose, as find_many calls it).
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public int perPairVerdict() {
        int i = next++ & 4095;
        return engine.decide(providers[i], clients[i], false).calcDistance();
    }

    /// Every ordered pair of the endpoints (16.8 million for 4,096).
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public VerdictMatrix allPairsMatrix() {
        return new AllPairs(topology).matrix(devices);
    }
}
