package dev.p2pscope.app.view;

import dev.p2pscope.app.render.TreeLayout;
import dev.p2pscope.app.viewmodel.ExplorerViewModel;
import dev.p2pscope.core.engine.ManyResult;
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
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
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
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.scene.transform.Affine;
import javafx.scene.transform.Scale;
import javafx.util.Duration;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/// The topology drawn as a tree: host bridges on top, then root ports, switches and endpoints. State shows as CSS
/// pseudo-classes (provider, client, on-path, redirecting, changed, refused). Wheel or +/- zooms, drag pans,
/// double-click folds or opens a bridge. A verdict's route can be played as packets moving along it.
///
/// Readable at every size: no text is drawn smaller than [#MIN_TEXT] pixels on screen. Zoomed out, the boxes show
/// a coarser level of detail (the BDF and a short name in larger type), then none; a tree too large to read whole
/// opens with its deeper bridges folded into summary boxes (counts by class, p2pmem, ACS redirects) that a
/// double-click opens. Routes follow the tree's links, under the boxes, for every client.
public final class TopologyCanvas extends Region {

    static final PseudoClass PROVIDER = PseudoClass.getPseudoClass("provider");
    static final PseudoClass CLIENT = PseudoClass.getPseudoClass("client");
    static final PseudoClass ON_PATH = PseudoClass.getPseudoClass("on-path");
    /// On a route that goes up through the host bridge (THRU_HOST_BRIDGE), or that the kernel refuses: a box on such
    /// a route is not shaded like a bus-address route's.
    static final PseudoClass ON_HOST_PATH = PseudoClass.getPseudoClass("on-host-path");
    static final PseudoClass ON_REFUSED_PATH = PseudoClass.getPseudoClass("on-refused-path");
    static final PseudoClass REDIRECT = PseudoClass.getPseudoClass("redirect");
    static final PseudoClass CHANGED = PseudoClass.getPseudoClass("changed");
    static final PseudoClass DIMMED = PseudoClass.getPseudoClass("dimmed");
    static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");
    static final PseudoClass P2PMEM = PseudoClass.getPseudoClass("p2pmem");
    static final PseudoClass MATCH = PseudoClass.getPseudoClass("match");

    /// The smallest text, in pixels on screen, that the canvas draws; below it the view shows less, larger text.
    public static final double MIN_TEXT = 8;
    /// The smallest font of the full level of detail (kind, badges, link speeds, switch titles) and of the coarse
    /// level (a short name), in pixels at zoom 1.
    static final double FULL_FONT = 10;
    static final double COARSE_FONT = 16;
    /// The zoom from which the coarse level is readable: a tree opens folded until it can be fitted at least
    /// this large.
    public static final double READABLE_ZOOM = MIN_TEXT / COARSE_FONT;
    static final double FULL_ZOOM = MIN_TEXT / FULL_FONT;
    /// The tree pane at the default window size, for laying out before the canvas has a size.
    static final double DEFAULT_W = 900;
    static final double DEFAULT_H = 840;

    /// How much the boxes say at the current zoom.
    public enum Detail { FULL, COARSE, BOXES }

    /// A hop of a route: a function, or the crossing of a root bus's host bridge.
    public sealed interface Hop {
        record Function(PciAddress address) implements Hop { }

        record HostBridge(BusAddress rootBus) implements Hop { }
    }

    private final ExplorerViewModel vm;
    private final Pane content = new Pane();
    private final Group edgesLayer = new Group();
    private final Group routeLayer = new Group();
    private final Group nodesLayer = new Group();
    /// The moving packet: above the route, under the boxes, so it never covers a box's text (it is seen on the
    /// links between boxes). Its own layer, so that while it moves the tree's layers stay cached bitmaps.
    private final Group packetLayer = new Group();
    /// The boxes as plain rectangles, shown instead of [#nodesLayer] while the view moves.
    private final Group plainLayer = new Group();
    private final Group overlay = new Group();
    /// The provider's and clients' names where boxes carry no text (a far-apart pair zoomed to fit a large tree):
    /// one tag above each box, at a readable size on screen, so the selection is never a pair of blank boxes.
    private final Group tags = new Group();
    private final Scale scale = new Scale(1, 1, 0, 0);
    private final Map<PciAddress, Region> nodes = new HashMap<>();
    private final Set<PciAddress> collapsed = new HashSet<>();
    /// Root buses folded into one summary box each (the coarsest level of a very large tree).
    private final Set<BusAddress> foldedBuses = new HashSet<>();
    private final ObjectProperty<Duration> hopDuration = new SimpleObjectProperty<>(Duration.millis(450));
    private final DoubleProperty playbackRate = new SimpleDoubleProperty(1);
    private final DoubleProperty zoom = new SimpleDoubleProperty(1);
    private final IntegerProperty animationStep = new SimpleIntegerProperty(-1);
    private final ReadOnlyIntegerWrapper matchCount = new ReadOnlyIntegerWrapper(-1);
    private final ObjectProperty<Detail> detail = new SimpleObjectProperty<>(Detail.FULL);
    /// Text shown only at one level of detail, or at every level but the boxes-only one.
    private final List<Node> fullOnly = new ArrayList<>();
    private final List<Node> coarseOnly = new ArrayList<>();
    private final List<Node> anyText = new ArrayList<>();
    private TreeLayout.Layout layout;
    /// Above this many boxes the tree is drawn immediately on a canvas (culled, with less detail when zoomed out)
    /// instead of as scene-graph nodes, so 10,000 functions stay fluid.
    static final int NODE_LIMIT = 1500;
    private static final Font LABEL_FONT = Font.font("Monospaced", 11);
    private static final Font COARSE_LABEL_FONT = Font.font("Monospaced", FontWeight.BOLD, 18);
    private final Canvas big = new Canvas();
    private final Canvas minimap = new Canvas(200, 130);
    private final javafx.scene.layout.GridPane legend = new javafx.scene.layout.GridPane();
    private boolean bigMode;
    private double tx;
    private double ty;
    private Timeline animation;
    private String filter = "";
    private List<PciAddress> matches = List.of();
    private int matchIndex = -1;
    private double dragX;
    private double dragY;
    /// The loaded topology the automatic folding was chosen for (what-if edits keep it; a new load redoes it).
    private Topology foldedFor;
    private java.util.function.Consumer<PciAddress> onEditAcs = a -> { };
    /// The smallest text the big-tree painter drew in its last frame, in screen pixels.
    private double bigSmallestText = Double.POSITIVE_INFINITY;

    public TopologyCanvas(ExplorerViewModel vm) {
        this.vm = vm;
        getStyleClass().add("topology-canvas");
        content.getChildren().addAll(edgesLayer, routeLayer, packetLayer, nodesLayer, plainLayer, overlay, tags);
        tags.setMouseTransparent(true);
        plainLayer.setVisible(false);
        plainLayer.setMouseTransparent(true);
        packetLayer.setMouseTransparent(true);
        // The legend does not change while the view moves: one bitmap, not its text drawn glyph by glyph each frame.
        legend.setCache(true);
        content.getTransforms().add(scale);
        routeLayer.setMouseTransparent(true);
        buildLegend();
        minimap.getStyleClass().add("minimap");
        minimap.setOnMouseClicked(e -> centreOnMinimap(e.getX(), e.getY()));
        minimap.setOnMouseDragged(e -> centreOnMinimap(e.getX(), e.getY()));
        getChildren().addAll(content, big, legend, minimap);
        big.setVisible(false);
        big.widthProperty().bind(widthProperty());
        big.heightProperty().bind(heightProperty());
        big.widthProperty().addListener((o, a, b) -> draw());
        big.heightProperty().addListener((o, a, b) -> draw());
        big.setOnMouseClicked(e -> {
            if (!bigMode || !e.isStillSincePress()) return;
            PciAddress hit = hit((e.getX() - tx) / zoom.get(), (e.getY() - ty) / zoom.get());
            if (hit == null && e.getClickCount() == 2) {
                BusAddress bus = hitBus((e.getX() - tx) / zoom.get(), (e.getY() - ty) / zoom.get());
                if (bus != null) toggleBus(bus);
                return;
            }
            if (hit == null) return;
            if (e.getClickCount() == 2 && vm.topology().require(hit).kind().isBridge()) toggleCollapsed(hit);
            else if (e.isShiftDown()) vm.select(hit);
            else if (e.isControlDown() || e.isShortcutDown()) vm.addClient(hit);
            else vm.pick(hit);
        });
        Rectangle clip = new Rectangle();
        clip.widthProperty().bind(widthProperty());
        clip.heightProperty().bind(heightProperty());
        setClip(clip);
        scale.xProperty().bind(zoom);
        scale.yProperty().bind(zoom);
        zoom.addListener((o, a, b) -> applyDetail());
        content.translateXProperty().addListener((o, a, b) -> drawMinimap());
        content.translateYProperty().addListener((o, a, b) -> drawMinimap());
        setFocusTraversable(true);
        setOnScroll(e -> {
            if (e.getDeltaY() != 0) zoomBy(e.getDeltaY() > 0 ? 1.1 : 1 / 1.1, e.getX(), e.getY());
        });
        setOnMousePressed(e -> {
            dragX = e.getX() - translateX();
            dragY = e.getY() - translateY();
            requestFocus();
        });
        setOnMouseDragged(e -> {
            if (e.getTarget() == minimap) return;
            moving();
            setTranslate(e.getX() - dragX, e.getY() - dragY);
        });
        vm.topologyProperty().addListener((o, a, b) -> rebuild());
        vm.verdictProperty().addListener((o, a, b) -> restyle());
        vm.selectedProperty().addListener((o, a, b) -> restyle());
        vm.providerProperty().addListener((o, a, b) -> reveal(b == null ? List.of() : List.of(b)));
        vm.clients().addListener((ListChangeListener<PciAddress>) c -> reveal(List.copyOf(vm.clients())));
        vm.changedPairs().addListener((ListChangeListener<VerdictMatrix.PairChange>) c -> restyle());
        sceneProperty().addListener((o, a, s) -> {
            if (s != null) s.getStylesheets().addListener((ListChangeListener<String>) c -> {
                plainLayer.getChildren().clear();   // in the new theme's colours when the view next moves
                if (moving) paintPlain();
                draw();
            });
        });
    }

    /// How long a packet takes per hop; zero in tests, so the animation's end state is immediate.
    public ObjectProperty<Duration> hopDurationProperty() { return hopDuration; }
    public DoubleProperty zoomProperty() { return zoom; }
    /// Speed of the packets relative to the base hop duration; the Live tab drives it from the measured copy rate.
    public DoubleProperty playbackRateProperty() { return playbackRate; }
    /// Which step of the route the animation is at (-1 when not playing).
    public IntegerProperty animationStepProperty() { return animationStep; }
    public TreeLayout.Layout treeLayout() { return layout; }
    /// How many functions match the search (-1 when there is no search).
    public ReadOnlyIntegerProperty matchCountProperty() { return matchCount.getReadOnlyProperty(); }
    public ObjectProperty<Detail> detailProperty() { return detail; }
    /// The bridges folded into summary boxes.
    public Set<PciAddress> folded() { return Set.copyOf(collapsed); }
    /// The root buses folded into one box each.
    public Set<BusAddress> foldedBuses() { return Set.copyOf(foldedBuses); }

    /// What "Edit ACS…" in a function's context menu does (the What-if tab takes it, without touching the pair).
    public void setOnEditAcs(java.util.function.Consumer<PciAddress> action) {
        onEditAcs = action;
    }

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
            if (!tags.getChildren().isEmpty() || detail.get() == Detail.BOXES) updateTags();   // kept in view
        }
    }

    /// While the view moves (wheel zoom, drag, keys) on the software pipeline, the tree is drawn plainly: boxes as
    /// square solid fills in their route or kind colour, outlined only where the outline means something, no text
    /// (a layer of plain rectangles shown instead of the boxes: no style pass), the links and the route as they are. The software pipeline draws text glyph by glyph as paths and rounded, bordered boxes
    /// as anti-aliased shapes, which cost most of a frame; solid rectangles are spans of one colour. A moment after
    /// the last step the tree is drawn in full again. (Moving a picture of the last frame instead was measured and
    /// is slower there: the software pipeline draws an image of the view at about 25 ns a pixel.)
    private final javafx.animation.PauseTransition settle = new javafx.animation.PauseTransition(Duration.millis(200));
    private boolean moving;

    /// Only the software pipeline needs it: a GPU draws scaled text cheaply.
    private static final boolean SOFTWARE = String.valueOf(System.getProperty("prism.order")).startsWith("sw");

    private void moving() {
        if (bigMode || !SOFTWARE) return;
        if (!moving) {
            moving = true;
            if (plainLayer.getChildren().isEmpty()) paintPlain();
            nodesLayer.setVisible(false);
            plainLayer.setVisible(true);
            applyDetail();
        }
        settle.setOnFinished(e -> {
            moving = false;
            plainLayer.setVisible(false);
            nodesLayer.setVisible(true);
            applyDetail();
        });
        settle.playFromStart();
    }

    /// Whether the view is moving at the moment and drawn plainly (a probe for tests and the benchmark).
    public boolean movingPlainly() {
        return moving;
    }

    public void zoomBy(double factor, double pivotX, double pivotY) {
        moving();
        double old = zoom.get();
        double z = Math.max(0.02, Math.min(4, old * factor));
        double x = translateX();
        double y = translateY();
        zoom.set(z);
        setTranslate(pivotX - (pivotX - x) * z / old, pivotY - (pivotY - y) * z / old);
    }

    private double viewW() {
        return getWidth() > 0 ? getWidth() : DEFAULT_W;
    }

    private double viewH() {
        return (getHeight() > 0 ? getHeight() : DEFAULT_H) - legendReserve();
    }

    /// The height the legend takes at the bottom, which fitting leaves free.
    private double legendReserve() {
        return legend.isVisible() ? LEGEND_H : 0;
    }

    static final double LEGEND_H = 104;

    static double fitZoom(TreeLayout.Layout l, double w, double h) {
        return Math.min(2.5, Math.min((w - 40) / l.width(), (h - 40) / l.height()));
    }

    /// Scales and centres the whole tree into the view.
    public void fit() {
        if (layout == null || getWidth() <= 0) return;
        double h = getHeight() - legendReserve();
        zoom.set(Math.max(0.02, fitZoom(layout, getWidth(), h)));
        setTranslate((getWidth() - layout.width() * zoom.get()) / 2,
                Math.max(20, (h - layout.height() * zoom.get()) / 2));
        drawMinimap();
    }

    /// The first view of a topology: the whole tree, or when a pair is chosen and the whole tree would draw it
    /// too small to read, the pair.
    public void fitOrFocus() {
        fit();
        if (vm.verdictProperty().get() != null && zoom.get() < FULL_ZOOM * textScale) zoomToSelection();
    }

    /// Zooms to the provider, the clients and the routes between them (readable, as far as they fit).
    public void zoomToSelection() {
        if (layout == null) return;
        List<Point2D> pts = new ArrayList<>();
        for (Verdict v : verdicts()) pts.addAll(routeLine(v));
        List<PciAddress> chosen = new ArrayList<>(vm.clients());
        if (vm.providerProperty().get() != null) chosen.add(vm.providerProperty().get());
        for (PciAddress a : chosen) {
            TreeLayout.Box b = layout.of(a);
            if (b != null) {
                pts.add(new Point2D(b.x(), b.y()));
                pts.add(new Point2D(b.x() + b.w(), b.y() + b.h()));
            }
        }
        if (pts.isEmpty()) return;
        Bounds b = bounds(pts);
        double z = Math.min(1.2 * textScale, Math.min((getWidth() - 40) / b.getWidth(), (viewH() - 40) / b.getHeight()));
        if (z <= fitZoom(layout, getWidth(), viewH())) fit();   // the pair spans the tree: the whole tree
        else zoomTo(b, 1.2 * textScale);
    }

    /// Zooms so that `b` (layout coordinates) fills the view, at most to `maxZoom`, centred.
    void zoomTo(Bounds b, double maxZoom) {
        if (getWidth() <= 0) return;
        // A zoomed-in view shows the overview in the top-right corner: the band it stands in is left free, so it
        // never covers what was zoomed to (a refusal mark at the host bridge, say).
        double top = minimap.getHeight() + 16;
        double h = viewH() - top;
        double z = Math.min(maxZoom, Math.min((getWidth() - 40) / Math.max(1, b.getWidth()),
                (h - 40) / Math.max(1, b.getHeight())));
        z = Math.max(0.02, z);
        zoom.set(z);
        setTranslate(getWidth() / 2 - b.getCenterX() * z, top + h / 2 - b.getCenterY() * z);
        drawMinimap();
    }

    private static Bounds bounds(List<Point2D> pts) {
        double x0 = Double.MAX_VALUE, y0 = Double.MAX_VALUE, x1 = -Double.MAX_VALUE, y1 = -Double.MAX_VALUE;
        for (Point2D p : pts) {
            x0 = Math.min(x0, p.getX());
            y0 = Math.min(y0, p.getY());
            x1 = Math.max(x1, p.getX());
            y1 = Math.max(y1, p.getY());
        }
        return new BoundingBox(x0 - 20, y0 - 30, x1 - x0 + 40, y1 - y0 + 50);
    }

    /// The part of the tree in view, in layout coordinates.
    public Bounds viewport() {
        double z = zoom.get();
        return new BoundingBox(-translateX() / z, -translateY() / z, viewW() / z, (getHeight() > 0 ? getHeight() : DEFAULT_H) / z);
    }

    public void panBy(double dx, double dy) {
        moving();
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

    private BusAddress hitBus(double x, double y) {
        if (layout == null) return null;
        for (TreeLayout.Box b : layout.boxes().values()) {
            if (b.function() == null && x >= b.x() && x <= b.x() + b.w() && y >= b.y() && y <= b.y() + b.h()) {
                return b.rootBus();
            }
        }
        return null;
    }

    // ---- Level of detail -----------------------------------------------------------------------------------

    static Detail detailAt(double z) {
        return z >= FULL_ZOOM ? Detail.FULL : z >= READABLE_ZOOM ? Detail.COARSE : Detail.BOXES;
    }

    /// How many times [#MIN_TEXT] the smallest text must be: 1, or more in presentation mode (readable from the
    /// back of a classroom).
    private double textScale = 1;

    /// Presentation mode: larger type (every threshold scaled by `factor`), refitted.
    public void setTextScale(double factor) {
        textScale = Math.max(1, factor);
        Topology t = vm.topology();
        if (t != null) {
            foldedFor = null;   // fold again for the larger type
            rebuild();
        }
        applyDetail();
        fitOrFocus();
    }

    public double textScale() {
        return textScale;
    }

    private void applyDetail() {
        Detail d = detailAt(zoom.get() / textScale);
        detail.set(d);
        if (bigMode) return;
        boolean hide = moving;
        for (Node n : fullOnly) n.setVisible(!hide && d == Detail.FULL);
        for (Node n : coarseOnly) n.setVisible(!hide && d == Detail.COARSE);
        for (Node n : anyText) n.setVisible(!hide && d != Detail.BOXES);
        updateTags();
        drawMinimap();
    }

    /// The texts of the selection's tags shown now (a probe for tests).
    List<String> selectionTags() {
        return tags.getChildren().stream().map(n -> ((Label) n).getText()).toList();
    }

    /// Tags the provider and each client when the boxes show no text: their BDF and role at 1.25 times the
    /// smallest readable size on screen (scaled against the zoom), above the box. Not while the view moves.
    private void updateTags() {
        tags.getChildren().clear();
        if (bigMode || layout == null || moving || detail.get() != Detail.BOXES) return;
        double z = zoom.get();
        double size = MIN_TEXT * textScale * 1.25 / z;
        PciAddress p = vm.providerProperty().get();
        List<PciAddress> who = new ArrayList<>();
        if (p != null) who.add(p);
        for (PciAddress c : vm.clients()) if (!who.contains(c)) who.add(c);
        for (PciAddress a : who) {
            TreeLayout.Box b = layout.of(a);
            if (b == null) continue;
            boolean provider = a.equals(p);
            // The full BDF: e4:03.0 alone could be on any of a large host's PCI segments.
            Label tag = new Label(a + (provider ? "  provider" : "  client"));
            tag.getStyleClass().addAll("selection-tag", provider ? "provider-tag" : "client-tag");
            tag.setStyle(String.format(java.util.Locale.ROOT, "-fx-font-size: %.3fpx; -fx-padding: %.3fpx %.3fpx;",
                    size, size * 0.15, size * 0.4));
            // Kept inside the view on the right (a box at the edge would have its tag cut by the divider):
            // monospaced text is about 0.6 em a character, plus the padding.
            double width = tag.getText().length() * size * 0.62 + size * 0.8;
            Bounds view = viewport();
            double x = view == null ? b.x() : Math.max(view.getMinX(), Math.min(b.x(), view.getMaxX() - width));
            tag.relocate(x, b.y() - size * 1.7);
            tags.getChildren().add(tag);
        }
    }

    /// The smallest text drawn at the moment, in pixels on screen (a probe: tests check that nothing is drawn
    /// smaller than [#MIN_TEXT]); infinity when no text is drawn.
    public double smallestTextDrawn() {
        if (bigMode) return bigSmallestText;
        content.applyCss();
        content.layout();
        double[] min = {Double.POSITIVE_INFINITY};
        // The tree's own text (while the view moves, a picture of it is shown, scaled, until it settles).
        for (Node layer : content.getChildrenUnmodifiable()) smallest(layer, zoom.get(), min);
        return min[0];
    }

    private static void smallest(Node n, double z, double[] min) {
        if (!n.isVisible() || n.getOpacity() == 0) return;
        if (n instanceof Text t && !t.getText().isBlank()) {
            Bounds b = t.getBoundsInParent();
            if (b.getWidth() > 0) min[0] = Math.min(min[0], t.getFont().getSize() * z);
        }
        if (n instanceof Parent p) {
            for (Node c : p.getChildrenUnmodifiable()) smallest(c, z, min);
        }
    }

    /// Folds the deeper bridges of a tree too large to read whole, level by level from the bottom, until it fits
    /// the view at a readable size (or only root ports remain unfolded... and even they fold if need be).
    private void autoFold(Topology t) {
        collapsed.clear();
        foldedBuses.clear();
        double w = viewW();
        double h = viewH();
        double readable = READABLE_ZOOM * textScale;
        // A level whose boxes alone could not fit is not laid out at all: on a 10,000-function tree that is every
        // level, and laying each out cost most of the time between the load and the first frame.
        if (!TreeLayout.cannotFit(t, Set.of(), readable, w, h)
                && fitZoom(TreeLayout.compute(t, Set.of(), false, w / h), w, h) >= readable) {
            return;
        }
        for (Set<PciAddress> level : TreeLayout.foldLevels(t)) {
            collapsed.clear();
            collapsed.addAll(level);
            if (TreeLayout.cannotFit(t, collapsed, readable, w, h)) continue;
            if (fitZoom(TreeLayout.compute(t, collapsed, false, w / h), w, h) >= readable) return;
        }
        // Still too large: every root bus becomes one summary box.
        foldedBuses.addAll(t.rootBuses());
    }

    /// Opens or folds a whole root bus.
    public void toggleBus(BusAddress bus) {
        if (!foldedBuses.remove(bus)) foldedBuses.add(bus);
        rebuild();
        TreeLayout.Box b = layout == null ? null : layout.ofRootBus(bus);
        if (b != null && !foldedBuses.contains(bus)) {
            List<Point2D> pts = new ArrayList<>();
            pts.add(new Point2D(b.x(), b.y()));
            for (PciFunction f : vm.topology().rootBusFunctions(bus)) {
                TreeLayout.Box k = layout.of(f.address());
                if (k != null) pts.add(new Point2D(k.x() + k.w(), k.y() + k.h()));
            }
            zoomTo(bounds(pts), 1.0);
        }
    }

    /// Opens the folded bridges above these functions, so they are drawn.
    private void reveal(List<PciAddress> as) {
        Topology t = vm.topology();
        if (t == null) return;
        boolean changed = false;
        for (PciAddress a : as) {
            PciFunction f = t.function(a).orElse(null);
            if (f != null) changed |= foldedBuses.remove(t.rootBus(f));
            while (f != null && f.parent() != null) {
                changed |= collapsed.remove(f.parent());
                f = t.function(f.parent()).orElse(null);
            }
        }
        if (changed) rebuild();
        else restyle();
    }

    // ---- Search --------------------------------------------------------------------------------------------

    /// Dims every function that does not match `text` (BDF, name, class, driver, kind), counts the matches and
    /// zooms to the first.
    public void setFilter(String text) {
        search(text);
    }

    /// Searches; returns the number of matching functions (folded ones included) and zooms to the first.
    public int search(String text) {
        filter = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Topology t = vm.topology();
        if (filter.isEmpty() || t == null) {
            matches = List.of();
            matchCount.set(-1);
            matchIndex = -1;
            restyle();
            return 0;
        }
        List<PciAddress> m = new ArrayList<>();
        for (PciFunction f : t.functions()) {
            if (f.kind() != dev.p2pscope.core.model.DeviceKind.HOST_BRIDGE && matches(f)) m.add(f.address());
        }
        matches = m;
        matchCount.set(m.size());
        matchIndex = -1;
        if (m.isEmpty()) restyle();
        else nextMatch();
        return m.size();
    }

    /// Zooms to the next search match (opening folded bridges above it).
    public void nextMatch() {
        if (matches.isEmpty()) return;
        matchIndex = (matchIndex + 1) % matches.size();
        PciAddress a = matches.get(matchIndex);
        reveal(List.of(a));
        TreeLayout.Box b = layout == null ? null : layout.of(a);
        if (b != null) zoomTo(new BoundingBox(b.x() - 40, b.y() - 40, b.w() + 80, b.h() + 80), 1.2);
    }

    /// Which match the view is at (0-based), or -1.
    public int matchIndex() {
        return matchIndex;
    }

    private boolean matches(PciFunction f) {
        String hay = (f.address() + " " + f.id() + " " + f.displayName() + " " + f.kind() + " "
                + (f.driver() == null ? "" : f.driver()) + " "
                + (f.classCode() == null ? "" : String.format("0x%06x", f.classCode()))).toLowerCase(Locale.ROOT);
        return hay.contains(filter);
    }

    public void toggleCollapsed(PciAddress a) {
        if (!collapsed.remove(a)) collapsed.add(a);
        rebuild();
        TreeLayout.Box b = layout == null ? null : layout.of(a);
        if (b != null && !collapsed.contains(a)) {
            // Opened: show what came out of the box, readable.
            List<Point2D> pts = new ArrayList<>();
            pts.add(new Point2D(b.x(), b.y()));
            collectSubtree(a, pts);
            zoomTo(bounds(pts), 1.0);
        }
    }

    private void collectSubtree(PciAddress a, List<Point2D> pts) {
        for (PciFunction k : vm.topology().children(a)) {
            TreeLayout.Box b = layout.of(k.address());
            if (b == null) continue;
            pts.add(new Point2D(b.x() + b.w(), b.y() + b.h()));
            pts.add(new Point2D(b.x(), b.y()));
            collectSubtree(k.address(), pts);
        }
    }

    // ---- Building the nodes --------------------------------------------------------------------------------

    private void rebuild() {
        stop();
        Topology t = vm.topology();
        edgesLayer.getChildren().clear();
        nodesLayer.getChildren().clear();
        plainLayer.getChildren().clear();
        routeLayer.getChildren().clear();
        nodes.clear();
        fullOnly.clear();
        coarseOnly.clear();
        anyText.clear();
        if (t == null) return;
        Topology loaded = vm.baselineProperty().get();
        if (loaded != foldedFor) {
            foldedFor = loaded;
            autoFold(t);
            // The pair being studied stays drawn, whatever is folded around it.
            List<PciAddress> chosen = new ArrayList<>(vm.clients());
            if (vm.providerProperty().get() != null) chosen.add(vm.providerProperty().get());
            for (PciAddress a : chosen) {
                PciFunction f = t.function(a).orElse(null);
                if (f != null) foldedBuses.remove(t.rootBus(f));
                while (f != null && f.parent() != null) {
                    collapsed.remove(f.parent());
                    f = t.function(f.parent()).orElse(null);
                }
            }
        }
        collapsed.removeIf(a -> !t.contains(a));
        foldedBuses.retainAll(t.rootBuses());
        layout = TreeLayout.compute(t, collapsed, false, viewW() / viewH(), foldedBuses);
        bigMode = layout.boxes().size() > NODE_LIMIT;
        content.setVisible(!bigMode);
        big.setVisible(bigMode);
        if (bigMode) {
            if (getWidth() > 0) fit();
            draw();
            return;
        }
        for (TreeLayout.NumaGroup g : layout.numa()) {
            Rectangle r = new Rectangle(g.x(), g.y(), g.w(), g.h());
            r.setArcWidth(18);
            r.setArcHeight(18);
            r.getStyleClass().add("numa-group");
            Text title = new Text(g.x() + 10, g.y() + 15, g.node() < 0 ? "NUMA node unknown" : "NUMA node " + g.node());
            title.getStyleClass().add("numa-title");
            title.setStyle("-fx-font-size: 18px;");
            anyText.add(title);
            edgesLayer.getChildren().addAll(r, title);
        }
        Map<PciAddress, TreeLayout.SwitchGroup> switchOf = new HashMap<>();
        for (TreeLayout.SwitchGroup g : layout.switches()) {
            edgesLayer.getChildren().add(switchBox(t, g));
            switchOf.put(g.upstream(), g);
        }
        for (TreeLayout.Edge e : layout.edges()) {
            TreeLayout.Box from = layout.boxes().get(e.from());
            TreeLayout.Box to = layout.boxes().get(e.to());
            Polyline l = new Polyline(elbow(from, to));
            l.getStyleClass().add("link");
            edgesLayer.getChildren().add(l);
            if (to.function() != null) {
                PciFunction f = t.require(to.function());
                if (f.link() != null && !f.link().label().isEmpty()) {
                    // Into a switch's upstream port, the label stands above the switch's frame: beside the port
                    // it would strike through the switch's title.
                    TreeLayout.SwitchGroup sw = switchOf.get(f.address());
                    Text label = new Text(to.centerX() + 4, sw != null ? sw.y() - 4 : to.y() - 5, f.link().label());
                    label.getStyleClass().add("link-label");
                    if (f.link().downgraded()) {
                        label.getStyleClass().add("downgraded");
                        l.getStyleClass().add("downgraded");
                        label.setText(label.getText() + " \u2193 (can " + f.link().maxSpeed() + " x"
                                + f.link().maxWidth() + ")");
                    }
                    fullOnly.add(label);
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
        applyDetail();
        restyle();
        if (getWidth() > 0) fit();
    }

    /// A link drawn orthogonally, as the tree's links are: down from the parent, across, down into the child.
    static double[] elbow(TreeLayout.Box from, TreeLayout.Box to) {
        double mid = to.y() - TreeLayout.GAP_Y / 2;
        return new double[] {from.centerX(), from.y() + from.h(), from.centerX(), mid, to.centerX(), mid,
                to.centerX(), to.y()};
    }

    /// The enclosure that shows a switch's ports as one device, titled with the switch's name.
    private Node switchBox(Topology t, TreeLayout.SwitchGroup g) {
        Rectangle r = new Rectangle(g.x(), g.y(), g.w(), g.h());
        r.setArcWidth(14);
        r.setArcHeight(14);
        r.getStyleClass().add("switch-group");
        Text title = new Text(g.x() + 8, g.y() + 12, switchTitle(t, g));
        title.getStyleClass().add("switch-title");
        // A long name ends at the frame's edge instead of running over its neighbours.
        title.setClip(new Rectangle(g.x(), g.y(), g.w() - 6, TreeLayout.GROUP_TITLE));
        fullOnly.add(title);
        Group group = new Group(r, title);
        group.setId("switch-" + g.upstream().toString().replace(':', '_').replace('.', '_'));
        return group;
    }

    static String switchTitle(Topology t, TreeLayout.SwitchGroup g) {
        PciFunction up = t.require(g.upstream());
        String name = up.displayName();
        // "Broadcom PEX 9765 upstream port", "XIO3130 PCI Express Switch (Upstream)" and the like: the switch is
        // what the name says before the port.
        String lower = name.toLowerCase(Locale.ROOT);
        int cut = lower.indexOf(" upstream");
        int paren = lower.indexOf(" (upstream");
        if (paren > 0 && (cut < 0 || paren < cut)) cut = paren;
        return "PCIe switch \u00b7 " + (cut > 0 ? name.substring(0, cut) : name);
    }

    /// The host bridge's ID: what the allowlist decides on, so it is on every level of detail.
    static String hostId(Topology t, BusAddress bus) {
        return t.firstDeviceOnRootBus(bus).map(f -> f.id().toString()).orElse("none");
    }

    /// A folded subtree in few words, for the zoomed-out view: how many functions, and how many publish p2pmem.
    static String coarseSummary(TreeLayout.Summary s) {
        // Two short lines fit a zoomed-out box; the full breakdown (by class, ACS redirects) is drawn when zoomed in.
        return "\u25b8 " + s.functions() + " below" + (s.p2pmem() > 0 ? "\n" + s.p2pmem() + " with p2pmem" : "");
    }

    private Region hostBox(Topology t, TreeLayout.Box b) {
        BusAddress bus = b.rootBus();
        String id = hostId(t, bus);
        boolean folded = foldedBuses.contains(bus);
        TreeLayout.Summary summary = folded ? TreeLayout.summarize(t, bus) : null;
        Label busLabel = new Label("Root bus " + bus);
        busLabel.getStyleClass().add("host-label");
        Label idLabel = new Label("host bridge " + id);
        idLabel.getStyleClass().add("host-id");
        VBox full = new VBox(0, busLabel, idLabel);
        full.setAlignment(Pos.CENTER_LEFT);
        Label coarseBus = new Label("bus " + bus);
        coarseBus.getStyleClass().add("host-label");
        Label coarseId = new Label("host " + id);
        coarseId.getStyleClass().add("host-id");
        VBox coarse = new VBox(0, coarseBus, coarseId);
        if (folded) {
            Label s1 = new Label("\u25b8 " + summary.text());
            s1.getStyleClass().add("badge");
            s1.setWrapText(true);
            s1.setPrefWidth(b.w() - 14);
            full.getChildren().add(s1);
            Label s2 = new Label(coarseSummary(summary));
            s2.getStyleClass().add("coarse-name");
            s2.setWrapText(true);
            s2.setPrefWidth(b.w() - 14);
            coarse.getChildren().add(s2);
            full.setAlignment(Pos.TOP_LEFT);
            coarse.setAlignment(Pos.TOP_LEFT);
        }
        coarse.getStyleClass().add("coarse");
        coarse.setAlignment(Pos.CENTER_LEFT);
        fullOnly.add(full);
        coarseOnly.add(coarse);
        StackPane p = new StackPane(full, coarse);
        p.getStyleClass().add("host-bridge");
        if (folded) p.getStyleClass().add("folded");
        p.setId("hb-" + bus.toString().replace(':', '_'));
        p.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                toggleBus(bus);
                e.consume();
            }
        });
        Tooltip.install(p, new Tooltip("Root bus " + bus + "\nhost bridge " + id
                + (t.firstDeviceOnRootBus(bus).isPresent() ? "  " + t.firstDeviceOnRootBus(bus).get().displayName() : "")));
        int numa = TreeLayout.numaOf(t, bus);
        if (numa >= 0) p.getStyleClass().add("numa-" + (numa % 4));
        return p;
    }

    private Region functionBox(Topology t, TreeLayout.Box b) {
        PciFunction f = t.require(b.function());
        boolean oneDomain = t.functions().getFirst().address().domain() == 0
                && t.functions().stream().allMatch(x -> x.address().domain() == 0);
        String bdfText = oneDomain ? f.address().toShortString() : f.address().toString();
        Label bdf = new Label(bdfText);
        bdf.getStyleClass().add("bdf");
        bdf.setMinWidth(Region.USE_PREF_SIZE);
        Label kind = new Label(f.kind().jsonName().replace('_', ' '));
        kind.getStyleClass().add("kind");
        kind.setMinWidth(Region.USE_PREF_SIZE);
        Node icon = Icons.icon(Icons.nameFor(f));
        Group iconBox = new Group(icon);
        HBox top = new HBox(4, iconBox, bdf, kind);
        top.setAlignment(Pos.CENTER_LEFT);
        boolean folded = collapsed.contains(f.address());
        TreeLayout.Summary summary = folded ? TreeLayout.summarize(t, f.address()) : null;
        Label name = new Label(f.displayName());
        name.getStyleClass().add("name");
        name.setWrapText(!folded);
        name.setMaxHeight(folded ? 16 : 30);
        VBox full = new VBox(1, top, name);
        List<String> badges = new ArrayList<>();
        if (f.p2pmem() != null) {
            badges.add("p2pmem " + size(f.p2pmem().size()) + (f.p2pmem().published() ? " published" : ""));
        }
        if (f.acs().redirects()) badges.add("ACS redirect");
        if (f.acs() instanceof Acs.Unknown) badges.add("ACS ?");
        if (folded) badges.add("\u25b8 " + summary.text());
        else if (b.hiddenChildren() > 0) badges.add("+" + b.hiddenChildren() + " VFs");
        if (!badges.isEmpty()) {
            Label badge = new Label(String.join(" \u00b7 ", badges));
            badge.getStyleClass().add("badge");
            badge.setWrapText(folded);
            full.getChildren().add(badge);
        }
        Label coarseBdf = new Label(oneDomain ? bdfText : f.address().toShortString());
        coarseBdf.getStyleClass().add("coarse-bdf");
        Label coarseName = new Label(folded ? coarseSummary(summary)
                : f.displayName());   // the name, always: p2pmem shows as the box's purple border
        coarseName.getStyleClass().add("coarse-name");
        coarseName.setWrapText(true);
        double inner = b.w() - 16;
        for (Label l : List.of(coarseName, name)) {
            l.setPrefWidth(inner);
            l.setMaxWidth(inner);
        }
        VBox coarse = new VBox(0, coarseBdf, coarseName);
        fullOnly.add(full);
        coarseOnly.add(coarse);
        StackPane box = new StackPane(full, coarse);
        StackPane.setAlignment(full, Pos.TOP_LEFT);
        StackPane.setAlignment(coarse, Pos.TOP_LEFT);
        box.getStyleClass().addAll("pci-node", "kind-" + f.kind().jsonName());
        if (folded) box.getStyleClass().add("folded");
        if (f.numaNode() != null && f.numaNode() >= 0) box.getStyleClass().add("numa-" + (f.numaNode() % 4));
        box.pseudoClassStateChanged(P2PMEM, f.p2pmem() != null);
        box.pseudoClassStateChanged(REDIRECT, f.acs().redirects());
        Tooltip.install(box, new Tooltip(tooltip(f) + (folded ? "\nfolded: " + summary.text()
                + " (double-click opens)" : "")));
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
        box.setOnContextMenuRequested(e -> {
            javafx.scene.control.MenuItem edit = new javafx.scene.control.MenuItem("Edit ACS of " + f.address() + "\u2026");
            edit.setOnAction(x -> onEditAcs.accept(f.address()));
            javafx.scene.control.MenuItem inspect = new javafx.scene.control.MenuItem("Inspect");
            inspect.setOnAction(x -> vm.select(f.address()));
            javafx.scene.control.MenuItem client = new javafx.scene.control.MenuItem("Add as a client");
            client.setOnAction(x -> vm.addClient(f.address()));
            new javafx.scene.control.ContextMenu(edit, inspect, client).show(box, e.getScreenX(), e.getScreenY());
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

    // ---- State and routes ----------------------------------------------------------------------------------

    /// The verdicts to draw: one per client (`distance_many`), or the pair's.
    List<Verdict> verdicts() {
        Verdict v = vm.verdictProperty().get();
        if (v == null) return List.of();
        List<Verdict> out = new ArrayList<>(vm.distanceMany().map(ManyResult::verdicts).orElse(List.of()));
        if (out.stream().noneMatch(x -> x.client().equals(v.client()))) out.add(v);
        return out;
    }

    private void restyle() {
        if (bigMode) {
            draw();
            return;
        }
        List<Verdict> vs = verdicts();
        java.util.Map<PciAddress, MapType> path = onRoute(vs);
        // The functions at either end of a changed pair, read from core's bits: an allowlist edit at 4,096
        // endpoints changes 17.7 million pairs, which must not be made one by one here.
        Set<PciAddress> changed = vm.changes().ends();
        Topology t = vm.topology();
        Set<PciAddress> matched = new HashSet<>(matches);
        for (var e : nodes.entrySet()) {
            Region n = e.getValue();
            PciAddress a = e.getKey();
            n.pseudoClassStateChanged(PROVIDER, a.equals(vm.providerProperty().get()));
            n.pseudoClassStateChanged(CLIENT, vm.clients().contains(a));
            n.pseudoClassStateChanged(ON_PATH, path.get(a) == MapType.BUS_ADDR);
            n.pseudoClassStateChanged(ON_HOST_PATH, path.get(a) == MapType.THRU_HOST_BRIDGE);
            n.pseudoClassStateChanged(ON_REFUSED_PATH, path.get(a) == MapType.NOT_SUPPORTED);
            n.pseudoClassStateChanged(CHANGED, changed.contains(a));
            n.pseudoClassStateChanged(SELECTED, a.equals(vm.selectedProperty().get()));
            n.pseudoClassStateChanged(MATCH, matched.contains(a));
            n.pseudoClassStateChanged(DIMMED, !filter.isEmpty() && t != null && !matched.contains(a)
                    && !matchesBelow(t, a, matched));
        }
        routeLayer.getChildren().clear();
        packetLayer.getChildren().clear();
        overlay.getChildren().clear();
        if (layout != null) for (Verdict v : vs) drawRoute(v);
        if (moving) paintPlain();
        else plainLayer.getChildren().clear();   // painted afresh when the view next moves
        updateTags();
        drawMinimap();
    }

    /// A folded box stays lit when a match is inside it.
    private boolean matchesBelow(Topology t, PciAddress a, Set<PciAddress> matched) {
        if (!collapsed.contains(a) || matched.isEmpty()) return false;
        for (PciAddress m : matched) {
            for (PciFunction f = t.function(m).orElse(null); f != null && f.parent() != null;
                 f = t.function(f.parent()).orElse(null)) {
                if (f.parent().equals(a)) return true;
            }
        }
        return false;
    }

    /// The functions on the selection's routes, each with the map type of its route (a refused or host-bridge
    /// route wins over a bus-address one where routes share a box), so boxes are shaded as the route is drawn.
    private java.util.Map<PciAddress, MapType> onRoute(List<Verdict> vs) {
        java.util.Map<PciAddress, MapType> on = new java.util.HashMap<>();
        for (Verdict v : vs) {
            for (Hop h : routeHops(v)) {
                if (h instanceof Hop.Function(PciAddress a)) {
                    on.merge(a, v.mapType(), (x, y) -> rank(x) >= rank(y) ? x : y);
                }
            }
        }
        return on;
    }

    private static int rank(MapType m) {
        return m == MapType.NOT_SUPPORTED ? 2 : m == MapType.THRU_HOST_BRIDGE ? 1 : 0;
    }

    /// The hops of a verdict's route, in the order the data crosses them: through the common bridge for
    /// BUS_ADDR; otherwise up the provider's chain to its host bridge, across to the client's host bridge and
    /// down; for NOT_SUPPORTED it ends at the provider's host bridge, where the kernel refuses. The one place the
    /// canvas learns a route from: [Verdict#route()], decided in core, mapped to what the canvas draws.
    public List<Hop> routeHops(Verdict v) {
        List<Hop> hops = new ArrayList<>();
        for (dev.p2pscope.core.engine.Hop h : v.route()) {
            hops.add(h.role() == dev.p2pscope.core.engine.Hop.Role.HOST_BRIDGE ? new Hop.HostBridge(h.rootBus())
                    : new Hop.Function(h.function()));
        }
        return hops;
    }

    private TreeLayout.Box boxOf(Hop h) {
        return switch (h) {
            case Hop.Function(PciAddress a) -> layout.of(a);
            case Hop.HostBridge(BusAddress b) -> layout.ofRootBus(b);
        };
    }

    /// One point per hop that is drawn (the centre of its box): the packet's stops.
    public List<Point2D> route(Verdict v) {
        List<Point2D> pts = new ArrayList<>();
        if (layout == null) return pts;
        for (Hop h : routeHops(v)) {
            TreeLayout.Box b = boxOf(h);
            if (b != null) pts.add(new Point2D(b.centerX(), b.centerY()));
        }
        return pts;
    }

    /// The route as drawn: along the tree's links, orthogonal, from box centre to box centre (under the boxes),
    /// and between two host bridges around the tree's left edge, as the traffic leaves one root complex for another.
    public List<Point2D> routeLine(Verdict v) {
        List<List<Point2D>> legs = routeLegs(v);
        List<Point2D> pts = new ArrayList<>();
        for (List<Point2D> leg : legs) {
            for (Point2D p : leg) if (pts.isEmpty() || !pts.getLast().equals(p)) pts.add(p);
        }
        return pts;
    }

    /// The route in legs: leg i goes from hop i to hop i + 1 (hops not drawn are skipped).
    private List<List<Point2D>> routeLegs(Verdict v) {
        List<List<Point2D>> legs = new ArrayList<>();
        if (layout == null) return legs;
        List<TreeLayout.Box> boxes = new ArrayList<>();
        for (Hop h : routeHops(v)) {
            TreeLayout.Box b = boxOf(h);
            if (b != null) boxes.add(b);
        }
        for (int i = 1; i < boxes.size(); i++) {
            TreeLayout.Box a = boxes.get(i - 1);
            TreeLayout.Box b = boxes.get(i);
            List<Point2D> leg = new ArrayList<>();
            leg.add(new Point2D(a.centerX(), a.centerY()));
            if (a.function() == null && b.function() == null) {
                // Host bridge to host bridge: just above the first root bus's bar, then in a gutter no box stands
                // in, then just above the second's bar. Bars of one shelf row share their top, so the stretches
                // above them cross nothing. The gutter is the gap between two columns (NUMA groups) when the
                // buses sit side by side, else the drawing's left edge.
                double ya = a.y() - 10;
                double yb = b.y() - 10;
                leg.add(new Point2D(a.centerX(), ya));
                if (Math.abs(ya - yb) > 1) {
                    boolean apart = a.x() + a.w() < b.x() || b.x() + b.w() < a.x();
                    double gutter = apart ? Math.max(a.x(), b.x()) - TreeLayout.GAP_X / 2
                            : Math.min(Math.min(a.x(), b.x()) - TreeLayout.GAP_X, -TreeLayout.GAP_X / 2);
                    leg.add(new Point2D(gutter, ya));
                    leg.add(new Point2D(gutter, yb));
                }
                leg.add(new Point2D(b.centerX(), yb));
            } else {
                boolean down = b.y() > a.y();
                TreeLayout.Box child = down ? b : a;
                double mid = child.y() - TreeLayout.GAP_Y / 2;
                leg.add(new Point2D(a.centerX(), mid));
                leg.add(new Point2D(b.centerX(), mid));
            }
            leg.add(new Point2D(b.centerX(), b.centerY()));
            legs.add(leg);
        }
        return legs;
    }

    private void drawRoute(Verdict v) {
        List<Point2D> pts = routeLine(v);
        Polyline line = new Polyline();
        for (Point2D p : pts) line.getPoints().addAll(p.getX(), p.getY());
        line.getStyleClass().addAll("route", "route-" + v.mapType().name().toLowerCase(Locale.ROOT));
        line.setMouseTransparent(true);
        routeLayer.getChildren().add(line);
        if (v.mapType() == MapType.NOT_SUPPORTED && !pts.isEmpty()) {
            Point2D end = pts.getLast();
            Text x = new Text(end.getX() + 4, end.getY() - 10, "\u2716");
            x.getStyleClass().add("refused-mark");
            x.setMouseTransparent(true);
            overlay.getChildren().add(x);
        }
    }

    /// What the SVG export draws: this layout, the verdict's route as drawn here, the theme's colours.
    SvgExport.Drawing drawing() {
        Verdict v = vm.verdictProperty().get();
        Set<PciAddress> on = new HashSet<>();
        if (v != null) for (Hop h : routeHops(v)) if (h instanceof Hop.Function(PciAddress a)) on.add(a);
        return new SvgExport.Drawing(vm.topology(), layout, v, v == null ? List.of() : routeLine(v), on,
                Palette.of(this));
    }

    // ---- Animation -----------------------------------------------------------------------------------------

    /// Plays packets along the route (not started when the duration is zero: the end state is shown at once).
    public Animation play() {
        stop();
        Verdict v = vm.verdictProperty().get();
        if (v == null || layout == null) return null;
        List<Point2D> stops = route(v);
        List<List<Point2D>> legs = routeLegs(v);
        if (stops.size() < 2) {
            animationStep.set(stops.size() - 1);
            return null;
        }
        Circle packet = new Circle(stops.getFirst().getX(), stops.getFirst().getY(), 7);
        packet.getStyleClass().addAll("packet", "packet-" + v.mapType().name().toLowerCase(Locale.ROOT));
        packet.setMouseTransparent(true);
        packetLayer.getChildren().add(packet);
        Timeline tl = new Timeline();
        double hop = hopDuration.get().toMillis();
        tl.getKeyFrames().add(new KeyFrame(Duration.ZERO, e -> animationStep.set(0),
                new KeyValue(packet.centerXProperty(), stops.getFirst().getX()),
                new KeyValue(packet.centerYProperty(), stops.getFirst().getY())));
        for (int i = 0; i < legs.size(); i++) {
            final int step = i + 1;
            List<Point2D> leg = legs.get(i);
            for (int k = 1; k < leg.size(); k++) {
                Duration at = Duration.millis(hop * (i + (double) k / (leg.size() - 1)));
                Point2D p = leg.get(k);
                boolean last = k == leg.size() - 1;
                tl.getKeyFrames().add(new KeyFrame(at, last ? e -> animationStep.set(step) : e -> { },
                        new KeyValue(packet.centerXProperty(), p.getX(), Interpolator.LINEAR),
                        new KeyValue(packet.centerYProperty(), p.getY(), Interpolator.LINEAR)));
            }
        }
        if (v.mapType() != MapType.NOT_SUPPORTED) tl.setCycleCount(hop > 0 ? Animation.INDEFINITE : 1);
        tl.rateProperty().bind(playbackRate);
        animation = tl;
        if (hop > 0) {
            tl.play();
        } else {
            packet.setCenterX(stops.getLast().getX());
            packet.setCenterY(stops.getLast().getY());
            animationStep.set(stops.size() - 1);
        }
        return tl;
    }

    /// Keeps packets flowing along the current verdict's path at {@code rate} times the base speed
    /// (starts the animation when it is not playing).
    public void follow(double rate) {
        playbackRate.set(rate);
        if (animation == null || animation.getStatus() != Animation.Status.RUNNING) play();
    }

    /// Advances one hop (step-by-step teaching), from wherever the animation is.
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
        packetLayer.getChildren().clear();
        animationStep.set(-1);
    }

    public Node content() {
        return content;
    }

    // ---- Legend and minimap --------------------------------------------------------------------------------

    private void buildLegend() {
        legend.getStyleClass().add("canvas-legend");
        legend.setMouseTransparent(true);
        legend.setId("canvas-legend");
        legend.setHgap(14);
        legend.setVgap(2);
        legend.addColumn(0, legendLine("route route-bus_addr", "route: bus addresses via a shared switch"),
                legendLine("route route-thru_host_bridge", "route: up through the host bridge(s)"),
                legendLine("route route-not_supported", "route: refused (\u2716 where it stops)"),
                legendLine("link", "PCIe link"),
                legendLine("link downgraded", "link trained below its maximum (\u2193)"));
        legend.addColumn(1, legendBox("legend-provider", "provider"), legendBox("legend-client", "client"),
                legendBox("legend-p2pmem", "has p2pmem (CMB/BAR memory)"),
                legendBox("legend-redirect", "ACS redirect is on"),
                legendBox("legend-changed", "verdict changed by a what-if edit"),
                legendBox("legend-folded", "\u25b8 folded subtree: double-click opens"));
        legend.addColumn(2, legendBox("legend-on-path", "box on a bus-address route"),
                legendBox("legend-on-host-path", "box on a route through the host bridge"),
                legendBox("legend-on-refused-path", "box on a refused route"),
                legendBox("legend-numa", "tint: NUMA node 1 (others: their own tints)"));
    }

    private static HBox legendLine(String classes, String text) {
        Line l = new Line(0, 0, 26, 0);
        l.getStyleClass().addAll(classes.split(" "));
        l.setStyle("-fx-opacity: 1;");
        Text t = new Text(text);
        t.getStyleClass().add("legend-text");
        HBox row = new HBox(6, l, t);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    private static HBox legendBox(String cls, String text) {
        Rectangle r = new Rectangle(24, 11);
        r.setArcWidth(4);
        r.setArcHeight(4);
        r.getStyleClass().addAll("legend-swatch", cls);
        Text t = new Text(text);
        t.getStyleClass().add("legend-text");
        HBox row = new HBox(6, r, t);
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    /// Shows or hides the legend (key L).
    public void toggleLegend() {
        legend.setVisible(!legend.isVisible());
        fit();
    }

    public boolean legendShown() {
        return legend.isVisible();
    }

    private double minimapScale() {
        if (layout == null) return 1;
        return Math.min((minimap.getWidth() - 8) / layout.width(), (minimap.getHeight() - 8) / layout.height());
    }

    private void centreOnMinimap(double mx, double my) {
        if (layout == null) return;
        double s = minimapScale();
        double lx = (mx - 4) / s;
        double ly = (my - 4) / s;
        double z = zoom.get();
        setTranslate(getWidth() / 2 - lx * z, getHeight() / 2 - ly * z);
        drawMinimap();
    }

    /// The overview in the corner: the whole tree small, the part in view outlined. Shown only when the view
    /// does not show the whole tree.
    private void drawMinimap() {
        if (layout == null || getWidth() <= 0) {
            minimap.setVisible(false);
            return;
        }
        Bounds v = viewport();
        boolean whole = v.getMinX() <= 0 && v.getMinY() <= 0 && v.getMaxX() >= layout.width()
                && v.getMaxY() >= layout.height();
        minimap.setVisible(!whole);
        if (whole) return;
        Palette pal = Palette.of(this);
        GraphicsContext g = minimap.getGraphicsContext2D();
        double s = minimapScale();
        g.setTransform(new Affine());
        g.setFill(pal.get(Palette.Key.BG));
        g.fillRect(0, 0, minimap.getWidth(), minimap.getHeight());
        g.setTransform(s, 0, 0, s, 4, 4);
        int n = 0;
        for (TreeLayout.Box b : layout.boxes().values()) {
            if (n++ > 5000 && b.function() != null) continue;
            g.setFill(b.function() == null ? pal.get(Palette.Key.ROOT_BUS_STROKE) : pal.get(Palette.Key.BORDER));
            g.fillRect(b.x(), b.y(), Math.max(b.w(), 1 / s), Math.max(b.h(), 1 / s));
        }
        g.setStroke(pal.get(Palette.Key.ACCENT));
        g.setLineWidth(2 / s);
        g.strokeRect(v.getMinX(), v.getMinY(), v.getWidth(), v.getHeight());
        // Its own frame (drawn, not a CSS effect: a shadow would be recomputed on every frame the view moves).
        g.setTransform(new Affine());
        g.setStroke(pal.get(Palette.Key.BORDER));
        g.setLineWidth(1);
        g.strokeRect(0.5, 0.5, minimap.getWidth() - 1, minimap.getHeight() - 1);
    }

    // ---- Immediate drawing (large trees) -------------------------------------------------------------------

    /// Immediate drawing for large trees: only what is in view, and only text that is readable at this zoom
    /// (the full labels, then the BDF alone in larger type, then none).
    void draw() {
        if (!bigMode || layout == null) return;
        Palette pal = Palette.of(this);
        GraphicsContext g = big.getGraphicsContext2D();
        double w = big.getWidth();
        double h = big.getHeight();
        g.setTransform(new Affine());
        g.setFill(pal.get(Palette.Key.BG));
        g.fillRect(0, 0, w, h);
        double z = zoom.get();
        double vx = -tx / z;
        double vy = -ty / z;
        double vw = w / z;
        double vh = h / z;
        double smallest = Double.POSITIVE_INFINITY;
        g.setTransform(z, 0, 0, z, tx, ty);
        g.setFill(pal.get(Palette.Key.SWITCH_FILL));
        g.setStroke(pal.get(Palette.Key.SWITCH_STROKE));
        g.setLineWidth(1 / Math.max(z, 0.2));
        for (TreeLayout.SwitchGroup s : layout.switches()) {
            if (s.x() + s.w() < vx || s.x() > vx + vw || s.y() + s.h() < vy || s.y() > vy + vh) continue;
            g.fillRect(s.x(), s.y(), s.w(), s.h());
            g.strokeRect(s.x(), s.y(), s.w(), s.h());
        }
        g.setStroke(pal.get(Palette.Key.EDGE));
        g.setLineWidth(1 / Math.max(z, 0.2));
        // All visible links as one path: one stroke call instead of one per link.
        g.beginPath();
        for (TreeLayout.Edge e : layout.edges()) {
            TreeLayout.Box a = layout.boxes().get(e.from());
            TreeLayout.Box b = layout.boxes().get(e.to());
            double minX = Math.min(a.centerX(), b.centerX());
            double maxX = Math.max(a.centerX(), b.centerX());
            if (maxX < vx || minX > vx + vw || b.y() < vy || a.y() + a.h() > vy + vh) continue;
            double[] p = elbow(a, b);
            g.moveTo(p[0], p[1]);
            for (int i = 2; i < p.length; i += 2) g.lineTo(p[i], p[i + 1]);
        }
        g.stroke();
        List<Verdict> vs = verdicts();
        for (Verdict v : vs) {
            List<Point2D> pts = routeLine(v);
            g.setStroke(pal.of(v.mapType()));
            g.setLineWidth(5 / Math.max(z, 0.2));
            for (int i = 1; i < pts.size(); i++) {
                g.strokeLine(pts.get(i - 1).getX(), pts.get(i - 1).getY(), pts.get(i).getX(), pts.get(i).getY());
            }
        }
        java.util.Map<PciAddress, MapType> path = onRoute(vs);
        Topology t = vm.topology();
        boolean fullText = LABEL_FONT.getSize() * z >= MIN_TEXT;
        boolean coarseText = !fullText && COARSE_LABEL_FONT.getSize() * z >= MIN_TEXT;
        boolean outlines = z >= 0.2;
        g.setTextBaseline(VPos.BASELINE);
        Color border = pal.get(Palette.Key.BORDER);
        Set<PciAddress> matched = new LinkedHashSet<>(matches);
        for (TreeLayout.Box b : layout.boxes().values()) {
            if (b.x() + b.w() < vx || b.x() > vx + vw || b.y() + b.h() < vy || b.y() > vy + vh) continue;
            PciFunction f = b.function() == null ? null : t.require(b.function());
            g.setFill(fillOf(b, f, path, pal));
            g.fillRect(b.x(), b.y(), b.w(), b.h());
            Color stroke = strokeOf(f, matched, pal);
            // Far out, a plain outline is under a pixel: only the outlines that carry meaning are drawn.
            if (outlines || stroke != border) {
                g.setStroke(stroke);
                g.setLineWidth((stroke != border ? 3 : 1) / Math.max(z, 0.2));
                g.strokeRect(b.x(), b.y(), b.w(), b.h());
            }
            if (fullText || coarseText) {
                g.setFill(pal.get(Palette.Key.TEXT));
                Font font = fullText ? LABEL_FONT : COARSE_LABEL_FONT;
                g.setFont(font);
                smallest = Math.min(smallest, font.getSize() * z);
                if (f == null) {
                    g.fillText((fullText ? "root bus " : "") + b.rootBus(), b.x() + 6, b.y() + font.getSize() + 3,
                            b.w() - 10);
                    g.fillText((fullText ? "host bridge " : "") + hostId(t, b.rootBus()), b.x() + 6,
                            b.y() + 2 * font.getSize() + 6, b.w() - 10);
                } else if (fullText) {
                    g.fillText(f.address() + "  " + f.kind().jsonName(), b.x() + 6, b.y() + 16, b.w() - 10);
                    g.fillText(f.displayName(), b.x() + 6, b.y() + 32, b.w() - 10);
                    String extra = collapsed.contains(f.address()) ? "\u25b8 " + TreeLayout.summarize(t,
                            f.address()).text() : f.p2pmem() != null ? "p2pmem " + size(f.p2pmem().size()) : "";
                    if (!extra.isEmpty()) g.fillText(extra, b.x() + 6, b.y() + 48, b.w() - 10);
                } else {
                    g.fillText(f.address().toShortString(), b.x() + 6, b.y() + 24, b.w() - 10);
                    if (collapsed.contains(f.address())) {
                        g.fillText("\u25b8 " + TreeLayout.summarize(t, f.address()).functions(), b.x() + 6,
                                b.y() + 48, b.w() - 10);
                    }
                }
            }
        }
        bigSmallestText = smallest;
        drawMinimap();
    }

    /// A box's fill as the immediate drawing and the plain moving view show it: by its route, else by its kind.
    private static Color fillOf(TreeLayout.Box b, PciFunction f, Map<PciAddress, MapType> path, Palette pal) {
        MapType on = f == null ? null : path.get(f.address());
        return f == null ? pal.get(Palette.Key.ROOT_BUS_FILL) : on == MapType.BUS_ADDR
                ? pal.get(Palette.Key.ON_PATH_FILL) : on == MapType.THRU_HOST_BRIDGE
                ? pal.get(Palette.Key.ON_HOST_PATH_FILL) : on == MapType.NOT_SUPPORTED
                ? pal.get(Palette.Key.ON_REFUSED_PATH_FILL) : f.kind().isBridge() ? pal.get(Palette.Key.BRIDGE_FILL)
                : pal.get(Palette.Key.NODE);
    }

    /// A box's outline: the colour of what it is to the pair (provider, client, match, redirect, p2pmem), else
    /// the plain border (the root bus's own colour for a host bridge).
    private Color strokeOf(PciFunction f, Set<PciAddress> matched, Palette pal) {
        return f == null ? pal.get(Palette.Key.ROOT_BUS_STROKE)
                : f.address().equals(vm.providerProperty().get()) ? pal.get(Palette.Key.ACCENT)
                : vm.clients().contains(f.address()) ? pal.get(Palette.Key.CLIENT)
                : matched.contains(f.address()) ? pal.get(Palette.Key.CHANGED)
                : f.acs().redirects() ? pal.get(Palette.Key.X) : f.p2pmem() != null ? pal.get(Palette.Key.P2PMEM)
                : pal.get(Palette.Key.BORDER);
    }

    /// The plain boxes shown while the view moves: square, one colour each (see [#moving()]), with an outline
    /// only where it means something (provider, client, match, redirect, p2pmem).
    private void paintPlain() {
        plainLayer.getChildren().clear();
        Topology t = vm.topology();
        if (bigMode || layout == null || t == null) return;
        Palette pal = Palette.of(this);
        Map<PciAddress, MapType> path = onRoute(verdicts());
        Set<PciAddress> matched = new HashSet<>(matches);
        Color border = pal.get(Palette.Key.BORDER);
        for (TreeLayout.Box b : layout.boxes().values()) {
            PciFunction f = b.function() == null ? null : t.require(b.function());
            Rectangle r = new Rectangle(b.x(), b.y(), b.w(), b.h());
            r.setFill(fillOf(b, f, path, pal));
            Color stroke = strokeOf(f, matched, pal);
            if (stroke != border && f != null) {
                r.setStroke(stroke);
                r.setStrokeWidth(3);
                r.setStrokeType(javafx.scene.shape.StrokeType.INSIDE);
            }
            plainLayer.getChildren().add(r);
        }
    }

    @Override
    protected void layoutChildren() {
        // Content is positioned by its translate/scale; the legend sits bottom left, the overview top right.
        content.resize(content.prefWidth(-1), content.prefHeight(-1));
        legend.autosize();
        legend.relocate(8, getHeight() - legend.getHeight() - 8);
        minimap.relocate(getWidth() - minimap.getWidth() - 8, 8);
    }
}
