package dev.p2pscope.cli;

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
import dev.p2pscope.core.sgl.DmaConfig;
import dev.p2pscope.core.sgl.Segment;
import dev.p2pscope.core.sgl.SgTable;
import dev.p2pscope.core.sgl.SglMapper;
import dev.p2pscope.core.topology.PciIds;
import dev.p2pscope.core.topology.TopologySource;
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

    private Table table;

    @Override
    public Integer call() throws Exception {
        long started = System.nanoTime();
        PrintWriter out = spec.commandLine().getOut();
        int endpoints = quick ? 512 : 4096;
        Topology t = TopologyGenerator.generate(TopologyGenerator.Spec.forEndpoints(endpoints, 1));
        List<PciAddress> devs = VerdictMatrix.defaultDevices(t);
        long pairs = (long) devs.size() * devs.size();
        out.printf("topology: %d functions, %d endpoints, %,d ordered pairs%n%n", t.size(), devs.size(), pairs);
        table = new Table(out);

        // Per-pair engine on random pairs.
        P2pdmaEngine engine = new P2pdmaEngine(t);
        SplittableRandom r = new SplittableRandom(7);
        int sample = quick ? 5_000 : 200_000;
        PciAddress[] ps = new PciAddress[sample];
        PciAddress[] cs = new PciAddress[sample];
        for (int i = 0; i < sample; i++) {
            ps[i] = devs.get(r.nextInt(devs.size()));
            cs[i] = devs.get(r.nextInt(devs.size()));
        }
        double perPairNs = median(quick ? 3 : 5, () -> {
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
        Topology big = TopologyGenerator.generate(TopologyGenerator.Spec.forEndpoints(quick ? 400 : 4300, 3));
        // In memory (tmpfs) where there is one: the row measures the loader, not the disk, and writing ~30,000
        // small files to a disk that other jobs are using can take longer than the rest of the run.
        Path shm = Path.of("/dev/shm");
        boolean inMemory = Files.isDirectory(shm) && Files.isWritable(shm);
        Path dir = inMemory ? Files.createTempDirectory(shm, "p2pscope-bench") : Files.createTempDirectory("p2pscope-bench");
        try {
            long e0 = System.nanoTime();
            SysfsExporter.export(big, dir.resolve("tree"));
            double exportMs = (System.nanoTime() - e0) / 1e6;
            double loadMs = median(quick ? 1 : 5, () -> {
                long t0 = System.nanoTime();
                try {
                    blackhole(SysfsLoader.load(dir.resolve("tree"), PciIds.empty()).topology().size());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return System.nanoTime() - t0;
            }) / 1e6;
            row("sysfs load, " + big.size() + " functions", String.format("%.0f ms", loadMs),
                    String.format("%.1f ms per 1,000 functions; tree %s, written in %.0f ms",
                            loadMs * 1000 / big.size(), inMemory ? "in tmpfs" : "on disk", exportMs));
        } finally {
            try (Stream<Path> w = Files.walk(dir)) {
                w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }

        // SGL map + unmap of a mixed list.
        Topology q = TopologySource.sample("qemu-q35-switch-cmb").load().topology();
        PciAddress client = PciAddress.parse("0000:04:00.0");
        int nseg = quick ? 20_000 : 1_000_000;
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

        // The canvas layout is the window's, not the command line's (which never reaches dev.p2pscope.app): it is
        // timed by `p2pscope --bench-render` (time to first frame) and TreeLayout's own tests.

        out.printf("%n(%d cores, %s, Java %s; median of timed runs after warm-up; %.1f s in all)%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"),
                System.getProperty("java.version"), (System.nanoTime() - started) / 1e9);
        return ExitCodes.OK;
    }

    /// Prints one finished row: each row is printed once, to standard output, as soon as it is measured.
    private void row(String name, String result, String notes) {
        table.row(name, result, notes);
    }

    /// The result table, printed as it grows. Columns have fixed widths so that a row can be printed the moment
    /// it is measured (a long benchmark shows progress without a second, separate progress report); a cell wider
    /// than its column pushes the rest of its own row only.
    static final class Table {
        static final int NAME = 58;
        static final int RESULT = 20;
        private final PrintWriter out;

        Table(PrintWriter out) {
            this.out = out;
            line("benchmark", "result", "notes");
        }

        void row(String name, String result, String notes) {
            line(name, result, notes);
        }

        private void line(String name, String result, String notes) {
            out.println((pad(name, NAME) + "  " + pad(result, RESULT) + "  " + notes).stripTrailing());
            out.flush();
        }

        private static String pad(String s, int w) {
            return s.length() >= w ? s : s + " ".repeat(w - s.length());
        }
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
