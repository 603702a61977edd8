package dev.p2pscope.app.view;

import dev.p2pscope.app.viewmodel.ExplorerViewModel;
import dev.p2pscope.core.engine.MapType;
import dev.p2pscope.core.engine.VerdictMatrix;
import dev.p2pscope.core.model.PciAddress;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import java.util.Locale;

/// The all-pairs matrix in the spirit of `nvidia-smi topo -m`: map type as colour, distance as number; row =
/// provider, column = client. Clicking a cell selects that pair on the canvas.
final class MatrixView extends VBox {

    static final int MAX_SHOWN = 48;
    /// Cells get a tooltip only in small matrices (each tooltip costs a node).
    static final int TOOLTIP_LIMIT = 24;
    final GridPane grid = new GridPane();
    private final ExplorerViewModel vm;

    MatrixView(ExplorerViewModel vm) {
        super(8);
        this.vm = vm;
        grid.getStyleClass().add("matrix");
        grid.setHgap(2);
        grid.setVgap(2);
        Label legend = new Label("BUS n: shared switch, bus addresses   HB n: through the host bridge   "
                + "X: not supported   (row = provider, column = client, n = distance)");
        legend.setWrapText(true);
        legend.getStyleClass().add("legend");
        getChildren().addAll(legend, new ScrollPane(grid));
        vm.matrixProperty().addListener((o, a, m) -> show(m));
        vm.changedPairs().addListener((javafx.collections.ListChangeListener<VerdictMatrix.PairChange>) c ->
                show(vm.matrixProperty().get()));
    }

    private void show(VerdictMatrix m) {
        grid.getChildren().clear();
        if (m == null) return;
        int n = Math.min(m.size(), MAX_SHOWN);
        boolean oneDomain = m.devices().stream().allMatch(a -> a.domain() == 0);
        for (int j = 0; j < n; j++) {
            Label h = new Label(label(m.devices().get(j), oneDomain));
            h.getStyleClass().add("matrix-header");
            h.setRotate(-90);
            h.setMinWidth(52);
            grid.add(new HBox(h), j + 1, 0);
        }
        for (int i = 0; i < n; i++) {
            Label rh = new Label(label(m.devices().get(i), oneDomain));
            rh.getStyleClass().add("matrix-header");
            grid.add(rh, 0, i + 1);
            for (int j = 0; j < n; j++) {
                MapType t = m.mapType(i, j);
                int d = m.distance(i, j);
                Label c = new Label(cell(t, d));
                c.setAlignment(Pos.CENTER);
                c.setMinWidth(52);
                c.getStyleClass().addAll("matrix-cell", "mt-" + t.name().toLowerCase(Locale.ROOT));
                PciAddress p = m.devices().get(i);
                PciAddress cl = m.devices().get(j);
                if (vm.changedPairs().stream().anyMatch(x -> x.provider().equals(p) && x.client().equals(cl))) {
                    c.getStyleClass().add("changed");
                }
                if (n <= TOOLTIP_LIMIT) Tooltip.install(c, new Tooltip(p + " \u2192 " + cl + ": " + t + ", distance " + d));
                c.setOnMouseClicked(e -> vm.setPair(p, cl));
                c.setId("cell-" + i + "-" + j);
                grid.add(c, j + 1, i + 1);
            }
        }
        if (m.size() > MAX_SHOWN) {
            grid.add(new Label("(first " + MAX_SHOWN + " of " + m.size() + " devices; use `p2pscope matrix` for all)"),
                    0, n + 1, n + 1, 1);
        }
    }

    static String label(PciAddress a, boolean oneDomain) {
        return oneDomain ? a.toShortString() : a.toString();
    }

    static String cell(MapType t, int d) {
        return switch (t) {
            case BUS_ADDR -> d == 0 ? "SELF" : "BUS " + d;
            case THRU_HOST_BRIDGE -> "HB " + d;
            case NOT_SUPPORTED -> "X";
            default -> "?";
        };
    }
}
