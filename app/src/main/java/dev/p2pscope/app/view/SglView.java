package dev.p2pscope.app.view;

import dev.p2pscope.app.viewmodel.ExplorerViewModel;
import dev.p2pscope.core.engine.KernelSession;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.sgl.DirectIo;
import dev.p2pscope.core.sgl.DmaConfig;
import dev.p2pscope.core.sgl.NvmeCommand;
import dev.p2pscope.core.sgl.Segment;
import dev.p2pscope.core.sgl.SgTable;
import dev.p2pscope.core.sgl.SglMapper;
import dev.p2pscope.core.text.SglText;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import java.util.List;

/// Scatter-gather mapping of host and p2pmem pages for the selected client: the mapping table, the NVMe command,
/// the O_DIRECT outcome, and the steps one at a time.
final class SglView extends VBox {

    final TextField segments = new TextField();
    final CheckBox iommu = new CheckBox("IOMMU (dma-iommu)");
    final CheckBox sgls = new CheckBox("controller supports SGLs");
    final Button run = new Button("Map");
    final Button step = new Button("Step");
    final TextArea table = new TextArea();
    final ListView<String> steps = new ListView<>();
    final Label outcome = new Label();
    private final ExplorerViewModel vm;

    SglView(ExplorerViewModel vm) {
        super(8);
        this.vm = vm;
        segments.setPromptText("host:0x100000+4096,p2p:0000:03:00.0@0+8192");
        table.setEditable(false);
        table.setPrefRowCount(16);
        table.getStyleClass().add("kernel-log");
        outcome.setWrapText(true);
        steps.setPrefHeight(160);
        run.setOnAction(e -> map());
        step.setOnAction(e -> {
            int i = steps.getSelectionModel().getSelectedIndex() + 1;
            if (i < steps.getItems().size()) {
                steps.getSelectionModel().select(i);
                steps.scrollTo(i);
            }
        });
        Label hint = new Label("Client: the selected pair's client. Segments: host:PHYS+LEN or p2p:PROVIDER@OFFSET+LEN.");
        hint.setWrapText(true);
        getChildren().addAll(hint, segments, new HBox(10, iommu, sgls, run, step), table, outcome, steps);
        vm.verdictProperty().addListener((o, a, v) -> {
            if (v != null) {
                segments.setText("host:0x100000+4096,p2p:" + v.provider() + "@0+8192");
            }
        });
    }

    void map() {
        Topology t = vm.topology();
        if (t == null || vm.clients().isEmpty()) {
            table.setText("Pick a provider and a client on the canvas first.");
            return;
        }
        PciAddress client = vm.clients().getLast();
        try {
            List<Segment> list = Segment.parseList(segments.getText());
            DmaConfig dma = iommu.isSelected() ? DmaConfig.iommu() : DmaConfig.direct();
            SgTable result = new SglMapper(t, new KernelSession(t), List.of(), true).map(client, list, dma);
            NvmeCommand nvme = NvmeCommand.of(result, sgls.isSelected(), t.kernel());
            table.setText(SglText.render(client, dma, t.kernel(), result, nvme));
            steps.getItems().setAll(result.trace());
            Segment firstP2p = list.stream().filter(Segment::isP2p).findFirst().orElse(null);
            if (firstP2p != null) {
                DirectIo.Outcome o = DirectIo.predict(t, new DirectIo.Request(DirectIo.Buffer.P2PMEM_ALLOCATE,
                        firstP2p.provider(), client, true, true, 0, false));
                outcome.setText("O_DIRECT with a buffer mmapped from " + firstP2p.provider() + "'s p2pmem/allocate: "
                        + o.result() + "\n" + String.join("\n", o.reasons()));
            } else {
                outcome.setText("");
            }
        } catch (IllegalArgumentException ex) {
            table.setText("Cannot map: " + ex.getMessage());
        }
    }
}
