package dev.p2pscope.cli;

import dev.p2pscope.app.render.TreeLayout;
import dev.p2pscope.core.engine.AllPairs;
import dev.p2pscope.core.engine.KernelSession;
import dev.p2pscope.core.engine.P2pdmaEngine;
import dev.p2pscope.core.engine.VerdictMatrix;
import dev.p2pscope.core.engine.WhatIfMatrix;
import dev.p2pscope.core.model.AllowlistEntry;
import dev.p2pscope.core.model.Cpu;
import dev.p2pscope.core.generate.TopologyGenerator;
import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.Edit;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.samples.Samples;
import dev.p2pscope.core.sgl.DmaConfig;
import dev.p2pscope.core.sgl.Segment;
import dev.p2pscope.core.sgl.SgTable;
import dev.p2pscope.core.sgl.SglMapper;
import dev.p2pscope.core.topology.PciIds;
import dev.p2pscope.core.topology.sysfs.SysfsExporter;
import dev.p2pscope.core.topology.sysfs.SysfsLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/// `bench`: every benchmark of the project in one table (median of timed runs after warm-up, on this machine).
/// Benchmarks never run in the test suite; `bench/` holds the JMH versions of the hot ones.
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run every benchmark and print one table.")
final class BenchCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = "--quick", description = "smaller sizes and fewer runs (a smoke run, not for numbers)")
    boolean quick;

    private final List<String[]> rows = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int endpoints = quick ? 512 : 4096;
        Topology t = TopologyGenerator.generate(TopologyGenerator.Spec.forEndpoints(endpoints, 1));
        List<PciAddress> devs = VerdictMatrix.defaultDevices(t);
        long pairs = (long) devs.size() * devs.size();
        out.printf("topology: %d functions, %d endpoints, %,d ordered pairs%n", t.size(), devs.size(), pairs);
        out.flush();

        // Per-pair engine on random pairs.
        P2pdmaEngine engine = new P2pdmaEngine(t);
        SplittableRandom r = new SplittableRandom(7);
        int sample = quick ? 20_000 : 200_000;
        PciAddress[] ps = new PciAddress[sample];
        PciAddress[] cs = new PciAddress[sample];
        for (int i = 0; i < sample; i++) {
            ps[i] = devs.get(r.nextInt(devs.size()));
            cs[i] = devs.get(r.nextInt(devs.size()));
        }
        double perPairNs = median(5, () -> {
            long t0 = System.nanoTime();
            int sink = 0;
            for (int i = 0; i < sample; i++) sink += engine.decide(ps[i], cs[i], false).calcDistance();
            blackhole(sink);
            return System.nanoTime() - t0;
        }) / sample;
        row("per-pair verdict (calc_map_type_and_dist, non-verbose)", String.format("%.0f ns/pair", perPairNs), "");

        // All pairs.
        AllPairs[] holder = new AllPairs[1];
        double allMs = median(quick ? 3 : 5, () -> {
            long t0 = System.nanoTime();
            holder[0] = new AllPairs(t);
            blackhole(holder[0].matrix(devs).size());
            return System.nanoTime() - t0;
        }) / 1e6;
        double allNsPerPair = allMs * 1e6 / pairs;
        row("all-pairs matrix, " + devs.size() + " endpoints", String.format("%.0f ms (%.1f ns/pair)", allMs,
                allNsPerPair), String.format("%.0fx the per-pair engine; goal >= 50x and < 1 s", perPairNs / allNsPerPair));
        row("matrix memory", "2 bytes/pair", String.format("%,d bytes for %,d pairs", pairs * 2, pairs));

        // What-if diff: flip ACS on a few downstream ports, recompute, compare.
        Topology edited = t;
        int flipped = 0;
        for (PciFunction f : t.functions()) {
            if (f.kind() == DeviceKind.SWITCH_DOWN && flipped++ < 16) {
                edited = new Edit.SetAcs(f.address(), Acs.control(f.acs().redirects() ? 0x0011 : 0x001d)).applyTo(edited);
            }
        }
        VerdictMatrix before = new AllPairs(t).matrix(devs);
        Topology e2 = edited;
        long[] changed = new long[1];
        double diffMs = median(quick ? 3 : 5, () -> {
            long t0 = System.nanoTime();
            VerdictMatrix after = new AllPairs(e2).matrix(devs);
            changed[0] = VerdictMatrix.countChanges(before, after);
            return System.nanoTime() - t0;
        }) / 1e6;
        row("what-if diff (16 ACS edits): recompute + compare", String.format("%.0f ms", diffMs),
                String.format("%,d pairs changed; goal < 1 s", changed[0]));

        // Instant what-if: one edit recomputes only the pairs it can change (goal: < 16 ms, one frame).
        // The host bridge starts off the allowlist, so that a CPU edit (AMD Zen or not) changes every cross-root pair.
        WhatIfMatrix live = new WhatIfMatrix(t, devs);
        PciFunction dsp = t.functions().stream().filter(f -> f.kind() == DeviceKind.SWITCH_DOWN).findFirst().orElseThrow();
        AllowlistEntry hostBridge = t.functions().stream().filter(f -> f.kind() == DeviceKind.HOST_BRIDGE).findFirst()
                .map(f -> new AllowlistEntry(f.id().vendor(), f.id().device(), false)).orElseThrow();
        Edit[][] kinds = {
                {new Edit.SetAcs(dsp.address(), Acs.control(0x001d)), new Edit.SetAcs(dsp.address(), Acs.control(0x0011))},
                {new Edit.AllowHostBridge(hostBridge), new Edit.DenyHostBridge(hostBridge)},
                {new Edit.SetCpu(Cpu.parse("AuthenticAMD:0x19")), new Edit.SetCpu(Cpu.parse("GenuineIntel:6"))}};
        live.apply(new Edit.DenyHostBridge(hostBridge));
        String[] names = {"one ACS edit (a downstream port)", "one allowlist edit (the host bridge)", "one CPU edit"};
        for (int k = 0; k < kinds.length; k++) {
            Edit[] pair = kinds[k];
            int[] flip = {0};
            long[] count = new long[1];
            double ms = median(quick ? 5 : 21, () -> {
                long t0 = System.nanoTime();
                count[0] = live.apply(pair[flip[0]++ & 1]).changed().count();
                return System.nanoTime() - t0;
            }) / 1e6;
            row("instant what-if: " + names[k], String.format("%.2f ms", ms),
                    String.format("%,d pairs changed (last run); goal < 16 ms", count[0]));
        }

        // sysfs load of a synthesized 10,000-function tree.
        Topology big = TopologyGenerator.generate(TopologyGenerator.Spec.forEndpoints(quick ? 1000 : 4300, 3));
        Path dir = Files.createTempDirectory("p2pscope-bench");
        try {
            SysfsExporter.export(big, dir.resolve("tree"));
            double loadMs = median(quick ? 2 : 5, () -> {
                long t0 = System.nanoTime();
                try {
                    blackhole(SysfsLoader.load(dir.resolve("tree"), PciIds.empty()).topology().size());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return System.nanoTime() - t0;
            }) / 1e6;
            row("sysfs load, " + big.size() + " functions", String.format("%.0f ms", loadMs),
                    String.format("%.1f ms per 1,000 functions", loadMs * 1000 / big.size()));
        } finally {
            try (Stream<Path> w = Files.walk(dir)) {
                w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }

        // SGL map + unmap of a mixed list.
        Topology q = Samples.load("qemu-q35-switch-cmb").topology();
        PciAddress client = PciAddress.parse("0000:04:00.0");
        int nseg = quick ? 100_000 : 1_000_000;
        List<Segment> list = new ArrayList<>(nseg);
        PciAddress[] providers = {PciAddress.parse("0000:03:00.0"), PciAddress.parse("0000:04:00.0")};
        for (int i = 0; i < nseg; i++) {
            list.add(i % 3 == 0 ? Segment.host(0x10_0000L + i * 4096L, 4096)
                    : Segment.p2p(providers[(i / 64) % 2], (i % 4096) * 4096L, 4096));
        }
        for (boolean cache : new boolean[] {true, false}) {
            double ns = median(3, () -> {
                SglMapper m = new SglMapper(q, new KernelSession(q), List.of(), cache).withoutTrace();
                long t0 = System.nanoTime();
                SgTable tab = m.map(client, list, DmaConfig.direct());
                blackhole(SglMapper.unmap(tab, null).size());
                return System.nanoTime() - t0;
            }) / nseg;
            row("SGL map+unmap, " + nseg + " mixed segments" + (cache ? "" : ", lookup per segment"),
                    String.format("%.0f ns/segment", ns), cache ? "per-list state recomputed on provider change" : "");
        }

        // Layout of a 10,000-function tree (pure computation, no JavaFX).
        double layoutMs = median(quick ? 2 : 5, () -> {
            long t0 = System.nanoTime();
            blackhole(TreeLayout.compute(big, Set.of(), false).boxes().size());
            return System.nanoTime() - t0;
        }) / 1e6;
        row("canvas layout, " + big.size() + " functions", String.format("%.0f ms", layoutMs), "tidy tree, packed rows");

        out.println();
        int w0 = rows.stream().mapToInt(x -> x[0].length()).max().orElse(10);
        int w1 = rows.stream().mapToInt(x -> x[1].length()).max().orElse(10);
        out.printf("%-" + w0 + "s  %-" + w1 + "s  %s%n", "benchmark", "result", "notes");
        for (String[] x : rows) out.printf("%-" + w0 + "s  %-" + w1 + "s  %s%n", x[0], x[1], x[2]);
        out.printf("%n(%d cores, %s, Java %s; median of timed runs after warm-up)%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"), System.getProperty("java.version"));
        return ExitCodes.OK;
    }

    private void row(String name, String result, String notes) {
        rows.add(new String[] {name, result, notes});
        spec.commandLine().getErr().println("  " + name + ": " + result);
    }

    /// Runs `run` once to warm up, then `n` times; the median in nanoseconds.
    static double median(int n, LongSupplier run) {
        run.getAsLong();
        long[] t = new long[n];
        for (int i = 0; i < n; i++) t[i] = run.getAsLong();
        Arrays.sort(t);
        return t[n / 2];
    }

    static volatile long sink;

    static void blackhole(long v) {
        sink += v;
    }
}
