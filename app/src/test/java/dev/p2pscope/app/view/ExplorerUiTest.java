package dev.p2pscope.app.view;

import dev.p2pscope.core.engine.MapType;
import dev.p2pscope.core.model.PciAddress;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/// The main flows in a real window on JavaFX's headless platform: open a sample, pick a pair and read the
/// verdict, toggle an ACS bit and see the changed-pairs count, click a matrix cell, export PNG and SVG.
@Tag("ui")   // a real window on JavaFX's headless platform
class ExplorerUiTest extends MainViewFxTest {

    ExplorerUiTest() {
        super("p2pscope-test", 1400, 900, true);
    }

    @Override
    void opened() {
        view.openSample("acs-redirect-switch");
    }

    static String id(String bdf) {
        return "#node-" + PciAddress.parse(bdf).toString().replace(':', '_').replace('.', '_');
    }

    @Test
    void clickingProviderThenClientShowsTheVerdictAndTheKernelsLines() {
        robot.clickOn(id("0000:03:00.0"));
        robot.clickOn(id("0000:04:00.0"));
        assertThat(vm.verdictProperty().get().mapType()).isEqualTo(MapType.NOT_SUPPORTED);
        assertThat(view.verdict.mapType.getText()).isEqualTo("NOT_SUPPORTED");
        assertThat(view.verdict.warnings.getText()).contains("Host bridge not in P2PDMA whitelist: 8086:3e30");
        assertThat(view.verdict.suggestion.getText()).contains("pci=disable_acs_redir=0000:02:08.0;0000:02:09.0");
        assertThat(view.canvas().nodeOf(PciAddress.parse("0000:02:08.0")).getPseudoClassStates())
                .contains(TopologyCanvas.ON_REFUSED_PATH, TopologyCanvas.REDIRECT)
                .doesNotContain(TopologyCanvas.ON_PATH);   // a refused route is not shaded like a bus-address one
    }

    @Test
    void theListsPickAProviderAndSeveralClientsAndFollowTheCanvas() {
        robot.interact(() -> {
            view.verdict.providerPick.setValue(PciAddress.parse("0000:05:00.0"));
            view.verdict.clientPick.getCheckModel().check(PciAddress.parse("0000:05:00.1"));
            view.verdict.clientPick.getCheckModel().check(PciAddress.parse("0000:03:00.0"));
        });
        assertThat(vm.providerProperty().get()).isEqualTo(PciAddress.parse("0000:05:00.0"));
        assertThat(vm.clients()).containsExactlyInAnyOrder(PciAddress.parse("0000:05:00.1"),
                PciAddress.parse("0000:03:00.0"));
        assertThat(view.verdict.many.getText()).startsWith("distance_many: -1");
        // A click pair on the canvas shows up in the lists.
        robot.clickOn(id("0000:03:00.0"));
        robot.clickOn(id("0000:04:00.0"));
        assertThat(view.verdict.providerPick.getValue()).isEqualTo(PciAddress.parse("0000:03:00.0"));
        assertThat(view.verdict.clientPick.getCheckModel().getCheckedItems())
                .containsExactly(PciAddress.parse("0000:04:00.0"));
        assertThat(view.verdict.many.getText()).isEmpty();
    }

    @Test
    void theVerdictSaysWhenABootParameterIsWhatMakesItPass() {
        // The same switch, booted with pci=disable_acs_redir= for both ports on the path: ACS cleared there.
        var t = vm.topology().toBuilder().host(new dev.p2pscope.core.model.HostInfo("6.12.0",
                "root=/dev/vda1 pci=disable_acs_redir=0000:02:08.0;0000:02:09.0", null)).build();
        robot.interact(() -> {
            vm.show(t);
            vm.apply(dev.p2pscope.core.whatif.WhatIf.acs("0000:02:08.0=0x0011"));
            vm.apply(dev.p2pscope.core.whatif.WhatIf.acs("0000:02:09.0=0x0011"));
            vm.setPair(PciAddress.parse("0000:03:00.0"), PciAddress.parse("0000:04:00.0"));
        });
        assertThat(vm.verdictProperty().get().mapType()).isEqualTo(MapType.BUS_ADDR);
        assertThat(view.verdict.boot.getText())
                .contains("pci=disable_acs_redir=0000:02:08.0 cleared RR/CR/EC on 0000:02:08.0")
                .contains("0000:02:09.0");
    }

    @Test
    void playingTheAnimationAtZeroDurationEndsWhereTheKernelRefuses() {
        robot.interact(() -> vm.setPair(PciAddress.parse("0000:03:00.0"), PciAddress.parse("0000:04:00.0")));
        robot.interact(() -> view.canvas().play());
        int steps = view.canvas().route(vm.verdictProperty().get()).size();
        assertThat(view.canvas().animationStepProperty().get()).isEqualTo(steps - 1);
        // Refused: the route goes up the provider's chain to the host bridge and stops there.
        assertThat(steps).isEqualTo(5);
        assertThat(view.verdict.trace.getSelectionModel().getSelectedIndex()).isGreaterThanOrEqualTo(-1);
    }

    @Test
    void togglingAnAcsBitShowsHowManyPairsChanged() {
        robot.interact(() -> vm.setPair(PciAddress.parse("0000:05:00.0"), PciAddress.parse("0000:05:00.1")));
        robot.interact(() -> vm.select(PciAddress.parse("0000:02:0a.0")));
        robot.interact(() -> view.tabs().getSelectionModel().select(3));
        CheckBox rr = robot.lookup("#acs-bit-RR").queryAs(CheckBox.class);
        assertThat(rr.isSelected()).isTrue();
        robot.clickOn(rr);
        robot.clickOn(robot.lookup("#acs-bit-CR").queryAs(CheckBox.class));
        WaitForAsyncUtils.waitForFxEvents();
        Label count = robot.lookup("#change-count").queryAs(Label.class);
        assertThat(count.getText()).startsWith("2 pair(s) differ from the loaded topology");
        assertThat(vm.verdictProperty().get().mapType()).isEqualTo(MapType.BUS_ADDR);
    }

    @Test
    void clickingAMatrixCellSelectsThatPair() {
        robot.interact(() -> view.tabs().getSelectionModel().select(2));
        robot.clickOn("#cell-0-1");
        assertThat(vm.providerProperty().get()).isEqualTo(vm.matrixProperty().get().devices().get(0));
        assertThat(vm.clients()).containsExactly(vm.matrixProperty().get().devices().get(1));
        assertThat(vm.verdictProperty().get()).isNotNull();
        assertThat(robot.lookup("#cell-0-1").query().getStyleClass()).contains("selected");
        assertThat(robot.lookup("#cell-1-0").query().getStyleClass()).doesNotContain("selected");
        // The matrix stays in front, so the next cell is one click away; from the lesson the verdict comes forward.
        assertThat(view.tabs().getSelectionModel().getSelectedItem().getText()).isEqualTo("Matrix");
        robot.interact(() -> view.selectTab("Lesson"));
        robot.interact(() -> vm.setPair(vm.matrixProperty().get().devices().get(1),
                vm.matrixProperty().get().devices().get(0)));
        assertThat(view.tabs().getSelectionModel().getSelectedItem().getText()).isEqualTo("Verdict");
        assertThat(robot.lookup("#cell-1-0").query().getStyleClass()).contains("selected");
        assertThat(robot.lookup("#cell-0-1").query().getStyleClass()).doesNotContain("selected");
    }

    @Test
    void aLargeMatrixIsVirtualizedAndItsCellsStillSelectPairs() {
        var t = dev.p2pscope.core.generate.TopologyGenerator.generate(
                dev.p2pscope.core.generate.TopologyGenerator.Spec.forEndpoints(600, 3));
        robot.interact(() -> {
            vm.show(t);
            view.tabs().getSelectionModel().select(2);
        });
        WaitForAsyncUtils.waitForFxEvents();
        int n = vm.matrixProperty().get().size();
        assertThat(n).isGreaterThan(MatrixView.GRID_LIMIT);
        MatrixCanvas m = view.matrix().large;
        assertThat(m.getScene()).isNotNull();
        // Only the cells in view are drawn, a small fraction of n x n.
        assertThat(m.cellsDrawn()).isPositive().isLessThan(n * n / 50);
        // Scroll to the far corner, then click the first visible cell: that pair is selected.
        robot.interact(() -> {
            m.hbar.setValue(m.hbar.getMax());
            m.vbar.setValue(m.vbar.getMax());
        });
        double x = MatrixCanvas.ROW_HEADER_W + 3;
        double y = MatrixCanvas.COLUMN_HEADER_H + 3;
        int[] cell = m.cellAt(x, y);
        assertThat(cell[0]).isGreaterThan(n / 2);
        assertThat(cell[1]).isGreaterThan(n / 2);
        robot.clickOn(m.localToScreen(x, y));
        assertThat(vm.providerProperty().get()).isEqualTo(vm.matrixProperty().get().devices().get(cell[0]));
        assertThat(vm.clients()).containsExactly(vm.matrixProperty().get().devices().get(cell[1]));
        assertThat(m.cellAt(MatrixCanvas.ROW_HEADER_W - 1, y)).isNull();
    }

    @Test
    void theSglTabIsMappedBeforeAnyoneAsksAndFollowsThePair() {
        // Opened, nothing picked: core's suggestion is already mapped, with its client named.
        assertThat(view.sgl.client.getText()).startsWith("0000:").contains("suggested");
        assertThat(view.sgl.segments.getText()).startsWith("host:0x100000+4096,p2p:");
        assertThat(view.sgl.table.getText()).contains("entries in").contains("NVMe command");
        robot.interact(() -> vm.setPair(PciAddress.parse("0000:03:00.0"), PciAddress.parse("0000:04:00.0")));
        assertThat(view.sgl.client.getText()).startsWith("0000:04:00.0").contains("selected pair");
        assertThat(view.sgl.segments.getText()).contains("p2p:0000:03:00.0@");
        // A page from a function without p2pmem is refused as input, not mapped to EREMOTEIO.
        robot.interact(() -> {
            view.sgl.segments.setText("p2p:0000:01:00.0@0+4096");
            view.sgl.map();
        });
        assertThat(view.sgl.table.getText()).startsWith("Cannot map: 0000:01:00.0 has no p2pmem");
        assertThat(view.sgl.steps.getItems()).isEmpty();
        // What the user typed survives a what-if edit of the same topology, and is mapped again under it.
        robot.interact(() -> view.sgl.segments.setText("p2p:0000:03:00.0@0x1000+4096"));
        robot.interact(() -> vm.apply(dev.p2pscope.core.whatif.WhatIf.acs("0000:02:08.0=0x0011")));
        assertThat(view.sgl.segments.getText()).isEqualTo("p2p:0000:03:00.0@0x1000+4096");
        assertThat(view.sgl.table.getText()).contains("p2p:0000:03:00.0@0x1000+4096");
    }

    @Test
    void theSglTabMapsHostAndP2pPagesForTheSelectedClient() {
        robot.interact(() -> vm.setPair(PciAddress.parse("0000:03:00.0"), PciAddress.parse("0000:04:00.0")));
        robot.interact(() -> vm.apply(dev.p2pscope.core.whatif.WhatIf.acs("0000:02:08.0=0x0011")));
        robot.interact(() -> vm.apply(dev.p2pscope.core.whatif.WhatIf.acs("0000:02:09.0=0x0011")));
        robot.interact(() -> view.tabs().getSelectionModel().select(4));
        robot.interact(() -> view.sgl.map());
        assertThat(view.sgl.table.getText()).contains("PCI bus address").contains("PRP1 =");
        assertThat(view.sgl.outcome.getText()).startsWith("O_DIRECT").contains("P2P_BUS_ADDR");
        assertThat(view.sgl.steps.getItems()).isNotEmpty();
    }

    @Test
    void theHostTabOffersToDeriveUnknownAcs() {
        robot.interact(() -> view.tabs().getSelectionModel().select(5));
        assertThat(view.host.facts.getText()).contains("CPU").contains("GenuineIntel");
        assertThat(view.host.derive.isDisabled()).isTrue();   // every ACS in the sample is known
    }

    @Test
    @Tag("live")   // copies a file on this machine's filesystem
    void theLiveTabCopiesThroughAnEmulatedBufferAndChecks(@TempDir Path dir) throws Exception {
        byte[] data = new byte[1 << 20];
        new java.util.Random(5).nextBytes(data);
        Path src = dir.resolve("src");
        Files.write(src, data);
        robot.interact(() -> {
            vm.setPair(PciAddress.parse("0000:05:00.0"), PciAddress.parse("0000:05:00.1"));
            view.tabs().getSelectionModel().select(6);
            view.live().source.setText(src.toString());
            view.live().destination.setText(dir.resolve("dst").toString());
            view.live().chunkSize.setText("65536");
            view.live().chunks.setText("16");
            view.live().check.setSelected(true);
            view.live().run.fire();
        });
        WaitForAsyncUtils.waitForFxEvents();
        org.junit.jupiter.api.Assumptions.assumeFalse(view.live().result.getText().contains("Invalid argument"),
                "this filesystem refuses O_DIRECT");
        assertThat(view.live().result.getText()).contains("EMULATED").contains("MATCH on data check").contains("Transfer");
        assertThat(Files.readAllBytes(dir.resolve("dst"))).hasSize(1 << 20);
        // The chart shows the copy (a sub-second copy draws its average) and its axis scales to it.
        WaitForAsyncUtils.waitForFxEvents();
        robot.interact(() -> view.live().layout());
        double top = view.live().rate.getData().stream().mapToDouble(d -> d.getYValue().doubleValue()).max().orElse(0);
        assertThat(top).isPositive();
        assertThat(view.live().rateAxis.getUpperBound()).isGreaterThanOrEqualTo(top);
        // The selected pair's path is animated at the measured rate.
        assertThat(view.live().pace.getText()).startsWith("path animated at").contains("MB/s");
        assertThat(view.canvas().playbackRateProperty().get()).isNotEqualTo(1.0)
                .isBetween(LiveView.MIN_RATE, LiveView.MAX_RATE);
        // Buffers are this host's providers (from its sysfs), never the sample's: the sample's CMB is not offered.
        assertThat(view.live().buffer.getItems()).contains(LiveView.AUTO).doesNotContain("0000:03:00.0 p2pmem");
        // auto is decided against this host's sysfs, whatever the window shows; here the temporary files are not
        // on an NVMe namespace with a CMB provider, so the plan is refused and says why.
        robot.interact(() -> {
            view.live().buffer.setValue(LiveView.AUTO);
            view.live().preflight.fire();
        });
        assertThat(view.live().result.getText()).contains("REFUSED");
    }

    @Test
    void packetSpeedFollowsTheMeasuredThroughput() {
        assertThat(LiveView.playbackRate(LiveView.BASE_MBS)).isEqualTo(1.0);
        assertThat(LiveView.playbackRate(2 * LiveView.BASE_MBS)).isEqualTo(2.0);
        assertThat(LiveView.playbackRate(0)).isEqualTo(LiveView.MIN_RATE);
        assertThat(LiveView.playbackRate(1e9)).isEqualTo(LiveView.MAX_RATE);
        assertThat(LiveView.playbackRate(Double.NaN)).isEqualTo(LiveView.MIN_RATE);
    }

    @Test
    void exportsPngAndSvgOfTheCanvas(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("canvas.png");
        Path svg = dir.resolve("canvas.svg");
        robot.interact(() -> {
            try {
                view.exportPng(png);
                view.exportSvg(svg);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Image img = new Image(png.toUri().toString());
        assertThat(img.getWidth()).isEqualTo(Math.ceil(view.canvas().treeLayout().width()), org.assertj.core.data.Offset.offset(2.0));
        assertThat(img.getHeight()).isGreaterThan(100);
        assertThat(Files.readString(svg)).startsWith("<svg").contains("0000:03:00.0").contains("</svg>");
    }

    @Test
    void exportsCaptureOnTheFxThreadAndWriteAnywhere(@TempDir Path dir) throws Exception {
        // Captured on the FX thread...
        MainView.Export[] exports = new MainView.Export[3];
        robot.interact(() -> {
            exports[0] = view.csvExport();
            exports[1] = view.jsonExport();
            exports[2] = view.pngExport();
        });
        // ...written from another thread, as the Export menu does in the background.
        exports[0].writeTo(dir.resolve("m.csv"));
        exports[1].writeTo(dir.resolve("t.json"));
        exports[2].writeTo(dir.resolve("c.png"));
        var csv = Files.readAllLines(dir.resolve("m.csv"));
        var m = vm.matrixProperty().get();
        assertThat(csv).hasSize(m.size() + 1);
        assertThat(csv.getFirst()).isEqualTo("provider\\client,0000:03:00.0,0000:04:00.0,0000:05:00.0,0000:05:00.1");
        assertThat(csv.get(1)).startsWith("0000:03:00.0,BUS_ADDR:0,NOT_SUPPORTED:-1,");
        var back = dev.p2pscope.core.topology.TopologyJson.read(dir.resolve("t.json")).topology();
        assertThat(back.size()).isEqualTo(vm.topology().size());
        assertThat(new Image(dir.resolve("c.png").toUri().toString()).getWidth()).isGreaterThan(100);
    }
}
