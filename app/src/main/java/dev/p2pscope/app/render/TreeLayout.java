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

    public static final double NODE_W = 176, NODE_H = 54, GAP_X = 18, GAP_Y = 46, HOST_H = 34;
    /// The width:height the packed rows aim for (a typical canvas).
    static final double ASPECT = 1.3;

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

    /// The result.
    public record Layout(Map<String, Box> boxes, List<Edge> edges, List<SwitchGroup> switches, double width,
                         double height) {
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
    private final Map<String, Box> boxes = new HashMap<>();
    private final List<Edge> edges = new ArrayList<>();
    private double nextLeafX;
    private double maxY;

    private final Map<PciAddress, Integer> vfCount = new HashMap<>();

    private TreeLayout(Topology topology, Set<PciAddress> collapsed, boolean showVfs) {
        this.topology = topology;
        this.collapsed = collapsed;
        this.showVfs = showVfs;
        for (PciFunction f : topology.functions()) {
            if (f.kind() == DeviceKind.VF && f.physfn() != null) vfCount.merge(f.physfn(), 1, Integer::sum);
        }
    }

    public static Layout compute(Topology topology, Set<PciAddress> collapsed, boolean showVfs) {
        return new TreeLayout(topology, collapsed, showVfs).run();
    }

    /// Lays out each root bus's subtree on its own, then packs the subtrees into rows so that a many-rooted
    /// machine fills a screen-shaped area instead of one very wide strip.
    private Layout run() {
        record Part(Map<String, Box> boxes, List<Edge> edges, double width, double height) { }
        List<Part> parts = new ArrayList<>();
        for (BusAddress bus : topology.rootBuses()) {
            boxes.clear();
            edges.clear();
            nextLeafX = 0;
            maxY = HOST_H;
            List<PciFunction> members = visible(topology.rootBusFunctions(bus));
            List<Double> centres = new ArrayList<>();
            for (PciFunction f : members) centres.add(place(f, 1));
            double width = Math.max(NODE_W, nextLeafX - GAP_X);
            String id = "hb:" + bus;
            boxes.put(id, new Box(id, null, bus, 0, 0, width, HOST_H, 0));
            for (PciFunction f : members) edges.add(new Edge(id, f.address().toString()));
            parts.add(new Part(new HashMap<>(boxes), new ArrayList<>(edges), width, maxY));
        }
        double area = parts.stream().mapToDouble(p -> p.width() * p.height()).sum();
        double widest = parts.stream().mapToDouble(Part::width).max().orElse(NODE_W);
        double rowWidth = Math.max(widest, Math.sqrt(area * ASPECT));
        Map<String, Box> all = new HashMap<>();
        List<Edge> allEdges = new ArrayList<>();
        double x = 0;
        double y = 0;
        double rowHeight = 0;
        double width = 0;
        for (Part p : parts) {
            if (x > 0 && x + p.width() > rowWidth) {
                x = 0;
                y += rowHeight + GAP_Y * 1.5;
                rowHeight = 0;
            }
            for (Box b : p.boxes().values()) {
                all.put(b.id(), new Box(b.id(), b.function(), b.rootBus(), b.x() + x, b.y() + y, b.w(), b.h(),
                        b.hiddenChildren()));
            }
            allEdges.addAll(p.edges());
            x += p.width() + GAP_X * 3;
            width = Math.max(width, x - GAP_X * 3);
            rowHeight = Math.max(rowHeight, p.height());
        }
        return new Layout(Map.copyOf(all), List.copyOf(allEdges), switchGroups(all), Math.max(width, NODE_W),
                y + rowHeight);
    }

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

    private int subtreeSize(PciFunction f) {
        int n = 0;
        for (PciFunction k : topology.children(f.address())) n += 1 + subtreeSize(k);
        return n;
    }
}
