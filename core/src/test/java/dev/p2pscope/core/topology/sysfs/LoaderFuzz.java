package dev.p2pscope.core.topology.sysfs;

import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.samples.Samples;
import dev.p2pscope.core.topology.LoadProblem;
import dev.p2pscope.core.topology.LoadResult;
import dev.p2pscope.core.topology.PciIds;
import dev.p2pscope.core.topology.TopologyJson;
import dev.p2pscope.core.topology.TopologyLoadException;
import dev.p2pscope.core.topology.lspci.LspciDumpLoader;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/// A seeded fuzzer of every loader: mutated topology JSON, lspci dumps, sysfs trees (in memory, on disk, and as
/// tarballs), plus fixed hostile inputs (a FIFO, `/dev/zero` and `/dev/urandom` linked in as `config`, a symlink
/// loop, a gzip bomb, a 100k-deep JSON nesting).
///
/// Each input must end in a load that re-validates (its JSON reads back to the same topology) or in the loader's
/// own [TopologyLoadException] naming the source, within [#BUDGET_SECONDS] of CPU time on a watchdog thread. Run as a
/// program (`main`) in a JVM with a 512 MB heap, so any input needing more is an `OutOfMemoryError`, caught and
/// reported with the input that caused it. Prints `ok N` or one `FAIL` line per failing input; exit code 0 or 1.
public final class LoaderFuzz {

    static final int BUDGET_SECONDS = 5;

    private final SplittableRandom rnd;
    private final Path work;
    private final List<String> jsonSeeds = new ArrayList<>();
    private final List<String> lspciSeeds = new ArrayList<>();
    private final List<MapTree> treeSeeds = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    /// The thread inputs run on, whose CPU time the watchdog reads.
    private volatile Thread worker;
    private boolean stuck;
    private long maxCpu;
    private String slowest = "";
    private final ExecutorService watchdog = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz-input");
        t.setDaemon(true);
        worker = t;
        return t;
    });
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    /// Wall-clock guard against an input that blocks (a FIFO read uses no CPU): generous, as this machine may be
    /// shared; the budget proper is CPU time.
    static final int BLOCKED_SECONDS = 60;
    private int count;
    private int loaded;
    private int refused;

    LoaderFuzz(long seed, Path work, Path lspciDir) throws Exception {
        this.rnd = new SplittableRandom(seed);
        this.work = work;
        for (String name : List.of("qemu-q35-switch-cmb", "acs-redirect-switch", "xeon-e5-2s-same-host-bridge")) {
            Topology t = Samples.load(name).topology();
            jsonSeeds.add(TopologyJson.write(t));
            Path dir = work.resolve("seed-" + name);
            SysfsExporter.export(t, dir);
            treeSeeds.add(MapTree.of(dir));
        }
        try (Stream<Path> s = Files.list(lspciDir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().contains(".lspci-") && !p.toString().contains("-tv"))
                    .sorted().toList()) {
                lspciSeeds.add(Files.readString(p, StandardCharsets.ISO_8859_1));
            }
        }
        if (lspciSeeds.isEmpty()) throw new IllegalStateException("no lspci seeds in " + lspciDir);
    }

    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(args[0]);
        int inputs = Integer.parseInt(args[1]);
        Path work = Path.of(args[2]);
        Path lspci = Path.of(args[3]);
        LoaderFuzz f = new LoaderFuzz(seed, work, lspci);
        f.fixed();
        for (int i = 0; i < inputs && !f.stuck; i++) {
            f.one(i);
            if (inputs >= 10_000 && (i + 1) % 5_000 == 0) {
                System.err.println("progress " + (i + 1) + " inputs, " + f.failures.size() + " failures");
            }
        }
        for (String fail : f.failures) System.out.println("FAIL " + fail);
        System.out.println("ok " + f.count + " inputs (" + f.loaded + " loaded, " + f.refused + " refused), "
                + f.failures.size() + " failures; most CPU for one input " + f.maxCpu / 1_000_000 + " ms (" + f.slowest
                + ")");
        System.out.flush();
        System.exit(f.failures.isEmpty() ? 0 : 1);
    }

    // ---- running one input -----------------------------------------------------------------------------------

    interface Load {
        LoadResult run() throws TopologyLoadException, IOException;
    }

    void check(String what, Load load) {
        if (stuck) return;
        count++;
        Future<LoadResult> fut = watchdog.submit(() -> {
            try {
                return load.run();
            } catch (TopologyLoadException e) {
                for (LoadProblem p : e.problems()) {
                    if (p.source() == null || p.source().isBlank()) throw new AssertionError("problem without source: " + p);
                }
                return null;
            }
        });
        try {
            LoadResult r = await(fut, what);
            if (fut.isCancelled()) return;
            if (r != null) {
                revalidate(r);
                loaded++;
            } else {
                refused++;
            }
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            failures.add(what + ": " + c + (c.getStackTrace().length > 0 ? " at " + c.getStackTrace()[0] : ""));
        } catch (Throwable t) {
            failures.add(what + ": " + t);
        }
    }

    /// The input's result, cancelling it (and recording a failure) when it spends more than [#BUDGET_SECONDS] of
    /// CPU time, or waits more than [#BLOCKED_SECONDS] — CPU time, not wall time, so a busy machine does not fail
    /// a run.
    private LoadResult await(Future<LoadResult> fut, String what) throws Exception {
        Thread t = worker;
        long cpu0 = t == null ? 0 : THREADS.getThreadCpuTime(t.threadId());
        long wall0 = System.nanoTime();
        while (true) {
            try {
                LoadResult r = fut.get(50, TimeUnit.MILLISECONDS);
                t = worker;
                long cpu = t == null ? 0 : THREADS.getThreadCpuTime(t.threadId()) - cpu0;
                if (cpu > maxCpu) {
                    maxCpu = cpu;
                    slowest = what;
                }
                return r;
            } catch (TimeoutException e) {
                t = worker;
                long cpu = t == null ? 0 : THREADS.getThreadCpuTime(t.threadId()) - cpu0;
                long wall = System.nanoTime() - wall0;
                if (cpu > TimeUnit.SECONDS.toNanos(BUDGET_SECONDS) || wall > TimeUnit.SECONDS.toNanos(BLOCKED_SECONDS)) {
                    fut.cancel(true);
                    stuck = true;   // the worker may never come back: stop the run here
                    failures.add(what + ": " + (cpu > TimeUnit.SECONDS.toNanos(BUDGET_SECONDS)
                            ? "more than " + BUDGET_SECONDS + " s of CPU time" : "blocked for " + BLOCKED_SECONDS + " s"));
                    return null;
                }
            }
        }
    }

    /// A loaded topology keeps the model's rules and survives a save and a read.
    static void revalidate(LoadResult r) throws Exception {
        Topology t = r.topology();
        if (!Topology.validate(t.functions()).isEmpty()) throw new AssertionError("loaded topology does not validate");
        String json = TopologyJson.write(t);
        String again = TopologyJson.write(TopologyJson.read(json, "revalidate").topology());
        if (!json.equals(again)) throw new AssertionError("a loaded topology does not read back to itself");
    }

    void one(int i) throws Exception {
        switch (i % 5) {
            case 0 -> {
                String text = mutateText(pick(jsonSeeds), true);
                check("json#" + i, () -> TopologyJson.read(text, "fuzz.json"));
            }
            case 1 -> {
                String text = mutateText(pick(lspciSeeds), false);
                check("lspci#" + i, () -> LspciDumpLoader.parse(text, "fuzz.lspci"));
            }
            case 2, 3 -> {
                MapTree t = mutateTree(pick(treeSeeds).copy());
                check("tree#" + i, () -> SysfsLoader.load(t, PciIds.empty()));
            }
            default -> {
                MapTree t = mutateTree(pick(treeSeeds).copy());
                byte[] tar = tar(t, rnd.nextInt(4) == 0);
                Path file = work.resolve("fuzz-" + (i % 7) + (rnd.nextBoolean() ? ".tar.gz" : ".tar"));
                Files.write(file, rnd.nextBoolean() || file.toString().endsWith(".tar") ? tar : gzip(tar));
                check("tarball#" + i, () -> SysfsLoader.load(file, PciIds.empty()));
            }
        }
    }

    /// The hostile inputs every run includes.
    void fixed() throws Exception {
        Path onDisk = work.resolve("fixed");
        SysfsExporter.export(Samples.load("qemu-q35-switch-cmb").topology(), onDisk);
        List<Path> configs;
        try (Stream<Path> s = Files.walk(onDisk)) {
            configs = s.filter(p -> p.getFileName().toString().equals("config")).sorted().toList();
        }
        Path fifo = onDisk.resolve("fifo");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        Files.delete(configs.get(0));
        Files.createSymbolicLink(configs.get(0), onDisk.relativize(fifo).getNameCount() > 0
                ? configs.get(0).getParent().relativize(fifo) : fifo);
        Files.delete(configs.get(1));
        Files.createSymbolicLink(configs.get(1), Path.of("/dev/zero"));
        Files.delete(configs.get(2));
        Files.createSymbolicLink(configs.get(2), configs.get(2).getParent().relativize(Path.of("/dev/urandom")));
        Files.delete(configs.get(3));
        Files.createSymbolicLink(configs.get(3), Path.of("config"));   // a loop
        Path d = configs.get(4).getParent();
        for (int k = 0; k < 30; k++) {
            Files.createSymbolicLink(d.resolve("l" + k), Path.of("l" + (k + 1) + "/../l" + (k + 1) + "/../l" + (k + 1)));
        }
        Files.delete(configs.get(4));
        Files.createSymbolicLink(configs.get(4), Path.of("l0/config"));
        check("fixed: FIFO, /dev/zero, /dev/urandom, a loop and a fan-out as config", () -> SysfsLoader.load(onDisk,
                PciIds.empty()));
        check("fixed: /dev/zero as a sysfs path", () -> SysfsLoader.load(Path.of("/dev/zero"), PciIds.empty()));
        check("fixed: /dev/zero as JSON", () -> TopologyJson.read(Path.of("/dev/zero")));
        check("fixed: /dev/urandom as lspci", () -> LspciDumpLoader.load(Path.of("/dev/urandom")));
        check("fixed: a FIFO as JSON", () -> TopologyJson.read(fifo));
        check("fixed: 100k-deep JSON", () -> TopologyJson.read("[".repeat(100_000) + "]".repeat(100_000), "deep.json"));
        Path bomb = work.resolve("bomb.tar.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(bomb))) {
            MapTree one = new MapTree();
            one.file("sys/bus/pci/devices/x", new byte[0]);
            byte[] header = tarOf(one);
            o.write(header, 0, 512);
            byte[] zero = new byte[1 << 20];
            for (int k = 0; k < 40; k++) o.write(zero);
        }
        check("fixed: a gzip bomb", () -> SysfsLoader.load(bomb, PciIds.empty()));
    }

    // ---- mutations -------------------------------------------------------------------------------------------

    private <T> T pick(List<T> l) {
        return l.get(rnd.nextInt(l.size()));
    }

    private static final String[] NASTY = {"99999999999", "-1", "0x1ffffffff", "\"", "{", "[", "]", "}", "null", "true",
            "\"unknown\"", "ffff:ffff", "0000:00:20.0", "80000000:00:00.0", "\uFEFF", "\n", ",", "\"0x\"", ":",
            "1e999", "-0", "0x", "\t", "00: zz", "10: 86 80", "00:1f.7 Bridge: X", "\"kind\": \"vf\"",
            "\"parent\": \"0000:00:00.0\"", "\"physfn\": \"0000:00:00.0\"", "\u0000", "\\u0000", "é", "\uD800"};

    String mutateText(String seed, boolean json) {
        StringBuilder b = new StringBuilder(seed);
        int ops = 1 + rnd.nextInt(4);
        for (int k = 0; k < ops && !b.isEmpty(); k++) {
            int at = rnd.nextInt(b.length());
            switch (rnd.nextInt(8)) {
                case 0 -> b.setCharAt(at, (char) rnd.nextInt(json ? 128 : 256));
                case 1 -> b.delete(at, Math.min(b.length(), at + 1 + rnd.nextInt(64)));
                case 2 -> {
                    if (b.length() > 8 << 20) break;
                    int end = Math.min(b.length(), at + 1 + rnd.nextInt(256));
                    b.insert(end, b.substring(at, end));
                }
                case 3 -> b.insert(at, NASTY[rnd.nextInt(NASTY.length)]);
                case 4 -> b.setLength(at);
                case 5 -> b.insert(at, rnd.nextBoolean() ? "[".repeat(rnd.nextInt(3000)) : "a".repeat(rnd.nextInt(200_000)));
                case 6 -> {
                    // a number somewhere becomes a hostile one
                    int digit = indexOfDigit(b, at);
                    if (digit >= 0) b.replace(digit, digit + 1, NASTY[rnd.nextInt(3)]);
                }
                default -> {
                    // a line repeated many times (a long dump)
                    int start = b.lastIndexOf("\n", at) + 1;
                    int end = b.indexOf("\n", at);
                    int times = Math.min(1 + rnd.nextInt(2000), (4 << 20) / Math.max(1, end - start));   // inputs of at most ~4 MB
                    if (end > start) b.insert(end + 1, (b.substring(start, end) + "\n").repeat(times));
                }
            }
        }
        return b.toString();
    }

    private static int indexOfDigit(CharSequence s, int from) {
        for (int i = from; i < s.length(); i++) if (Character.isDigit(s.charAt(i))) return i;
        return -1;
    }

    MapTree mutateTree(MapTree t) {
        List<String> paths = new ArrayList<>(t.entries.keySet());
        int ops = 1 + rnd.nextInt(4);
        for (int k = 0; k < ops; k++) {
            String p = paths.get(rnd.nextInt(paths.size()));
            String dir = t.type(p) == FileTree.Type.DIRECTORY ? p : FileTree.parent(p);
            switch (rnd.nextInt(9)) {
                case 0 -> t.file(p, randomBytes());
                case 1 -> t.file(p, NASTY[rnd.nextInt(NASTY.length)].getBytes(StandardCharsets.UTF_8));
                case 2 -> t.remove(p);
                case 3 -> t.link(p, switch (rnd.nextInt(6)) {
                    case 0 -> FileTree.name(p);                         // a loop
                    case 1 -> "../".repeat(1 + rnd.nextInt(30)) + "dev/zero";
                    case 2 -> "/dev/zero";
                    case 3 -> "./".repeat(rnd.nextInt(3000)) + FileTree.name(p);
                    case 4 -> pickRelative(paths, p);
                    default -> "";
                });
                case 4 -> {
                    for (int l = 0; l < 25; l++) t.link(dir + "/l" + l, "l" + (l + 1) + "/../l" + (l + 1) + "/../l" + (l + 1));
                    t.link(dir + "/config", "l0/x");
                }
                case 5 -> t.dir(t.sysBus() + "/" + pick(List.of("0000:00:3f.0", "ffffffff:00:00.0", "0000:100:00.0",
                        "0000:00:00.8", "7fffffff:ff:1f.7")));
                case 6 -> t.link(dir + "/physfn", rnd.nextBoolean() ? "../" + FileTree.name(dir) : pickRelative(paths, dir + "/x"));
                case 7 -> {
                    byte[] c = t.content(dir + "/config");
                    if (c != null) t.file(dir + "/config", java.util.Arrays.copyOf(c, rnd.nextInt(c.length + 1)));
                }
                default -> {
                    byte[] c = t.content(dir + "/config");
                    if (c != null && c.length > 0) {
                        byte[] m = c.clone();
                        for (int n = 0; n < 1 + rnd.nextInt(16); n++) m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
                        t.file(dir + "/config", m);
                    }
                }
            }
        }
        return t;
    }

    private String pickRelative(List<String> paths, String from) {
        String to = paths.get(rnd.nextInt(paths.size()));
        int up = from.split("/").length - 1;
        return "../".repeat(up) + to;
    }

    private byte[] randomBytes() {
        byte[] b = new byte[rnd.nextInt(5000)];
        for (int i = 0; i < b.length; i++) b[i] = (byte) rnd.nextInt(256);
        return b;
    }

    // ---- tarballs --------------------------------------------------------------------------------------------

    /// The tree as a tar archive; `corrupt` flips bytes of it and may cut it short.
    byte[] tar(MapTree t, boolean corrupt) throws IOException {
        byte[] out = tarOf(t);
        if (corrupt && out.length > 0) {
            out = out.clone();
            for (int n = 0; n < 1 + rnd.nextInt(8); n++) out[rnd.nextInt(out.length)] = (byte) rnd.nextInt(256);
            if (rnd.nextBoolean()) out = java.util.Arrays.copyOf(out, rnd.nextInt(out.length));
        }
        return out;
    }

    static byte[] tarOf(MapTree t) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (var e : t.entries.entrySet()) {
                MapTree.Entry v = e.getValue();
                TarArchiveEntry te;
                if (v.type() == FileTree.Type.LINK) {
                    te = new TarArchiveEntry(e.getKey(), TarArchiveEntry.LF_SYMLINK);
                    te.setLinkName(v.link());
                } else if (v.type() == FileTree.Type.DIRECTORY) {
                    te = new TarArchiveEntry(e.getKey() + "/");
                } else {
                    te = new TarArchiveEntry(e.getKey());
                    te.setSize(v.content().length);
                }
                tar.putArchiveEntry(te);
                if (v.type() == FileTree.Type.FILE) tar.write(v.content());
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(o)) {
            g.write(b);
        }
        return o.toByteArray();
    }

    // ---- an in-memory tree -----------------------------------------------------------------------------------

    /// A [FileTree] in memory, cheap to copy and mutate; links resolve with the loader's own [LinkResolver].
    static final class MapTree implements FileTree {
        record Entry(Type type, byte[] content, String link) { }

        final TreeMap<String, Entry> entries = new TreeMap<>();
        private final Map<String, TreeSet<String>> children = new HashMap<>();
        private LinkResolver resolver = new LinkResolver(this);

        static MapTree of(Path root) throws IOException {
            MapTree t = new MapTree();
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                    String rel = root.relativize(p).toString();
                    if (rel.isEmpty()) continue;
                    if (Files.isSymbolicLink(p)) t.link(rel, Files.readSymbolicLink(p).toString());
                    else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) t.dir(rel);
                    else t.file(rel, Files.readAllBytes(p));
                }
            }
            return t;
        }

        MapTree copy() {
            MapTree t = new MapTree();
            entries.forEach(t::put);
            return t;
        }

        String sysBus() {
            return "sys/bus/pci/devices";
        }

        void file(String p, byte[] c) { put(p, new Entry(Type.FILE, c, null)); }
        void dir(String p) { put(p, new Entry(Type.DIRECTORY, null, null)); }
        void link(String p, String target) { put(p, new Entry(Type.LINK, null, target)); }

        byte[] content(String p) {
            Entry e = entries.get(p);
            return e != null && e.type() == Type.FILE ? e.content() : null;
        }

        void remove(String p) {
            entries.remove(p);
            TreeSet<String> s = children.get(FileTree.parent(p));
            if (s != null) s.remove(FileTree.name(p));
            resolver = new LinkResolver(this);
        }

        private void put(String p, Entry e) {
            entries.put(p, e);
            String q = p;
            while (!q.isEmpty()) {
                String parent = FileTree.parent(q);
                if (!children.computeIfAbsent(parent, k -> new TreeSet<>()).add(FileTree.name(q))) break;
                q = parent;
            }
            resolver = new LinkResolver(this);
        }

        @Override public String describe() { return "fuzz-tree"; }

        @Override
        public Type type(String path) {
            Entry e = entries.get(path);
            if (e != null) return e.type();
            return path.isEmpty() || children.containsKey(path) ? Type.DIRECTORY : Type.MISSING;
        }

        @Override
        public Optional<String> readLink(String path) {
            Entry e = entries.get(path);
            return e != null && e.type() == Type.LINK ? Optional.of(e.link()) : Optional.empty();
        }

        @Override
        public List<String> list(String path) {
            Optional<String> r = resolve(path);
            if (r.isEmpty()) return List.of();
            TreeSet<String> kids = children.get(r.get());
            return kids == null ? List.of() : new ArrayList<>(kids);
        }

        @Override
        public byte[] read(String path, int max) throws IOException {
            String r = resolve(path).orElseThrow(() -> new IOException(path + ": link dangles or leaves the tree"));
            Entry e = entries.get(r);
            if (e == null || e.type() != Type.FILE) throw new IOException(path + ": not a regular file");
            return e.content().length <= max ? e.content() : java.util.Arrays.copyOf(e.content(), max);
        }

        @Override
        public Optional<String> resolve(String path) {
            return resolver.resolve(path);
        }
    }
}
