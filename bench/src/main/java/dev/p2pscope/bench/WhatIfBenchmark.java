package dev.p2pscope.bench;

import dev.p2pscope.core.engine.VerdictMatrix;
import dev.p2pscope.core.engine.WhatIfMatrix;
import dev.p2pscope.core.generate.TopologyGenerator;
import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.AllowlistEntry;
import dev.p2pscope.core.model.Cpu;
import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.Edit;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
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
import java.util.concurrent.TimeUnit;

/// Instant what-if (issue 15, goal 3): one edit at 4,096 endpoints recomputes only the pairs it can change and
/// yields them; the goal is under 16 ms (one frame). Each invocation applies one edit and counts the changed pairs;
/// edits alternate so the state does not drift (ACS redirect on and off a downstream port, the host bridge added to
/// and removed from the allowlist, the CPU switched between Intel and AMD Zen while the host bridge is not listed).
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class WhatIfBenchmark {

    @Param("4096")
    int endpoints;

    WhatIfMatrix matrix;
    Edit[] acs;
    Edit[] allowlist;
    Edit[] cpu;
    int flip;

    @Setup
    public void setup() {
        Topology t = TopologyGenerator.generate(TopologyGenerator.Spec.forEndpoints(endpoints, 1));
        List<PciAddress> devices = VerdictMatrix.defaultDevices(t);
        matrix = new WhatIfMatrix(t, devices);
        PciFunction port = t.functions().stream().filter(f -> f.kind() == DeviceKind.SWITCH_DOWN).findFirst()
                .orElseThrow();
        acs = new Edit[] {new Edit.SetAcs(port.address(), Acs.control(0x001d)),
                new Edit.SetAcs(port.address(), Acs.control(0x0011))};
        AllowlistEntry hostBridge = AllowlistEntry.parse("8086:09a2");
        allowlist = new Edit[] {new Edit.AllowHostBridge(hostBridge), new Edit.DenyHostBridge(hostBridge)};
        // Off the allowlist to start with, so that a CPU edit changes every cross-root pair.
        matrix.apply(new Edit.DenyHostBridge(hostBridge));
        cpu = new Edit[] {new Edit.SetCpu(Cpu.parse("AuthenticAMD:0x19")), new Edit.SetCpu(Cpu.parse("GenuineIntel:6"))};
    }

    private long apply(Edit[] pair) {
        return matrix.apply(pair[flip++ & 1]).changed().count();
    }

    /// ACS redirect on or off one switch downstream port: its subtree's rows and columns.
    @Benchmark
    public long acsEdit() {
        return apply(acs);
    }

    /// An allowlist entry removed or restored: the root-bus table, every row shared.
    @Benchmark
    public long allowlistEdit() {
        return apply(allowlist);
    }

    /// The CPU switched to or from AMD Zen: the root-bus table, every cross-root pair changes.
    @Benchmark
    public long cpuEdit() {
        return apply(cpu);
    }
}
