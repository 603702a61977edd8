package dev.p2pscope.app.view;

import dev.p2pscope.app.viewmodel.ExplorerViewModel;
import dev.p2pscope.core.engine.MapType;
import dev.p2pscope.core.engine.VerdictMatrix;
import dev.p2pscope.core.model.PciAddress;
import javafx.geometry.Orientation;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;

import java.util.HashSet;
import java.util.Set;

/// The all-pairs matrix for device sets too large for one node per cell: a canvas that draws only the cells in
/// view (virtualized in both directions, with the row and column headers kept in place), scrolled by its bars or
/// the wheel. Clicking a cell selects the pair; the tooltip names the pair under the pointer.
final class MatrixCanvas extends Region {

    static final double CELL_W = 52;
    static final double CELL_H = 20;
    static final double ROW_HEADER_W = 96;
    static final double COLUMN_HEADER_H = 84;
    private static final Font FONT = Font.font("Monospaced", 10);

    final ScrollBar hbar = new ScrollBar();
    final ScrollBar vbar = new ScrollBar();
    private final Canvas canvas = new Canvas();
    private final Tooltip tip = new Tooltip();
    private final ExplorerViewModel vm;
    private VerdictMatrix matrix;
    /// Changed pairs as `provider * size + client` indices of the matrix shown.
    private Set<Long> changed = Set.of();
    private Set<Long> selected = Set.of();
    private boolean oneDomain = true;
    /// Cells drawn by the last paint (a probe for tests and the frame-time benchmark).
    private int cellsDrawn;

    MatrixCanvas(ExplorerViewModel vm) {
        this.vm = vm;
        getStyleClass().add("matrix-canvas");
        vbar.setOrientation(Orientation.VERTICAL);
        getChildren().addAll(canvas, hbar, vbar);
        hbar.valueProperty().addListener((o, a, b) -> draw());
        vbar.valueProperty().addListener((o, a, b) -> draw());
        canvas.setOnScroll(e -> {
            ScrollBar bar = e.isShiftDown() || e.getDeltaY() == 0 ? hbar : vbar;
            double d = e.getDeltaY() != 0 ? e.getDeltaY() : e.getDeltaX();
            bar.setValue(Math.clamp(bar.getValue() - d, bar.getMin(), bar.getMax()));
        });
        canvas.setOnMouseClicked(e -> {
            int[] c = cellAt(e.getX(), e.getY());
            if (c != null) vm.setPair(matrix.devices().get(c[0]), matrix.devices().get(c[1]));
        });
        canvas.setOnMouseMoved(e -> {
            int[] c = cellAt(e.getX(), e.getY());
            tip.setText(c == null ? "" : describe(c[0], c[1]));
        });
        Tooltip.install(canvas, tip);
        sceneProperty().addListener((o, a, sc) -> {
            if (sc != null) sc.getStylesheets().addListener((javafx.collections.ListChangeListener<String>) c -> draw());
        });
    }

    /// Shows `m`, marking the pairs in `changes` (from a what-if).
    void setMatrix(VerdictMatrix m, Iterable<VerdictMatrix.PairChange> changes) {
        matrix = m;
        Set<Long> c = new HashSet<>();
        if (m != null) {
            for (VerdictMatrix.PairChange p : changes) {
                int i = m.indexOf(p.provider());
                int j = m.indexOf(p.client());
                if (i >= 0 && j >= 0) c.add((long) i * m.size() + j);
            }
            oneDomain = m.devices().stream().allMatch(a -> a.domain() == 0);
        }
        changed = c;
        requestLayout();
        draw();
    }

    /// Outlines the cells of these (provider, client) pairs.
    void setSelected(Iterable<java.util.Map.Entry<PciAddress, PciAddress>> pairs) {
        Set<Long> s = new HashSet<>();
        if (matrix != null) {
            for (var p : pairs) {
                int i = matrix.indexOf(p.getKey());
                int j = matrix.indexOf(p.getValue());
                if (i >= 0 && j >= 0) s.add((long) i * matrix.size() + j);
            }
        }
        selected = s;
        // The matrix scrolls to the (first) selected pair, wherever it was chosen.
        reveal = s.isEmpty() || matrix == null ? null : firstPair(pairs);
        if (reveal != null) requestLayout();
        revealNow();
        draw();
    }

    /// The cell to bring into view at the next layout, as {row, column}.
    private int[] reveal;

    private int[] firstPair(Iterable<java.util.Map.Entry<PciAddress, PciAddress>> pairs) {
        for (var p : pairs) {
            int i = matrix.indexOf(p.getKey());
            int j = matrix.indexOf(p.getValue());
            if (i >= 0 && j >= 0) return new int[] {i, j};
        }
        return null;
    }

    /// Scrolls just enough (to the middle) that the cell to reveal is in view, once the bars know their range.
    private void revealNow() {
        if (reveal == null || matrix == null || canvas.getWidth() <= ROW_HEADER_W) return;
        double viewW = canvas.getWidth() - ROW_HEADER_W;
        double viewH = canvas.getHeight() - COLUMN_HEADER_H;
        double x = reveal[1] * CELL_W;
        double y = reveal[0] * CELL_H;
        if (x < hbar.getValue() || x + CELL_W > hbar.getValue() + viewW) {
            hbar.setValue(Math.clamp(x - viewW / 2 + CELL_W / 2, 0, Math.max(0, hbar.getMax())));
        }
        if (y < vbar.getValue() || y + CELL_H > vbar.getValue() + viewH) {
            vbar.setValue(Math.clamp(y - viewH / 2 + CELL_H / 2, 0, Math.max(0, vbar.getMax())));
        }
        if (hbar.getMax() > 0 || vbar.getMax() > 0 || matrix.size() * CELL_W <= viewW) reveal = null;
    }

    /// Whether the cell (row, column) is wholly in view.
    boolean inView(int row, int col) {
        double viewW = canvas.getWidth() - ROW_HEADER_W;
        double viewH = canvas.getHeight() - COLUMN_HEADER_H;
        double x = col * CELL_W - hbar.getValue();
        double y = row * CELL_H - vbar.getValue();
        return x >= 0 && y >= 0 && x + CELL_W <= viewW && y + CELL_H <= viewH;
    }

    /// The (provider row, client column) under a point of the canvas, or null over the headers or past the end.
    int[] cellAt(double x, double y) {
        if (matrix == null || x < ROW_HEADER_W || y < COLUMN_HEADER_H) return null;
        int col = (int) ((x - ROW_HEADER_W + hbar.getValue()) / CELL_W);
        int row = (int) ((y - COLUMN_HEADER_H + vbar.getValue()) / CELL_H);
        return row < matrix.size() && col < matrix.size() ? new int[] {row, col} : null;
    }

    int cellsDrawn() {
        return cellsDrawn;
    }

    private String describe(int i, int j) {
        PciAddress p = matrix.devices().get(i);
        PciAddress c = matrix.devices().get(j);
        return p + " \u2192 " + c + ": " + matrix.mapType(i, j) + ", distance " + matrix.distance(i, j);
    }

    @Override
    protected double computePrefWidth(double height) {
        return ROW_HEADER_W + 12 * CELL_W;
    }

    @Override
    protected double computePrefHeight(double width) {
        return COLUMN_HEADER_H + 30 * CELL_H;
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        double h = getHeight();
        double bw = vbar.prefWidth(-1);
        double bh = hbar.prefHeight(-1);
        canvas.setWidth(Math.max(0, w - bw));
        canvas.setHeight(Math.max(0, h - bh));
        vbar.resizeRelocate(w - bw, 0, bw, h - bh);
        hbar.resizeRelocate(0, h - bh, w - bw, bh);
        int n = matrix == null ? 0 : matrix.size();
        double viewW = canvas.getWidth() - ROW_HEADER_W;
        double viewH = canvas.getHeight() - COLUMN_HEADER_H;
        hbar.setMax(Math.max(0, n * CELL_W - viewW));
        vbar.setMax(Math.max(0, n * CELL_H - viewH));
        hbar.setVisibleAmount(Math.max(1, viewW));
        vbar.setVisibleAmount(Math.max(1, viewH));
        hbar.setUnitIncrement(CELL_W);
        vbar.setUnitIncrement(CELL_H);
        hbar.setBlockIncrement(Math.max(CELL_W, viewW));
        vbar.setBlockIncrement(Math.max(CELL_H, viewH));
        revealNow();
        draw();
    }

    /// Paints the headers and the cells in view; the cost follows the viewport, not the matrix.
    private void draw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        Palette pal = Palette.of(this);
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        g.setFill(pal.get(Palette.Key.BG));
        g.fillRect(0, 0, w, h);
        cellsDrawn = 0;
        if (matrix == null || w <= ROW_HEADER_W || h <= COLUMN_HEADER_H) return;
        int n = matrix.size();
        int firstCol = (int) (hbar.getValue() / CELL_W);
        int firstRow = (int) (vbar.getValue() / CELL_H);
        int lastCol = Math.min(n - 1, firstCol + (int) Math.ceil((w - ROW_HEADER_W) / CELL_W));
        int lastRow = Math.min(n - 1, firstRow + (int) Math.ceil((h - COLUMN_HEADER_H) / CELL_H));
        double x0 = ROW_HEADER_W - (hbar.getValue() - firstCol * CELL_W);
        double y0 = COLUMN_HEADER_H - (vbar.getValue() - firstRow * CELL_H);
        g.setFont(FONT);
        g.setTextBaseline(VPos.CENTER);
        g.save();
        g.beginPath();
        g.rect(ROW_HEADER_W, COLUMN_HEADER_H, w - ROW_HEADER_W, h - COLUMN_HEADER_H);
        g.clip();
        g.setTextAlign(TextAlignment.CENTER);
        for (int i = firstRow; i <= lastRow; i++) {
            double y = y0 + (i - firstRow) * CELL_H;
            for (int j = firstCol; j <= lastCol; j++) {
                double x = x0 + (j - firstCol) * CELL_W;
                MapType t = matrix.mapType(i, j);
                boolean refused = t != MapType.BUS_ADDR && t != MapType.THRU_HOST_BRIDGE;
                g.setFill(refused ? pal.get(Palette.Key.X_CELL) : pal.of(t));
                g.fillRect(x + 1, y + 1, CELL_W - 2, CELL_H - 2);
                long key = (long) i * n + j;
                if (changed.contains(key) || selected.contains(key)) {
                    g.setStroke(selected.contains(key) ? pal.get(Palette.Key.TEXT) : pal.get(Palette.Key.CHANGED));
                    g.setLineWidth(2);
                    g.strokeRect(x + 2, y + 2, CELL_W - 4, CELL_H - 4);
                }
                g.setFill(refused ? pal.get(Palette.Key.X) : pal.get(Palette.Key.ON_COLOUR));
                g.fillText(MatrixView.cell(t, matrix.distance(i, j)), x + CELL_W / 2, y + CELL_H / 2);
                cellsDrawn++;
            }
        }
        g.restore();
        g.setFill(pal.get(Palette.Key.MUTED));
        g.setTextAlign(TextAlignment.LEFT);
        g.save();
        g.beginPath();
        g.rect(0, COLUMN_HEADER_H, ROW_HEADER_W, h - COLUMN_HEADER_H);
        g.clip();
        for (int i = firstRow; i <= lastRow; i++) {
            g.fillText(MatrixView.label(matrix.devices().get(i), oneDomain), 4, y0 + (i - firstRow) * CELL_H + CELL_H / 2);
        }
        g.restore();
        g.save();
        g.beginPath();
        g.rect(ROW_HEADER_W, 0, w - ROW_HEADER_W, COLUMN_HEADER_H);
        g.clip();
        for (int j = firstCol; j <= lastCol; j++) {
            g.save();
            g.translate(x0 + (j - firstCol) * CELL_W + CELL_W / 2, COLUMN_HEADER_H - 4);
            g.rotate(-90);
            g.fillText(MatrixView.label(matrix.devices().get(j), oneDomain), 0, 0);
            g.restore();
        }
        g.restore();
    }
}
