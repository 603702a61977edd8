package dev.p2pscope.app.view;

import dev.p2pscope.app.viewmodel.ExplorerViewModel;
import dev.p2pscope.core.engine.MapType;
import dev.p2pscope.core.engine.VerdictMatrix;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.text.VerdictText;
import javafx.geometry.Pos;
import javafx.scene.Group;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/// The all-pairs matrix in the spirit of `nvidia-smi topo -m`: map type as colour, distance as number; row =
/// provider, column = client. Clicking a cell selects that pair on the canvas. Small matrices are a grid of
/// styled cells; larger ones a [MatrixCanvas] that draws only the cells in view.
final class MatrixView extends VBox {

    /// Above this many devices the matrix is drawn on a canvas instead of one node per cell.
    static final int GRID_LIMIT = 48;
    /// Cells get a tooltip only in small matrices (each tooltip costs a node).
    static final int TOOLTIP_LIMIT = 24;
    /// Beyond this many changed pairs the large matrix outlines none: [MatrixCanvas] keeps a set entry per
    /// outlined cell, and an allowlist edit on a large tree changes millions (almost every cell). A line then
    /// says how many changed and where they are listed.
    static final long OUTLINE_LIMIT = 200_000;
    /// Says when the changed pairs are too many to outline (empty otherwise: then it takes no room).
    final Label notOutlined = new Label();
    final GridPane grid = new GridPane();
    final MatrixCanvas large;
    private final ScrollPane gridPane = new ScrollPane(grid);
    private final ExplorerViewModel vm;
    /// The grid's cells by (provider, client), to mark the selected pairs without rebuilding the grid.
    private final Map<Map.Entry<PciAddress, PciAddress>, Label> cells = new HashMap<>();
    private final List<Label> marked = new ArrayList<>();
    private final List<javafx.scene.Node> headers = new ArrayList<>();
    /// How far the grid is scrolled right and down, in pixels: the headers move by as much to stay in view.
    private final javafx.beans.binding.DoubleBinding scrolledRight = javafx.beans.binding.Bindings.createDoubleBinding(
            () -> gridPane.getHvalue() * Math.max(0, grid.getWidth() - gridPane.getViewportBounds().getWidth()),
            gridPane.hvalueProperty(), grid.widthProperty(), gridPane.viewportBoundsProperty());
    private final javafx.beans.binding.DoubleBinding scrolledDown = javafx.beans.binding.Bindings.createDoubleBinding(
            () -> gridPane.getVvalue() * Math.max(0, grid.getHeight() - gridPane.getViewportBounds().getHeight()),
            gridPane.vvalueProperty(), grid.heightProperty(), gridPane.viewportBoundsProperty());

    MatrixView(ExplorerViewModel vm) {
        super(8);
        this.vm = vm;
        grid.getStyleClass().add("matrix");
        grid.setHgap(2);
        grid.setVgap(2);
        StringBuilder words = new StringBuilder(VerdictText.matrixLegendTitle());
        VerdictText.matrixLegendEntries().forEach(e -> words.append('\n').append(e.getKey()).append(":  ")
                .append(e.getValue()));
        Label legend = new Label(words.toString());
        legend.setWrapText(true);
        legend.getStyleClass().add("legend");
        large = new MatrixCanvas(vm);
        VBox.setVgrow(gridPane, Priority.ALWAYS);
        VBox.setVgrow(large, Priority.ALWAYS);
        large.setMinHeight(200);
        notOutlined.setWrapText(true);
        notOutlined.setId("matrix-not-outlined");
        notOutlined.managedProperty().bind(notOutlined.textProperty().isNotEmpty());
        notOutlined.visibleProperty().bind(notOutlined.textProperty().isNotEmpty());
        getChildren().addAll(legend, gridPane, notOutlined);
        vm.matrixProperty().addListener((o, a, m) -> show(m));
        vm.verdictProperty().addListener((o, a, v) -> markSelection());
        // The Matrix tab joins the scene when first opened (MainView): a pair chosen before then is scrolled to
        // now, since scrolling needs the grid's size.
        sceneProperty().addListener((o, a, s) -> {
            if (a == null && s != null) markSelection();
        });
        // Built when the tab is first opened (MainView): the matrix may be there already.
        if (vm.matrixProperty().get() != null) show(vm.matrixProperty().get());
        vm.changedPairs().addListener((javafx.collections.ListChangeListener<VerdictMatrix.PairChange>) c ->
                show(vm.matrixProperty().get()));
    }

    /// Outlines the cells of the pair(s) chosen on the canvas: provider row, each client's column.
    private void markSelection() {
        List<Map.Entry<PciAddress, PciAddress>> pairs = new ArrayList<>();
        PciAddress p = vm.providerProperty().get();
        if (p != null) for (PciAddress c : vm.clients()) pairs.add(Map.entry(p, c));
        large.setSelected(pairs);
        marked.forEach(l -> l.getStyleClass().remove("selected"));
        marked.clear();
        for (var pair : pairs) {
            Label l = cells.get(pair);
            if (l != null) {
                l.getStyleClass().add("selected");
                marked.add(l);
            }
        }
        if (!marked.isEmpty()) javafx.application.Platform.runLater(() -> scrollTo(marked.getFirst()));
    }

    private void show(VerdictMatrix m) {
        grid.getChildren().clear();
        headers.clear();
        cells.clear();
        marked.clear();
        boolean big = m != null && m.size() > GRID_LIMIT;
        getChildren().set(1, big ? large : gridPane);
        long changedCount = vm.changes().count();
        boolean outline = !big || changedCount <= OUTLINE_LIMIT;
        notOutlined.setText(outline ? "" : String.format(Locale.ROOT, "%,d pairs differ from the loaded topology: "
                + "too many to outline here; the What-if tab lists them.", changedCount));
        if (big) {
            large.setMatrix(m, outline ? vm.changedPairs() : List.of());
            markSelection();
            return;
        }
        large.setMatrix(null, List.of());
        if (m == null) return;
        int n = m.size();
        boolean oneDomain = m.devices().stream().allMatch(a -> a.domain() == 0);
        Set<Map.Entry<PciAddress, PciAddress>> changed = new HashSet<>();
        for (VerdictMatrix.PairChange x : vm.changedPairs()) changed.add(Map.entry(x.provider(), x.client()));
        for (int j = 0; j < n; j++) {
            Label h = new Label(label(m.devices().get(j), oneDomain));
            h.getStyleClass().add("matrix-header");
            h.setRotate(-90);
            // A Group lays out the rotated bounds, so the header gets the height of its text.
            StackPane header = new StackPane(new Group(h));
            header.setAlignment(Pos.BOTTOM_CENTER);
            header.getStyleClass().add("matrix-header-cell");
            header.translateYProperty().bind(scrolledDown);   // the column headers stay at the top
            grid.add(header, j + 1, 0);
            headers.add(header);
        }
        for (int i = 0; i < n; i++) {
            Label rh = new Label(label(m.devices().get(i), oneDomain));
            rh.getStyleClass().addAll("matrix-header", "matrix-header-cell");
            rh.setMaxHeight(Double.MAX_VALUE);
            rh.translateXProperty().bind(scrolledRight);   // the row headers stay at the left: which row is which
            grid.add(rh, 0, i + 1);
            headers.add(rh);
            for (int j = 0; j < n; j++) {
                MapType t = m.mapType(i, j);
                int d = m.distance(i, j);
                Label c = new Label(VerdictText.cell(t, d));
                c.setAlignment(Pos.CENTER);
                c.setMinWidth(52);
                c.getStyleClass().addAll("matrix-cell", "mt-" + t.name().toLowerCase(Locale.ROOT));
                PciAddress p = m.devices().get(i);
                PciAddress cl = m.devices().get(j);
                if (changed.contains(Map.entry(p, cl))) c.getStyleClass().add("changed");
                if (n <= TOOLTIP_LIMIT) Tooltip.install(c, new Tooltip(p + " \u2192 " + cl + ": " + t + ", distance " + d));
                c.setOnMouseClicked(e -> vm.setPair(p, cl));
                c.setId("cell-" + i + "-" + j);
                grid.add(c, j + 1, i + 1);
                cells.put(Map.entry(p, cl), c);
            }
        }
        // Headers are drawn over the cells that scroll under them.
        headers.forEach(javafx.scene.Node::toFront);
        markSelection();
    }

    /// Scrolls the grid so that `cell` is in view (the matrix follows the pair chosen elsewhere).
    private void scrollTo(Label cell) {
        if (cell.getScene() == null || grid.getWidth() <= 0) return;
        var b = cell.getBoundsInParent();
        double vw = gridPane.getViewportBounds().getWidth();
        double vh = gridPane.getViewportBounds().getHeight();
        double extraW = Math.max(0, grid.getWidth() - vw);
        double extraH = Math.max(0, grid.getHeight() - vh);
        double left = gridPane.getHvalue() * extraW;
        double top = gridPane.getVvalue() * extraH;
        // As little as needed, so the row and column headers stay in view where they can.
        if (extraW > 0 && b.getMaxX() > left + vw) gridPane.setHvalue(Math.clamp((b.getMaxX() - vw + 8) / extraW, 0, 1));
        else if (extraW > 0 && b.getMinX() < left) gridPane.setHvalue(Math.clamp((b.getMinX() - 8) / extraW, 0, 1));
        if (extraH > 0 && b.getMaxY() > top + vh) gridPane.setVvalue(Math.clamp((b.getMaxY() - vh + 8) / extraH, 0, 1));
        else if (extraH > 0 && b.getMinY() < top) gridPane.setVvalue(Math.clamp((b.getMinY() - 8) / extraH, 0, 1));
    }

    /// Scrolls a large matrix by pixels (no-op for the grid).
    void scrollBy(double dx, double dy) {
        large.hbar.setValue(Math.clamp(large.hbar.getValue() + dx, 0, large.hbar.getMax()));
        large.vbar.setValue(Math.clamp(large.vbar.getValue() + dy, 0, large.vbar.getMax()));
    }

    static String label(PciAddress a, boolean oneDomain) {
        return oneDomain ? a.toShortString() : a.toString();
    }

    /// A cell's text, as [VerdictText#cell] words it (kept for the large matrix's canvas).
    static String cell(MapType t, int d) {
        return VerdictText.cell(t, d);
    }
}
