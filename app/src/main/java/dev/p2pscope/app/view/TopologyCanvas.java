package dev.p2pscope.app.view;

import dev.p2pscope.app.render.TreeLayout;
import dev.p2pscope.app.viewmodel.ExplorerViewModel;
import dev.p2pscope.core.engine.Hop;
import dev.p2pscope.core.engine.MapType;
import dev.p2pscope.core.engine.Verdict;
import dev.p2pscope.core.engine.VerdictMatrix;
import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.BusAddress;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;
import javafx.animation.Animation;
import javafx.animation.Interpolator;
import javafx.animation.KeyFrame;
import javafx.animation.KeyValue;
import javafx.animation.Timeline;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.css.PseudoClass;
import javafx.geometry.Point2D;
import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Line;
import javafx.scene.shape.Polyline;
import javafx.scene.shape.Rectangle;
import javafx.scene.text.Font;
import javafx.scene.text.Text;
import javafx.scene.transform.Scale;
import javafx.util.Duration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/// The topology drawn as a tree: host bridges on top, then root ports, switches and endpoints. State shows as CSS
/// pseudo-classes (provider, client, on-path, redirecting, changed, refused). Wheel or +/- zooms, drag pans,
/// double-click collapses a bridge. A verdict's path can be played as packets moving along it.
public final class TopologyCanvas extends Region {

    static final PseudoClass PROVIDER = PseudoClass.getPseudoClass("provider");
    static final PseudoClass CLIENT = PseudoClass.getPseudoClass("client");
    static final PseudoClass ON_PATH = PseudoClass.getPseudoClass("on-path");
    static final PseudoClass REDIRECT = PseudoClass.getPseudoClass("redirect");
    static final PseudoClass CHANGED = PseudoClass.getPseudoClass("changed");
    static final PseudoClass DIMMED = PseudoClass.getPseudoClass("dimmed");
    static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");
    static final PseudoClass P2PMEM = PseudoClass.getPseudoClass("p2pmem");

    private final ExplorerViewModel vm;
    private final Pane content = new Pane();
    private final Group edgesLayer = new Group();
    private final Group nodesLayer = new Group();
    private final Group overlay = new Group();
    private final Scale scale = new Scale(1, 1, 0, 0);
    private final Map<PciAddress, Region> nodes = new HashMap<>();
    private final Set<PciAddress> collapsed = new HashSet<>();
    private final ObjectProperty<Duration> hopDuration = new SimpleObjectProperty<>(Duration.millis(450));
    private final DoubleProperty playbackRate = new javafx.beans.property.SimpleDoubleProperty(1);
    private final DoubleProperty zoom = new SimpleDoubleProperty(1);
    private final IntegerProperty animationStep = new SimpleIntegerProperty(-1);
    private TreeLayout.Layout layout;
    /// Above this many boxes the tree is drawn immediately on a canvas (culled, with less detail when zoomed out)
    /// instead of as scene-graph nodes, so 10,000 functions stay fluid.
    static final int NODE_LIMIT = 1500;
    private static final Font LABEL_FONT = Font.font("Monospaced", 11);
    private final javafx.scene.canvas.Canvas big = new javafx.scene.canvas.Canvas();
    private boolean bigMode;
    private double tx;
    private double ty;
    private Timeline animation;
    private String filter = "";
    private double dragX;
    private double dragY;

    public TopologyCanvas(ExplorerViewModel vm) {
        this.vm = vm;
        getStyleClass().add("topology-canvas");
        content.getChildren().addAll(edgesLayer, nodesLayer, overlay);
        content.getTransforms().add(scale);
        getChildren().addAll(content, big);
        big.setVisible(false);
        big.widthProperty().bind(widthProperty());
        big.heightProperty().bind(heightProperty());
        big.widthProperty().addListener((o, a, b) -> draw());
        big.heightProperty().addListener((o, a, b) -> draw());
        big.setOnMouseClicked(e -> {
            if (!bigMode || !e.isStillSincePress()) return;
            PciAddress hit = hit((e.getX() - tx) / zoom.get(), (e.getY() - ty) / zoom.get());
            if (hit == null) return;
            if (e.isShiftDown()) vm.select(hit);
            else if (e.isControlDown() || e.isShortcutDown()) vm.addClient(hit);
            else vm.pick(hit);
        });
        Rectangle clip = new Rectangle();
        clip.widthProperty().bind(widthProperty());
        clip.heightProperty().bind(heightProperty());
        setClip(clip);
        scale.xProperty().bind(zoom);
        scale.yProperty().bind(zoom);
        setFocusTraversable(true);
        setOnScroll(e -> {
            if (e.getDeltaY() != 0) zoomBy(e.getDeltaY() > 0 ? 1.1 : 1 / 1.1, e.getX(), e.getY());
        });
        setOnMousePressed(e -> {
            dragX = e.getX() - translateX();
            dragY = e.getY() - translateY();
            requestFocus();
        });
        setOnMouseDragged(e -> setTranslate(e.getX() - dragX, e.getY() - dragY));
        vm.topologyProperty().addListener((o, a, b) -> rebuild());
        vm.verdictProperty().addListener((o, a, b) -> restyle());
        vm.selectedProperty().addListener((o, a, b) -> restyle());
        vm.changedPairs().addListener((javafx.collections.ListChangeListener<VerdictMatrix.PairChange>) c -> restyle());
    }

    /// How long a packet takes per hop; zero in tests, so the animation's end state is immediate.
    public ObjectProperty<Duration> hopDurationProperty() { return hopDuration; }
    public DoubleProperty zoomProperty() { return zoom; }
    /// Speed of the packets relative to the base hop duration; the Live tab drives it from the measured copy rate.
    public DoubleProperty playbackRateProperty() { return playbackRate; }
    /// Which step of the path the animation is at (-1 when not playing).
    public IntegerProperty animationStepProperty() { return animationStep; }
    public TreeLayout.Layout treeLayout() { return layout; }

    /// The node drawn for a function (for tests and exports).
    public Region nodeOf(PciAddress a) { return nodes.get(a); }

    private double translateX() {
        return bigMode ? tx : content.getTranslateX();
    }

    private double translateY() {
        return bigMode ? ty : content.getTranslateY();
    }

    private void setTranslate(double x, double y) {
        if (bigMode) {
            tx = x;
            ty = y;
            draw();
        } else {
            content.setTranslateX(x);
            content.setTranslateY(y);
        }
    }

    public void zoomBy(double factor, double pivotX, double pivotY) {
        double old = zoom.get();
        double z = Math.max(0.02, Math.min(4, old * factor));
        double x = translateX();
        double y = translateY();
        zoom.set(z);
        setTranslate(pivotX - (pivotX - x) * z / old, pivotY - (pivotY - y) * z / old);
    }

    /// Scales and centres the whole tree into the view.
    public void fit() {
        if (layout == null || getWidth() <= 0) return;
        double z = Math.min(1.5, Math.min((getWidth() - 40) / layout.width(), (getHeight() - 40) / layout.height()));
        zoom.set(Math.max(0.02, z));
        setTranslate((getWidth() - layout.width() * zoom.get()) / 2, 20);
    }

    public void panBy(double dx, double dy) {
        setTranslate(translateX() + dx, translateY() + dy);
    }

    /// Whether the tree is drawn on the canvas (large trees) rather than as nodes.
    public boolean bigMode() {
        return bigMode;
    }

    private PciAddress hit(double x, double y) {
        if (layout == null) return null;
        for (TreeLayout.Box b : layout.boxes().values()) {
            if (b.function() != null && x >= b.x() && x <= b.x() + b.w() && y >= b.y() && y <= b.y() + b.h()) {
                return b.function();
            }
        }
        return null;
    }

    /// Immediate drawing for large trees: only what is in view, and less of it when zoomed far out.
    void draw() {
        if (!bigMode || layout == null) return;
        var g = big.getGraphicsContext2D();
        double w = big.getWidth();
        double h = big.getHeight();
        g.setTransform(new javafx.scene.transform.Affine());
        g.setFill(Palette.BACKGROUND);
        g.fillRect(0, 0, w, h);
        double z = zoom.get();
        double vx = -tx / z;
        double vy = -ty / z;
        double vw = w / z;
        double vh = h / z;
        g.setTransform(z, 0, 0, z, tx, ty);
        g.setFill(Palette.SWITCH_FILL);
        g.setStroke(Palette.SWITCH_STROKE);
        g.setLineWidth(1 / Math.max(z, 0.2));
        for (TreeLayout.SwitchGroup s : layout.switches()) {
            if (s.x() + s.w() < vx || s.x() > vx + vw || s.y() + s.h() < vy || s.y() > vy + vh) continue;
            g.fillRect(s.x(), s.y(), s.w(), s.h());
            g.strokeRect(s.x(), s.y(), s.w(), s.h());
        }
        g.setStroke(Palette.EDGE);
        g.setLineWidth(1 / Math.max(z, 0.2));
        // All visible links as one path: one stroke call instead of one per link.
        g.beginPath();
        for (TreeLayout.Edge e : layout.edges()) {
            TreeLayout.Box a = layout.boxes().get(e.from());
            TreeLayout.Box b = layout.boxes().get(e.to());
            double minX = Math.min(a.centerX(), b.centerX());
            double maxX = Math.max(a.centerX(), b.centerX());
            if (maxX < vx || minX > vx + vw || b.y() < vy || a.y() + a.h() > vy + vh) continue;
            g.moveTo(a.centerX(), a.y() + a.h());
            g.lineTo(b.centerX(), b.y());
        }
        g.stroke();
        Verdict v = vm.verdictProperty().get();
        Set<PciAddress> path = v == null ? Set.of() : new HashSet<>(v.path());
        Topology t = vm.topology();
        boolean text = z >= 0.45;
        boolean outlines = z >= 0.2;
        g.setFont(LABEL_FONT);
        for (TreeLayout.Box b : layout.boxes().values()) {
            if (b.x() + b.w() < vx || b.x() > vx + vw || b.y() + b.h() < vy || b.y() > vy + vh) continue;
            PciFunction f = b.function() == null ? null : t.require(b.function());
            g.setFill(f == null ? Palette.ROOT_BUS_FILL : path.contains(f.address()) ? Palette.ON_PATH_FILL
                    : f.kind().isBridge() ? Palette.BRIDGE_FILL : Palette.FUNCTION_FILL);
            g.fillRect(b.x(), b.y(), b.w(), b.h());
            Color stroke = f == null ? Palette.ROOT_BUS_STROKE : f.address().equals(vm.providerProperty().get())
                    ? Palette.PROVIDER : vm.clients().contains(f.address()) ? Palette.CLIENT
                    : f.acs().redirects() ? Palette.REDIRECT : f.p2pmem() != null ? Palette.P2PMEM
                    : Palette.FUNCTION_STROKE;
            // Far out, a plain outline is under a pixel: only the outlines that carry meaning are drawn.
            if (outlines || stroke != Palette.FUNCTION_STROKE) {
                g.setStroke(stroke);
                g.strokeRect(b.x(), b.y(), b.w(), b.h());
            }
            if (text) {
                g.setFill(Palette.TEXT);
                g.fillText(f == null ? "root bus " + b.rootBus() : f.address() + "  " + f.kind().jsonName(),
                        b.x() + 6, b.y() + 16);
                if (f != null && z >= 0.8) g.fillText(f.displayName(), b.x() + 6, b.y() + 32, b.w() - 10);
            }
        }
        if (v != null) {
            List<Point2D> pts = route(v);
            g.setStroke(Palette.of(v.mapType()));
            g.setLineWidth(4 / Math.max(z, 0.2));
            for (int i = 1; i < pts.size(); i++) {
                g.strokeLine(pts.get(i - 1).getX(), pts.get(i - 1).getY(), pts.get(i).getX(), pts.get(i).getY());
            }
        }
    }

    /// Dims every function that does not match `text` (BDF, name, class, driver, kind).
    public void setFilter(String text) {
        filter = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        restyle();
    }

    public void toggleCollapsed(PciAddress a) {
        if (!collapsed.remove(a)) collapsed.add(a);
        rebuild();
    }

    private void rebuild() {
        stop();
        Topology t = vm.topology();
        edgesLayer.getChildren().clear();
        nodesLayer.getChildren().clear();
        nodes.clear();
        if (t == null) return;
        collapsed.removeIf(a -> !t.contains(a));
        layout = TreeLayout.compute(t, collapsed, false);
        bigMode = layout.boxes().size() > NODE_LIMIT;
        content.setVisible(!bigMode);
        big.setVisible(bigMode);
        if (bigMode) {
            if (getWidth() > 0) fit();
            draw();
            return;
        }
        for (TreeLayout.SwitchGroup g : layout.switches()) edgesLayer.getChildren().add(switchBox(t, g));
        for (TreeLayout.Edge e : layout.edges()) {
            TreeLayout.Box from = layout.boxes().get(e.from());
            TreeLayout.Box to = layout.boxes().get(e.to());
            Line l = new Line(from.centerX(), from.y() + from.h(), to.centerX(), to.y());
            l.getStyleClass().add("link");
            edgesLayer.getChildren().add(l);
            if (to.function() != null) {
                PciFunction f = t.require(to.function());
                if (f.link() != null && !f.link().label().isEmpty()) {
                    Text label = new Text(to.centerX() + 4, to.y() - 8, f.link().label());
                    label.getStyleClass().add("link-label");
                    if (f.link().downgraded()) {
                        label.getStyleClass().add("downgraded");
                        l.getStyleClass().add("downgraded");
                        label.setText(label.getText() + " \u2193");
                    }
                    edgesLayer.getChildren().add(label);
                }
            }
        }
        for (TreeLayout.Box b : layout.boxes().values()) {
            Region node = b.function() == null ? hostBox(t, b) : functionBox(t, b);
            node.setLayoutX(b.x());
            node.setLayoutY(b.y());
            node.setPrefSize(b.w(), b.h());
            node.setMinSize(b.w(), b.h());
            node.setMaxSize(b.w(), b.h());
            nodesLayer.getChildren().add(node);
        }
        content.setPrefSize(layout.width(), layout.height());
        restyle();
        if (getWidth() > 0) fit();
    }

    /// The enclosure that shows a switch's ports as one device, titled with the switch's name.
    private static Node switchBox(Topology t, TreeLayout.SwitchGroup g) {
        Rectangle r = new Rectangle(g.x(), g.y(), g.w(), g.h());
        r.setArcWidth(14);
        r.setArcHeight(14);
        r.getStyleClass().add("switch-group");
        Text title = new Text(g.x() + 8, g.y() + 11, switchTitle(t, g));
        title.getStyleClass().add("switch-title");
        Group group = new Group(r, title);
        group.setId("switch-" + g.upstream().toString().replace(':', '_').replace('.', '_'));
        return group;
    }

    static String switchTitle(Topology t, TreeLayout.SwitchGroup g) {
        PciFunction up = t.require(g.upstream());
        String name = up.displayName();
        // "Broadcom PEX 9765 upstream port" and the like: the switch is what the name says before the port.
        int cut = name.toLowerCase(Locale.ROOT).indexOf(" upstream");
        return "PCIe switch \u00b7 " + (cut > 0 ? name.substring(0, cut) : name);
    }

    private Region hostBox(Topology t, TreeLayout.Box b) {
        BusAddress bus = b.rootBus();
        String id = t.firstDeviceOnRootBus(bus).map(f -> f.id().toString()).orElse("no host device");
        Label l = new Label("Root bus " + bus + "  \u00b7  host bridge " + id);
        l.getStyleClass().add("host-label");
        StackPane p = new StackPane(l);
        p.getStyleClass().add("host-bridge");
        Integer numa = t.rootBusFunctions(bus).stream().map(PciFunction::numaNode).filter(n -> n != null && n >= 0)
                .findFirst().orElse(null);
        if (numa != null) p.getStyleClass().add("numa-" + (numa % 4));
        return p;
    }

    private Region functionBox(Topology t, TreeLayout.Box b) {
        PciFunction f = t.require(b.function());
        boolean oneDomain = t.functions().stream().allMatch(x -> x.address().domain() == 0);
        Label bdf = new Label(oneDomain ? f.address().toShortString() : f.address().toString());
        bdf.getStyleClass().add("bdf");
        bdf.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        Label kind = new Label(f.kind().jsonName().replace('_', ' '));
        kind.getStyleClass().add("kind");
        HBox top = new HBox(5, Icons.icon(Icons.nameFor(f)), bdf, kind);
        top.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        Label name = new Label(f.displayName());
        name.getStyleClass().add("name");
        VBox box = new VBox(2, top, name);
        List<String> badges = new ArrayList<>();
        if (f.p2pmem() != null) {
            badges.add("p2pmem " + size(f.p2pmem().size()) + (f.p2pmem().published() ? " published" : ""));
        }
        if (f.acs().redirects()) badges.add("ACS redirect");
        if (f.acs() instanceof Acs.Unknown) badges.add("ACS ?");
        if (b.hiddenChildren() > 0) badges.add("+" + b.hiddenChildren() + (f.kind().isBridge() ? " hidden" : " VFs"));
        if (!badges.isEmpty()) {
            Label badge = new Label(String.join(" \u00b7 ", badges));
            badge.getStyleClass().add("badge");
            box.getChildren().add(badge);
        }
        box.getStyleClass().addAll("pci-node", "kind-" + f.kind().jsonName());
        if (f.numaNode() != null && f.numaNode() >= 0) box.getStyleClass().add("numa-" + (f.numaNode() % 4));
        box.pseudoClassStateChanged(P2PMEM, f.p2pmem() != null);
        box.pseudoClassStateChanged(REDIRECT, f.acs().redirects());
        Tooltip.install(box, new Tooltip(tooltip(f)));
        box.setOnMouseClicked(e -> {
            if (e.getButton() != MouseButton.PRIMARY) return;
            if (e.getClickCount() == 2 && f.kind().isBridge()) {
                toggleCollapsed(f.address());
            } else if (e.isShiftDown()) {
                vm.select(f.address());
            } else if (e.isControlDown() || e.isShortcutDown()) {
                vm.addClient(f.address());
            } else {
                vm.pick(f.address());
            }
            e.consume();
        });
        box.setId("node-" + f.address().toString().replace(':', '_').replace('.', '_'));
        nodes.put(f.address(), box);
        return box;
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) return (bytes >> 30) + " GiB";
        if (bytes >= 1L << 20) return (bytes >> 20) + " MiB";
        return (bytes >> 10) + " KiB";
    }

    private static String tooltip(PciFunction f) {
        StringBuilder b = new StringBuilder(f.address() + "  " + f.id() + "\n" + f.displayName() + "\n" + f.kind());
        if (f.driver() != null) b.append("\ndriver ").append(f.driver());
        if (f.link() != null) b.append("\nlink ").append(f.link().label())
                .append(f.link().downgraded() ? " (below " + f.link().maxSpeed() + " x" + f.link().maxWidth() + ")" : "");
        switch (f.acs()) {
            case Acs.Present p -> b.append("\nACS Control ").append(Acs.hex(p.control())).append(" ")
                    .append(Acs.bitNames(p.control()));
            case Acs.Unknown u -> b.append("\nACS unknown (config space not readable)");
            case Acs.Absent a -> b.append("\nno ACS capability");
        }
        b.append("\nclick: provider, then client \u00b7 ctrl-click: add client \u00b7 shift-click: inspect");
        return b.toString();
    }

    private void restyle() {
        if (bigMode) {
            draw();
            return;
        }
        Verdict v = vm.verdictProperty().get();
        Set<PciAddress> path = v == null ? Set.of() : new HashSet<>(v.path());
        Set<PciAddress> changed = new HashSet<>();
        for (VerdictMatrix.PairChange c : vm.changedPairs()) {
            changed.add(c.provider());
            changed.add(c.client());
        }
        Topology t = vm.topology();
        for (var e : nodes.entrySet()) {
            Region n = e.getValue();
            PciAddress a = e.getKey();
            n.pseudoClassStateChanged(PROVIDER, a.equals(vm.providerProperty().get()));
            n.pseudoClassStateChanged(CLIENT, vm.clients().contains(a));
            n.pseudoClassStateChanged(ON_PATH, path.contains(a));
            n.pseudoClassStateChanged(CHANGED, changed.contains(a));
            n.pseudoClassStateChanged(SELECTED, a.equals(vm.selectedProperty().get()));
            n.pseudoClassStateChanged(DIMMED, !filter.isEmpty() && t != null && !matches(t.require(a)));
        }
        overlay.getChildren().clear();
        if (v != null && layout != null) drawRoute(v);
    }

    private boolean matches(PciFunction f) {
        String hay = (f.address() + " " + f.id() + " " + f.displayName() + " " + f.kind() + " "
                + (f.driver() == null ? "" : f.driver()) + " "
                + (f.classCode() == null ? "" : String.format("0x%06x", f.classCode()))).toLowerCase(Locale.ROOT);
        return hay.contains(filter);
    }

    /// The route a transfer takes, as points on the layout: [Verdict#route()] (decided in core), each function at
    /// its box and each host bridge at its root bus's box. For NOT_SUPPORTED it ends where the kernel refuses,
    /// marked with a cross.
    public List<Point2D> route(Verdict v) {
        return routePoints(layout, v);
    }

    /// [#route(Verdict)] on any layout (the SVG export draws the same points).
    static List<Point2D> routePoints(TreeLayout.Layout layout, Verdict v) {
        List<Point2D> pts = new ArrayList<>();
        for (Hop h : v.route()) {
            TreeLayout.Box b = h.role() == Hop.Role.HOST_BRIDGE ? layout.ofRootBus(h.rootBus()) : layout.of(h.function());
            if (b != null) pts.add(new Point2D(b.centerX(), b.centerY()));
        }
        return pts;
    }

    private void drawRoute(Verdict v) {
        List<Point2D> pts = route(v);
        Polyline line = new Polyline();
        for (Point2D p : pts) line.getPoints().addAll(p.getX(), p.getY());
        line.getStyleClass().addAll("route", "route-" + v.mapType().name().toLowerCase(Locale.ROOT));
        line.setMouseTransparent(true);
        overlay.getChildren().add(line);
        if (v.mapType() == MapType.NOT_SUPPORTED && !pts.isEmpty()) {
            Point2D end = pts.getLast();
            Text x = new Text(end.getX() - 9, end.getY() + 9, "\u2716");
            x.getStyleClass().add("refused-mark");
            x.setMouseTransparent(true);
            overlay.getChildren().add(x);
        }
    }

    /// Plays packets along the route (not started when the duration is zero: the end state is shown at once).
    public Animation play() {
        stop();
        Verdict v = vm.verdictProperty().get();
        if (v == null || layout == null) return null;
        List<Point2D> pts = route(v);
        if (pts.size() < 2) {
            animationStep.set(pts.size() - 1);
            return null;
        }
        Circle packet = new Circle(pts.getFirst().getX(), pts.getFirst().getY(), 7);
        packet.getStyleClass().addAll("packet", "packet-" + v.mapType().name().toLowerCase(Locale.ROOT));
        packet.setMouseTransparent(true);
        overlay.getChildren().add(packet);
        Timeline tl = new Timeline();
        double hop = hopDuration.get().toMillis();
        for (int i = 0; i < pts.size(); i++) {
            final int step = i;
            Duration at = Duration.millis(hop * i);
            tl.getKeyFrames().add(new KeyFrame(at, e -> animationStep.set(step),
                    new KeyValue(packet.centerXProperty(), pts.get(i).getX(), Interpolator.EASE_BOTH),
                    new KeyValue(packet.centerYProperty(), pts.get(i).getY(), Interpolator.EASE_BOTH)));
        }
        if (v.mapType() != MapType.NOT_SUPPORTED) tl.setCycleCount(hop > 0 ? Animation.INDEFINITE : 1);
        tl.rateProperty().bind(playbackRate);
        animation = tl;
        if (hop > 0) {
            tl.play();
        } else {
            packet.setCenterX(pts.getLast().getX());
            packet.setCenterY(pts.getLast().getY());
            animationStep.set(pts.size() - 1);
        }
        return tl;
    }

    /// Advances one hop (step-by-step teaching), from wherever the animation is.
    /// Keeps packets flowing along the current verdict's path at {@code rate} times the base speed
    /// (starts the animation when it is not playing).
    public void follow(double rate) {
        playbackRate.set(rate);
        if (animation == null || animation.getStatus() != Animation.Status.RUNNING) play();
    }

    public void step() {
        Verdict v = vm.verdictProperty().get();
        if (v == null || layout == null) return;
        int n = route(v).size();
        if (animation != null) animation.pause();
        animationStep.set((animationStep.get() + 1) % Math.max(1, n));
    }

    public void pause() {
        if (animation != null) animation.pause();
    }

    public void stop() {
        if (animation != null) animation.stop();
        animation = null;
        overlay.getChildren().removeIf(n -> n.getStyleClass().contains("packet"));
        animationStep.set(-1);
    }

    public Node content() {
        return content;
    }

    @Override
    protected void layoutChildren() {
        // Content is positioned by its translate/scale; nothing to lay out.
        content.resize(content.prefWidth(-1), content.prefHeight(-1));
    }
}
