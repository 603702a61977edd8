package dev.p2pscope.app.view;

import dev.p2pscope.app.viewmodel.SglViewModel;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/// Scatter-gather mapping of host and p2pmem pages for the selected client: the mapping table, the NVMe command,
/// the O_DIRECT outcome, and the steps one at a time. Binds to [SglViewModel]; pre-mapped with core's suggestion.
final class SglView extends VBox {

    final SglViewModel model;
    final Label client = new Label();
    final TextField segments = new TextField();
    final CheckBox iommu = new CheckBox("IOMMU (dma-iommu)");
    final CheckBox sgls = new CheckBox("controller supports SGLs");
    final Button run = new Button("Map");
    final Button step = new Button("Step");
    final TextArea table = new TextArea();
    final ListView<String> steps = new ListView<>();
    final Label outcome = new Label();

    SglView(SglViewModel model) {
        super(6);
        this.model = model;
        getStyleClass().add("sgl-view");
        client.textProperty().bind(model.clientLabelProperty());
        client.setWrapText(true);
        segments.textProperty().bindBidirectional(model.segmentsProperty());
        segments.setPromptText("host:0x100000+4096,p2p:0000:03:00.0@0+8192");
        segments.setOnAction(e -> model.map());
        iommu.selectedProperty().bindBidirectional(model.iommuProperty());
        sgls.selectedProperty().bindBidirectional(model.sglCapableProperty());
        iommu.setOnAction(e -> model.map());
        sgls.setOnAction(e -> model.map());
        table.setEditable(false);
        table.setPrefRowCount(16);
        table.getStyleClass().add("kernel-log");
        table.textProperty().bind(model.tableProperty());
        outcome.setWrapText(true);
        outcome.textProperty().bind(model.outcomeProperty());
        steps.setItems(model.steps());
        steps.setPrefHeight(160);
        steps.setPlaceholder(new Label("No steps: nothing was mapped."));
        run.setOnAction(e -> map());
        run.setDefaultButton(false);
        step.setOnAction(e -> {
            int i = steps.getSelectionModel().getSelectedIndex() + 1;
            if (i < steps.getItems().size()) {
                steps.getSelectionModel().select(i);
                steps.scrollTo(i);
            }
        });
        Label hint = new Label("host:PHYS+LEN for host RAM, p2p:PROVIDER@OFFSET+LEN for a provider's p2pmem; "
                + "numbers in hex (0x) or decimal, k/M suffixes.");
        hint.setWrapText(true);
        hint.getStyleClass().add("hint");
        getChildren().addAll(section("Client"), client, section("Scatterlist"), segments, hint,
                new HBox(10, iommu, sgls, run, step), section("dma_map_sgtable() and the NVMe command"), table,
                section("O_DIRECT into this p2pmem"), outcome, section("Steps"), steps);
    }

    static Label section(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("section");
        return l;
    }

    void map() {
        model.map();
    }
}
