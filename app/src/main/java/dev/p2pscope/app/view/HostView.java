package dev.p2pscope.app.view;

import dev.p2pscope.app.viewmodel.HostViewModel;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.VBox;

/// The host around the tree: CPU, kernel, boot parameters, IOMMU, and what they mean for P2PDMA. Binds to
/// [HostViewModel].
final class HostView extends VBox {

    final TextArea facts = new TextArea();
    final Button derive = new Button("Derive unknown ACS from the IOMMU and boot parameters");
    final Label note = new Label();

    HostView(HostViewModel model) {
        super(8);
        facts.setEditable(false);
        facts.setWrapText(true);
        facts.setPrefRowCount(14);
        facts.getStyleClass().add("kernel-log");
        facts.textProperty().bind(model.factsProperty());
        note.setWrapText(true);
        note.textProperty().bind(model.noteProperty());
        derive.disableProperty().bind(model.canDeriveProperty().not());
        derive.setOnAction(e -> model.deriveAcs());
        getChildren().addAll(facts, derive, note);
    }
}
