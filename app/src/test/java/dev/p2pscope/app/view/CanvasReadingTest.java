package dev.p2pscope.app.view;

import dev.p2pscope.app.render.TreeLayout;
import dev.p2pscope.core.engine.MapType;
import dev.p2pscope.core.generate.TopologyGenerator;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.samples.Samples;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/// The tree at the window's default size: never text too small to read, large trees folded into summaries,
/// zoom to the selection and to search matches, routes along the tree's links.
class CanvasReadingTest extends MainViewFxTest {

    CanvasReadingTest() {
        super("p2pscope-test-reading");
    }

    static PciAddress a(String bdf) {
        return PciAddress.parseLenient(bdf);
    }

    private void open(String sample) {
        robot.interact(() -> {
            view.openSample(sample);
            view.canvas().fitOrFocus();
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    private boolean inView(PciAddress p) {
        TreeLayout.Box b = view.canvas().treeLayout().of(p);
        Bounds v = view.canvas().viewport();
        return b != null && v.contains(b.x(), b.y()) && v.contains(b.x() + b.w(), b.y() + b.h());
    }

    @Test
    void noSampleDrawsTextSmallerThanTheMinimumAtTheDefaultSize() {
        for (String name : Samples.names()) {
            open(name);
            double[] smallest = new double[1];
            robot.interact(() -> smallest[0] = view.canvas().smallestTextDrawn());
            assertThat(smallest[0]).as(name + ": smallest text on screen, px")
                    .isGreaterThanOrEqualTo(TopologyCanvas.MIN_TEXT);
            // And there is text: the view is not empty boxes.
            assertThat(smallest[0]).as(name).isLessThan(Double.POSITIVE_INFINITY);
        }
    }

    @Test
    void zoomingOutSwitchesToCoarserDetailInsteadOfSmallerText() {
        open("skylake-sp-2s-switch");
        for (double z : new double[] {1.2, 0.7, 0.4, 0.1}) {
            double[] smallest = new double[1];
            robot.interact(() -> {
                view.canvas().zoomProperty().set(z);
                smallest[0] = view.canvas().smallestTextDrawn();
            });
            assertThat(smallest[0]).as("zoom " + z).isGreaterThanOrEqualTo(TopologyCanvas.MIN_TEXT);
        }
        assertThat(view.canvas().detailProperty().get()).isEqualTo(TopologyCanvas.Detail.BOXES);
    }

    @Test
    void zoomToSelectionBringsAFarApartPairIntoViewReadably() {
        open("hgx-8gpu-8nic");
        robot.interact(() -> {
            view.canvas().zoomBy(4, 0, 0);
            view.canvas().panBy(3000, 3000);
            vm.setPair(a("1a:00.0"), a("8b:00.0"));
        });
        assertThat(inView(a("1a:00.0"))).isFalse();
        robot.interact(() -> view.canvas().zoomToSelection());
        assertThat(inView(a("1a:00.0"))).isTrue();
        assertThat(inView(a("8b:00.0"))).isTrue();
        assertThat(view.canvas().zoomProperty().get()).isGreaterThanOrEqualTo(TopologyCanvas.READABLE_ZOOM);
        // The same from the keyboard.
        robot.interact(() -> view.canvas().panBy(5000, 0));
        robot.clickOn(view.canvas(), javafx.scene.input.MouseButton.SECONDARY);
        robot.type(javafx.scene.input.KeyCode.S);
        assertThat(inView(a("8b:00.0"))).isTrue();
    }

    @Test
    void searchCountsMatchesAndZoomsToEachInTurn() {
        open("hgx-8gpu-8nic");
        robot.clickOn(view.search).write("A100");
        assertThat(view.canvas().matchCountProperty().get()).isEqualTo(8);
        assertThat(view.matchCount.getText()).startsWith("8 matches");
        PciAddress first = a("1a:00.0");
        assertThat(inView(first)).isTrue();
        assertThat(view.canvas().zoomProperty().get()).isGreaterThanOrEqualTo(TopologyCanvas.FULL_ZOOM);
        robot.type(javafx.scene.input.KeyCode.ENTER);
        assertThat(view.canvas().matchIndex()).isEqualTo(1);
        assertThat(inView(a("1b:00.0"))).isTrue();
        robot.interact(() -> view.search.setText("no-such-device"));
        assertThat(view.matchCount.getText()).isEqualTo("no match");
    }

    @Test
    void aTenThousandFunctionTreeOpensFoldedIntoReadableSummaries() {
        var t = TopologyGenerator.generate(TopologyGenerator.Spec.forEndpoints(4096, 7));
        robot.interact(() -> {
            vm.show(t);
            view.canvas().fit();
        });
        WaitForAsyncUtils.waitForFxEvents();
        TopologyCanvas c = view.canvas();
        assertThat(t.size()).isGreaterThan(9000);
        assertThat(c.folded().size() + c.foldedBuses().size()).isPositive();
        assertThat(c.zoomProperty().get()).isGreaterThanOrEqualTo(TopologyCanvas.READABLE_ZOOM);
        double[] smallest = new double[1];
        robot.interact(() -> smallest[0] = c.smallestTextDrawn());
        assertThat(smallest[0]).isGreaterThanOrEqualTo(TopologyCanvas.MIN_TEXT);
        // A summary box says what it holds.
        TreeLayout.Summary s = c.foldedBuses().isEmpty()
                ? TreeLayout.summarize(t, c.folded().stream().filter(x -> c.treeLayout().of(x) != null).findFirst().orElseThrow())
                : TreeLayout.summarize(t, c.foldedBuses().iterator().next());
        assertThat(s.functions()).isPositive();
        assertThat(s.text()).contains("function");
        // Choosing a pair deep inside opens what is above it, and zooming to it shows both.
        var endpoints = t.functions().stream().filter(f -> !f.kind().isBridge() && f.parent() != null).toList();
        PciAddress p = endpoints.get(100).address();
        PciAddress q = endpoints.get(endpoints.size() - 50).address();
        robot.interact(() -> {
            vm.setPair(p, q);
            c.zoomToSelection();
        });
        assertThat(c.treeLayout().of(p)).isNotNull();
        assertThat(c.treeLayout().of(q)).isNotNull();
        assertThat(inView(p)).isTrue();
        assertThat(inView(q)).isTrue();
        // So far apart that the boxes carry no text: the provider and the client are still named, readably.
        assertThat(c.detailProperty().get()).isEqualTo(TopologyCanvas.Detail.BOXES);
        assertThat(c.selectionTags()).containsExactly(p + "  provider", q + "  client");
        robot.interact(() -> smallest[0] = c.smallestTextDrawn());
        assertThat(smallest[0]).isGreaterThanOrEqualTo(TopologyCanvas.MIN_TEXT);
        // Zoomed in until the boxes have their own text, the tags go.
        robot.interact(() -> c.zoomBy(TopologyCanvas.READABLE_ZOOM / c.zoomProperty().get() * 1.01, 0, 0));
        assertThat(c.selectionTags()).isEmpty();
    }

    @Test
    void routesFollowTheTreesLinksAndClimbToTheHostBridges() {
        open("skylake-sp-2s-switch");
        robot.interact(() -> vm.setPair(a("1c:00.0"), a("86:00.0")));
        var v = vm.verdictProperty().get();
        assertThat(v.mapType()).isNotEqualTo(MapType.BUS_ADDR);
        List<Point2D> line = view.canvas().routeLine(v);
        for (int i = 1; i < line.size(); i++) {
            Point2D p = line.get(i - 1);
            Point2D q = line.get(i);
            assertThat(p.getX() == q.getX() || p.getY() == q.getY()).as("segment " + i + " is orthogonal").isTrue();
        }
        // It passes through both root buses' host-bridge boxes.
        List<TopologyCanvas.Hop> hops = view.canvas().routeHops(v);
        assertThat(hops.stream().filter(h -> h instanceof TopologyCanvas.Hop.HostBridge).count())
                .isEqualTo(v.mapType() == MapType.NOT_SUPPORTED ? 1 : 2);
        // Several clients: one route each.
        robot.interact(() -> vm.choose(a("1a:00.0"), List.of(a("1c:00.0"), a("86:00.0"))));
        assertThat(view.canvas().verdicts()).hasSize(2);
    }

    @Test
    void theMatrixScrollsToThePairChosenElsewhere() {
        var t = TopologyGenerator.generate(TopologyGenerator.Spec.forEndpoints(600, 3));
        robot.interact(() -> {
            vm.show(t);
            view.selectTab("Matrix");
        });
        WaitForAsyncUtils.waitForFxEvents();
        var m = vm.matrixProperty().get();
        MatrixCanvas large = view.matrix().large;
        int i = m.size() - 20;
        int j = m.size() - 60;
        assertThat(large.inView(i, j)).isFalse();
        robot.interact(() -> vm.setPair(m.devices().get(i), m.devices().get(j)));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(large.inView(i, j)).isTrue();
    }

    @Test
    void theGridsRowHeadersStayInViewWhenItScrollsToAFarPair() {
        open("hgx-8gpu-8nic");
        robot.interact(() -> view.selectTab("Matrix"));
        WaitForAsyncUtils.waitForFxEvents();
        var m = vm.matrixProperty().get();
        int last = m.size() - 1;
        robot.interact(() -> vm.setPair(m.devices().getFirst(), m.devices().get(last)));
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.Node cell = robot.lookup("#cell-0-" + last).query();
        javafx.scene.Node rowHeader = view.matrix().grid.getChildren().stream()
                .filter(n -> n.getStyleClass().contains("matrix-header") && javafx.scene.layout.GridPane.getColumnIndex(n) == 0
                        && javafx.scene.layout.GridPane.getRowIndex(n) == 1)
                .findFirst().orElseThrow();
        // The grid scrolled right to show the far cell, and the row's header moved with the view, so the row is named.
        assertThat(rowHeader.getTranslateX()).isPositive();
        javafx.scene.Node pane = view.matrix().grid;
        while (!(pane instanceof javafx.scene.control.ScrollPane)) pane = pane.getParent();
        Bounds viewport = pane.localToScene(pane.getLayoutBounds());
        Bounds header = rowHeader.localToScene(rowHeader.getLayoutBounds());
        assertThat(header.getMinX()).isGreaterThanOrEqualTo(viewport.getMinX() - 1);
        assertThat(cell.localToScene(cell.getLayoutBounds()).getMaxX()).isLessThanOrEqualTo(viewport.getMaxX() + 1);
    }

    @Test
    void thePickersListEndpointsFirstAndCanBeSearched() {
        open("hgx-8gpu-8nic");
        var items = view.verdict.providerPick.getItems();
        var t = vm.topology();
        int firstBridge = 0;
        while (!t.require(items.get(firstBridge)).kind().isBridge()) firstBridge++;
        for (int k = firstBridge; k < items.size(); k++) {
            assertThat(t.require(items.get(k)).kind().isBridge()).as(items.get(k).toString()).isTrue();
        }
        assertThat(view.verdict.providerPick).isInstanceOf(org.controlsfx.control.SearchableComboBox.class);
        robot.interact(() -> {
            vm.setPair(a("1a:00.0"), a("1b:00.0"));
            view.verdict.addClient.setValue(a("88:00.0"));
        });
        assertThat(vm.clients()).containsExactly(a("1b:00.0"), a("88:00.0"));
        assertThat(vm.providerProperty().get()).isEqualTo(a("1a:00.0"));
    }

    @Test
    void presentationModeShowsTheCanvasAloneInLargerTypeAndEndsWithEscape() {
        open("hgx-8gpu-8nic");
        robot.interact(() -> vm.setPair(a("1a:00.0"), a("1b:00.0")));
        robot.clickOn(view.canvas(), javafx.scene.input.MouseButton.SECONDARY);
        robot.type(javafx.scene.input.KeyCode.F5);
        assertThat(view.presenting()).isTrue();
        assertThat(view.split.getItems()).containsExactly(view.canvas());
        assertThat(view.caption.getText()).contains("BUS_ADDR");
        double[] smallest = new double[1];
        robot.interact(() -> smallest[0] = view.canvas().smallestTextDrawn());
        assertThat(smallest[0]).isGreaterThanOrEqualTo(TopologyCanvas.MIN_TEXT * MainView.PRESENTATION_SCALE);
        assertThat(inView(a("1a:00.0"))).as(view.canvas().viewport() + " " + view.canvas().treeLayout().of(a("1a:00.0"))
                + " zoom " + view.canvas().zoomProperty().get() + " size " + view.canvas().getWidth() + "x"
                + view.canvas().getHeight()).isTrue();
        // Keyboard-driven: Space plays the route to its end (zero duration here).
        robot.type(javafx.scene.input.KeyCode.SPACE);
        assertThat(view.canvas().animationStepProperty().get()).isEqualTo(
                view.canvas().route(vm.verdictProperty().get()).size() - 1);
        // A second client: the caption names both clients and distance_many (core's caption), not the last alone.
        robot.interact(() -> vm.addClient(a("1c:00.0")));
        assertThat(view.caption.getText()).isEqualTo(dev.p2pscope.core.text.VerdictText.caption(
                vm.distanceMany().orElseThrow(), 2)).contains("1b:00.0").contains("1c:00.0").contains("distance_many");
        robot.type(javafx.scene.input.KeyCode.ESCAPE);
        assertThat(view.presenting()).isFalse();
        assertThat(view.split.getItems()).hasSize(2);
        assertThat(view.canvas().textScale()).isEqualTo(1.0);
    }

    private static void texts(javafx.scene.Node n, String cls, List<Bounds> out) {
        if (!n.isVisible()) return;
        if (n instanceof javafx.scene.text.Text t && t.getStyleClass().contains(cls)) {
            out.add(t.localToScene(t.getBoundsInLocal()));
        }
        if (n instanceof javafx.scene.Parent p) for (javafx.scene.Node c : p.getChildrenUnmodifiable()) texts(c, cls, out);
    }

    @Test
    void noLinkLabelStrikesThroughASwitchTitle() {
        int titles = 0;
        for (String name : Samples.names()) {
            open(name);
            List<Bounds> labels = new java.util.ArrayList<>();
            List<Bounds> switchTitles = new java.util.ArrayList<>();
            robot.interact(() -> {
                view.canvas().zoomProperty().set(1.2);   // full detail: link labels and switch titles shown
                texts(view.canvas().content(), "link-label", labels);
                texts(view.canvas().content(), "switch-title", switchTitles);
            });
            titles += switchTitles.size();
            for (Bounds l : labels) {
                for (Bounds t : switchTitles) assertThat(l.intersects(t)).as(name + ": label " + l + " over " + t).isFalse();
            }
        }
        assertThat(titles).as("samples with switches were checked").isPositive();
    }

    @Test
    void theMovingPacketPassesUnderTheBoxesNeverOverTheirNames() {
        open("qemu-q35-switch-cmb");
        robot.interact(() -> {
            view.canvas().hopDurationProperty().set(javafx.util.Duration.millis(450));
            vm.setPair(a("03:00.0"), a("04:00.0"));
            view.canvas().play();
        });
        List<javafx.scene.Node> layers = List.copyOf(((javafx.scene.Parent) view.canvas().content()).getChildrenUnmodifiable());
        int packetLayer = -1;
        int boxLayer = -1;
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i) instanceof javafx.scene.Parent p) {
                for (javafx.scene.Node c : p.getChildrenUnmodifiable()) {
                    if (c.getStyleClass().contains("packet")) packetLayer = i;
                    if (c == view.canvas().nodeOf(a("03:00.0"))) boxLayer = i;
                }
            }
        }
        robot.interact(() -> view.canvas().stop());
        assertThat(packetLayer).as("the packet is drawn").isNotNegative();
        assertThat(packetLayer).as("drawn before (under) the boxes").isLessThan(boxLayer);
    }

    @Test
    void aMovingViewIsDrawnPlainlyUntilItSettles() {
        org.junit.jupiter.api.Assumptions.assumeTrue(String.valueOf(System.getProperty("prism.order")).startsWith("sw"),
                "plain drawing while moving is for the software pipeline only");
        open("hgx-8gpu-8nic");
        boolean[] during = new boolean[2];
        double[] text = new double[2];
        robot.interact(() -> {
            view.canvas().zoomProperty().set(1.2);
            text[0] = view.canvas().smallestTextDrawn();
            for (int i = 0; i < 10; i++) {
                view.canvas().zoomBy(1.01, 300, 300);
                view.canvas().panBy(5, 0);
            }
            during[0] = view.canvas().movingPlainly();
            during[1] = !view.canvas().nodeOf(a("1a:00.0")).getParent().isVisible();
            text[1] = view.canvas().smallestTextDrawn();
        });
        assertThat(text[0]).as("text at rest").isLessThan(Double.POSITIVE_INFINITY);
        assertThat(during).as("plain boxes while moving").containsExactly(true, true);
        assertThat(text[1]).as("no text while moving").isEqualTo(Double.POSITIVE_INFINITY);
        try {
            WaitForAsyncUtils.waitFor(5, java.util.concurrent.TimeUnit.SECONDS, () -> !view.canvas().movingPlainly());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the view stayed plain after it settled", e);
        }
        robot.interact(() -> {
            during[1] = !view.canvas().nodeOf(a("1a:00.0")).getParent().isVisible();
            text[1] = view.canvas().smallestTextDrawn();
        });
        assertThat(during[1]).as("full drawing once settled").isFalse();
        assertThat(text[1]).as("text back once settled").isLessThan(Double.POSITIVE_INFINITY)
                .isGreaterThanOrEqualTo(TopologyCanvas.MIN_TEXT);
    }
}
