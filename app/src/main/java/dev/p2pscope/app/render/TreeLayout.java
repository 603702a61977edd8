package dev.p2pscope.app.render;

import dev.p2pscope.core.model.BusAddress;
import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/// A tidy top-down layout of a PCI tree: one column per leaf, parents centred over their children, a row per
/// depth; root buses (host bridges) at the top. Pure computation, no JavaFX: the canvas only reads it.
///
/// VFs are folded under their PF (not laid out) unless `showVfs`; collapsed bridges hide their subtree.
public final class TreeLayout {

    /// Box sizes: room for the BDF and kind on one line, a name on two, and a badge line (p2pmem, ACS) below.
    public static final double NODE_W = 188, NODE_H = 80, GAP_X = 18, GAP_Y = 40, HOST_H = 40;
    /// The width:height the packing aims for when the caller does not know its canvas (the explorer's tree pane at
    /// the default window size).
    public static final double ASPECT = 1.1;
    /// Space around the root buses of one NUMA node, and for its title.
    public static final double NUMA_PAD = 12, NUMA_TITLE = 18;
    /// A folded root bus: its two header lines and a summary of up to four lines.
    public static final double FOLDED_BUS_H = NODE_H + 18;

    /// A placed box. `rootBus` is set for host-bridge boxes (one per root bus), `function` for PCI functions.
    public record Box(String id, PciAddress function, BusAddress rootBus, double x, double y, double w, double h,
                      int hiddenChildren) {
        public double centerX() { return x + w / 2; }
        public double centerY() { return y + h / 2; }
    }

    /// An edge from a parent box to a child box.
    public record Edge(String from, String to) { }

    /// One PCIe switch drawn as a box around its upstream port and the downstream ports under it (each port stays
    /// a box of its own inside, as the kernel examines ports one by one).
    public record SwitchGroup(PciAddress upstream, double x, double y, double w, double h) { }

    /// Space between a switch group's border and the port boxes inside it (more on top, for its title).
    public static final double GROUP_PAD = 7, GROUP_TITLE = 16;

    /// The root buses of one NUMA node (as lstopo groups them), drawn as a titled frame when a machine has more
    /// than one node.
    public record NumaGroup(int node, double x, double y, double w, double h) { }

    /// The result.
    public record Layout(Map<String, Box> boxes, List<Edge> edges, List<SwitchGroup> switches, List<NumaGroup> numa,
                         double width, double height) {
        public Box of(PciAddress a) {
            return boxes.get(a.toString());
        }

        public Box ofRootBus(BusAddress b) {
            return boxes.get("hb:" + b);
        }
    }

    private final Topology topology;
    private final Set<PciAddress> collapsed;
    private final boolean showVfs;
    private final double aspect;
    private final Set<BusAddress> foldedBuses;
    private final Map<String, Box> boxes = new HashMap<>();
    private final List<Edge> edges = new ArrayList<>();
    private double nextLeafX;
    private double maxY;

    private final Map<PciAddress, Integer> vfCount = new HashMap<>();

    private TreeLayout(Topology topology, Set<PciAddress> collapsed, boolean showVfs, double aspect,
                       Set<BusAddress> foldedBuses) {
        this.topology = topology;
        this.foldedBuses = foldedBuses;
        this.aspect = aspect > 0 && Double.isFinite(aspect) ? aspect : ASPECT;
        this.collapsed = collapsed;
        this.showVfs = showVfs;
        for (PciFunction f : topology.functions()) {
            if (f.kind() == DeviceKind.VF && f.physfn() != null) vfCount.merge(f.physfn(), 1, Integer::sum);
        }
    }

    public static Layout compute(Topology topology, Set<PciAddress> collapsed, boolean showVfs) {
        return compute(topology, collapsed, showVfs, ASPECT);
    }

    /// Lays out for a canvas of the given width:height, so that fitting the tree into it leaves it as large as
    /// it can be.
    public static Layout compute(Topology topology, Set<PciAddress> collapsed, boolean showVfs, double aspect) {
        return new TreeLayout(topology, collapsed, showVfs, aspect, Set.of()).run();
    }

    /// As above, with whole root buses folded: each is one summary box (its host bridge) with nothing below.
    public static Layout compute(Topology topology, Set<PciAddress> collapsed, boolean showVfs, double aspect,
                                 Set<BusAddress> foldedBuses) {
        return new TreeLayout(topology, collapsed, showVfs, aspect, foldedBuses).run();
    }

    /// What a folded root bus holds.
    public static Summary summarize(Topology t, BusAddress bus) {
        return summarizeFrom(t, t.rootBusFunctions(bus));
    }

    /// The NUMA node of a root bus: that of its first function that says, or -1.
    public static int numaOf(Topology t, BusAddress bus) {
        for (PciFunction f : t.rootBusFunctions(bus)) {
            if (f.numaNode() != null && f.numaNode() >= 0) return f.numaNode();
        }
        return -1;
    }

    /// Lays out each root bus's subtree on its own, then packs the subtrees into rows so that a many-rooted
    /// machine fills a screen-shaped area instead of one very wide strip.
    private Layout run() {
        List<Part> parts = new ArrayList<>();
        for (BusAddress bus : topology.rootBuses()) {
            boxes.clear();
            edges.clear();
            nextLeafX = 0;
            maxY = HOST_H;
            boolean folded = foldedBuses.contains(bus);
            List<PciFunction> members = folded ? List.of() : visible(topology.rootBusFunctions(bus));
            List<Double> centres = new ArrayList<>();
            for (PciFunction f : members) centres.add(place(f, 1));
            double width = Math.max(NODE_W, nextLeafX - GAP_X);
            String id = "hb:" + bus;
            if (folded) maxY = FOLDED_BUS_H;
            boxes.put(id, new Box(id, null, bus, 0, 0, width, folded ? FOLDED_BUS_H : HOST_H,
                    folded ? topology.rootBusFunctions(bus).size() : 0));
            for (PciFunction f : members) edges.add(new Edge(id, f.address().toString()));
            parts.add(new Part(new HashMap<>(boxes), new ArrayList<>(edges), width, maxY));
        }
        // Grouped by NUMA node (as lstopo groups by package and node), each group packed into shelves; the shelf
        // width is the one that makes the whole drawing largest when fitted to the aspect ratio asked for.
        Map<Integer, List<Part>> byNode = new java.util.TreeMap<>();
        for (int i = 0; i < parts.size(); i++) {
            byNode.computeIfAbsent(numaOf(topology, topology.rootBuses().get(i)), k -> new ArrayList<>()).add(parts.get(i));
        }
        boolean framed = byNode.size() > 1;
        double widest = parts.stream().mapToDouble(Part::width).max().orElse(NODE_W);
        double total = parts.stream().mapToDouble(p -> p.width() + GAP_X * 3).sum();
        double bestScore = -1;
        double bestShelf = widest;
        boolean bestSideBySide = false;
        for (int step = 0; step <= 60; step++) {
            double shelf = widest + (Math.max(widest, total) - widest) * step / 60.0;
            for (boolean sideBySide : new boolean[] {false, true}) {
                double[] wh = arrange(byNode, shelf, sideBySide, framed, null, null);
                double score = Math.min(aspect / wh[0], 1 / wh[1]);
                if (score > bestScore * 1.0001) {
                    bestScore = score;
                    bestShelf = shelf;
                    bestSideBySide = sideBySide;
                }
            }
        }
        Map<String, Box> all = new HashMap<>();
        List<Edge> allEdges = new ArrayList<>();
        List<NumaGroup> groups = new ArrayList<>();
        double[] wh = arrange(byNode, bestShelf, bestSideBySide, framed, all, groups);
        for (List<Part> ps : byNode.values()) for (Part p : ps) allEdges.addAll(p.edges());
        return new Layout(Map.copyOf(all), List.copyOf(allEdges), switchGroups(all), List.copyOf(groups),
                Math.max(wh[0], NODE_W), wh[1]);
    }

    /// Shelf-packs each NUMA node's root buses (rows no wider than `shelf`), the nodes side by side or stacked;
    /// places the boxes into `out` when it is not null. Returns the drawing's width and height.
    private static double[] arrange(Map<Integer, List<Part>> byNode, double shelf, boolean sideBySide,
                                    boolean framed, Map<String, Box> out, List<NumaGroup> groups) {
        double pad = framed ? NUMA_PAD : 0;
        double title = framed ? NUMA_TITLE : 0;
        double ox = 0;
        double oy = 0;
        double width = 0;
        double height = 0;
        for (var entry : byNode.entrySet()) {
            double x = 0;
            double y = 0;
            double rowHeight = 0;
            double w = 0;
            for (Part p : entry.getValue()) {
                if (x > 0 && x + p.width() > shelf) {
                    x = 0;
                    y += rowHeight + GAP_Y * 1.5;
                    rowHeight = 0;
                }
                if (out != null) {
                    for (Box b : p.boxes().values()) {
                        out.put(b.id(), new Box(b.id(), b.function(), b.rootBus(), b.x() + x + ox + pad,
                                b.y() + y + oy + pad + title, b.w(), b.h(), b.hiddenChildren()));
                    }
                }
                x += p.width() + GAP_X * 3;
                w = Math.max(w, x - GAP_X * 3);
                rowHeight = Math.max(rowHeight, p.height());
            }
            double gw = w + 2 * pad;
            double gh = y + rowHeight + 2 * pad + title;
            if (groups != null && framed) groups.add(new NumaGroup(entry.getKey(), ox, oy, gw, gh));
            width = Math.max(width, ox + gw);
            height = Math.max(height, oy + gh);
            if (sideBySide) ox += gw + GAP_X * 3;
            else oy += gh + GAP_Y;
        }
        return new double[] {width, height};
    }

    /// One root bus laid out on its own, before packing.
    private record Part(Map<String, Box> boxes, List<Edge> edges, double width, double height) { }

    /// A group for every switch upstream port that is laid out: its box and the boxes of its downstream ports.
    private List<SwitchGroup> switchGroups(Map<String, Box> all) {
        List<SwitchGroup> out = new ArrayList<>();
        for (PciFunction f : topology.functions()) {
            if (f.kind() != DeviceKind.SWITCH_UP) continue;
            Box up = all.get(f.address().toString());
            if (up == null) continue;
            double x0 = up.x();
            double x1 = up.x() + up.w();
            double y1 = up.y() + up.h();
            if (!collapsed.contains(f.address())) {
                for (PciFunction k : topology.children(f.address())) {
                    Box down = k.kind() == DeviceKind.SWITCH_DOWN ? all.get(k.address().toString()) : null;
                    if (down == null) continue;
                    x0 = Math.min(x0, down.x());
                    x1 = Math.max(x1, down.x() + down.w());
                    y1 = Math.max(y1, down.y() + down.h());
                }
            }
            out.add(new SwitchGroup(f.address(), x0 - GROUP_PAD, up.y() - GROUP_TITLE, x1 - x0 + 2 * GROUP_PAD,
                    y1 - up.y() + GROUP_TITLE + GROUP_PAD));
        }
        return List.copyOf(out);
    }

    private List<PciFunction> visible(List<PciFunction> fs) {
        if (showVfs) return fs;
        return fs.stream().filter(f -> f.kind() != DeviceKind.VF).toList();
    }

    /// Places `f` and its subtree; returns the centre x of `f`.
    private double place(PciFunction f, int depth) {
        double y = HOST_H + GAP_Y + (depth - 1) * (NODE_H + GAP_Y);
        maxY = Math.max(maxY, y + NODE_H);
        List<PciFunction> kids = visible(topology.children(f.address()));
        int hiddenVfs = showVfs ? 0 : vfCount.getOrDefault(f.address(), 0);
        double cx;
        if (kids.isEmpty() || collapsed.contains(f.address())) {
            cx = nextLeafX + NODE_W / 2;
            nextLeafX += NODE_W + GAP_X;
            boxes.put(f.address().toString(), new Box(f.address().toString(), f.address(), null, cx - NODE_W / 2, y,
                    NODE_W, NODE_H, collapsed.contains(f.address()) ? subtreeSize(f) : hiddenVfs));
            return cx;
        }
        List<Double> centres = new ArrayList<>();
        for (PciFunction k : kids) {
            centres.add(place(k, depth + 1));
            edges.add(new Edge(f.address().toString(), k.address().toString()));
        }
        cx = (centres.getFirst() + centres.getLast()) / 2;
        boxes.put(f.address().toString(), new Box(f.address().toString(), f.address(), null, cx - NODE_W / 2, y,
                NODE_W, NODE_H, hiddenVfs));
        return cx;
    }

    /// What a folded subtree holds, for its summary box: functions by class, p2pmem providers, ACS redirects.
    public record Summary(int functions, Map<String, Integer> byClass, int p2pmem, int redirects) {
        /// "12 functions: 8 GPU, 4 NIC · 2 p2pmem · 1 ACS redirect".
        public String text() {
            StringBuilder b = new StringBuilder(functions + (functions == 1 ? " function" : " functions"));
            if (!byClass.isEmpty()) {
                b.append(": ");
                b.append(String.join(", ", byClass.entrySet().stream()
                        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                        .map(e -> e.getValue() + " " + e.getKey()).toList()));
            }
            if (p2pmem > 0) b.append(" \u00b7 ").append(p2pmem).append(" p2pmem");
            if (redirects > 0) b.append(" \u00b7 ").append(redirects).append(" ACS redirect");
            return b.toString();
        }
    }

    /// The summary of everything below `bridge`.
    public static Summary summarize(Topology t, PciAddress bridge) {
        return summarizeFrom(t, t.children(bridge));
    }

    /// The summary of `tops` and everything below them: how many functions, how many by class (bridges aside),
    /// how many with p2pmem, how many that redirect by ACS.
    private static Summary summarizeFrom(Topology t, List<PciFunction> tops) {
        int functions = 0;
        int p2pmem = 0;
        int redirects = 0;
        Map<String, Integer> byClass = new java.util.LinkedHashMap<>();
        java.util.ArrayDeque<PciFunction> todo = new java.util.ArrayDeque<>(tops);
        while (!todo.isEmpty()) {
            PciFunction f = todo.pop();
            functions++;
            if (f.p2pmem() != null) p2pmem++;
            if (f.acs().redirects()) redirects++;
            if (!f.kind().isBridge()) byClass.merge(className(f), 1, Integer::sum);
            todo.addAll(t.children(f.address()));
        }
        return new Summary(functions, byClass, p2pmem, redirects);
    }

    /// A short class name for summaries (by the PCI class code's base class).
    public static String className(PciFunction f) {
        int cls = f.classCode() == null ? -1 : f.classCode() >> 8;
        if (cls == 0x0108 || "nvme".equals(f.driver())) return "NVMe";
        return switch (cls >> 8) {
            case 0x01 -> "storage";
            case 0x02 -> "NIC";
            case 0x03 -> "GPU";
            case 0x12 -> "accelerator";
            case 0x06 -> "bridge device";
            default -> f.kind() == DeviceKind.VF ? "VF" : "other";
        };
    }

    /// The bridges at `depth` (root ports are 1) and below, deepest first: what to fold, level by level, until a
    /// large tree fits its canvas at a readable size.
    public static List<java.util.Set<PciAddress>> foldLevels(Topology t) {
        Map<Integer, java.util.Set<PciAddress>> byDepth = new java.util.TreeMap<>();
        for (PciFunction f : t.functions()) {
            if (!f.kind().isBridge() || t.children(f.address()).isEmpty()) continue;
            int d = 0;
            for (PciFunction u = f; u != null; u = u.parent() == null ? null : t.function(u.parent()).orElse(null)) d++;
            byDepth.computeIfAbsent(d, k -> new java.util.HashSet<>()).add(f.address());
        }
        List<java.util.Set<PciAddress>> levels = new ArrayList<>();
        java.util.Set<PciAddress> acc = new java.util.HashSet<>();
        for (int d : byDepth.keySet().stream().sorted(java.util.Comparator.reverseOrder()).toList()) {
            acc.addAll(byDepth.get(d));
            levels.add(java.util.Set.copyOf(acc));
        }
        return levels;
    }

    /// Whether a layout of `t` with `collapsed` folded (VFs folded under their PF) is sure to be too large to be
    /// shown whole at `zoom` in a `w` x `h` view (fitted with 20 pixels around): its function boxes alone, each
    /// [#NODE_W] x [#NODE_H] and never overlapping, would need more room than the view has. A cheap count that lets
    /// the caller skip laying out a fold level that cannot fit; `false` says only that it might.
    public static boolean cannotFit(Topology t, Set<PciAddress> collapsed, double zoom, double w, double h) {
        double room = Math.max(0, w - 40) * Math.max(0, h - 40) / (zoom * zoom);
        long limit = (long) Math.floor(room / (NODE_W * NODE_H));
        long shown = 0;
        for (PciFunction f : t.functions()) {
            if (f.kind() == DeviceKind.HOST_BRIDGE || f.kind() == DeviceKind.VF) continue;
            boolean hidden = false;
            for (PciAddress up = f.parent(); up != null && !hidden; ) {
                hidden = collapsed.contains(up);
                up = t.function(up).map(PciFunction::parent).orElse(null);
            }
            if (!hidden && ++shown > limit) return true;
        }
        return false;
    }

    private int subtreeSize(PciFunction f) {
        int n = 0;
        for (PciFunction k : topology.children(f.address())) n += 1 + subtreeSize(k);
        return n;
    }
}
