package dev.p2pscope.app.view;

import dev.p2pscope.app.viewmodel.ExplorerViewModel;
import dev.p2pscope.app.viewmodel.WhatIfViewModel;
import dev.p2pscope.core.engine.VerdictMatrix;
import dev.p2pscope.core.model.KernelProfile;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

import java.util.ArrayList;
import java.util.List;

/// What-if editing as a lab notebook: ACS bits of a function chosen here (without changing the pair being
/// studied), the host-bridge allowlist, the CPU and the kernel profile; the edits so far, every pair whose verdict
/// differs from the loaded topology, and the commands that would make an ACS change real. Binds to a
/// [WhatIfViewModel].
final class WhatIfView extends VBox {

    static final String[] BITS = {"SV", "TB", "RR", "CR", "UF", "EC", "DT"};
    final List<CheckBox> acsBits = new ArrayList<>();
    final CheckBox hasAcs = new CheckBox("has ACS capability");
    /// The function whose ACS is edited: bridges first.
    final ComboBox<PciAddress> target = new ComboBox<>();
    final TextField allowEntry = new TextField();
    final ComboBox<String> cpu = new ComboBox<>();
    final ComboBox<String> kernel = new ComboBox<>();
    final ListView<VerdictMatrix.PairChange> changes = new ListView<>();
    final ListView<String> editList = new ListView<>();
    final Label changeCount = new Label();
    /// What a running kernel would still believe after these edits made with setpci, until a reboot.
    final Label runtime = new Label();
    final TextArea commands = new TextArea();
    private final WhatIfViewModel model;
    private boolean updating;

    WhatIfView(ExplorerViewModel vm) {
        super(8);
        this.model = new WhatIfViewModel(vm);
        getStyleClass().add("what-if-view");
        FlowPane bits = new FlowPane(8, 4);
        for (int i = 0; i < BITS.length; i++) {
            CheckBox c = new CheckBox(BITS[i]);
            c.setId("acs-bit-" + BITS[i]);
            final int bit = 1 << i;
            c.setOnAction(e -> {
                if (!updating) model.toggleBit(bit);
            });
            acsBits.add(c);
            bits.getChildren().add(c);
        }
        hasAcs.setId("has-acs");
        hasAcs.setOnAction(e -> {
            if (!updating) model.setHasAcs(hasAcs.isSelected());
        });
        target.setId("acs-target");
        target.setPromptText("choose a bridge or function");
        target.setPrefWidth(330);
        target.setItems(model.editable());
        target.setConverter(new StringConverter<>() {
            @Override
            public String toString(PciAddress a) {
                if (a == null) return "";
                var t = vm.topology();
                PciFunction f = t == null ? null : t.function(a).orElse(null);
                return f == null ? a.toString() : a + "  " + f.kind().jsonName().replace('_', ' ') + "  "
                        + f.displayName();
            }

            @Override
            public PciAddress fromString(String s) {
                return s == null || s.isBlank() ? null : PciAddress.parseLenient(s.trim().split("\\s+")[0]);
            }
        });
        target.valueProperty().addListener((o, a, b) -> {
            if (!updating && b != null) model.setTarget(b);
        });
        allowEntry.setPromptText("VVVV:DDDD[:same]");
        Button allow = new Button("Allow");
        Button deny = new Button("Remove");
        allow.setOnAction(e -> model.allow(allowEntry.getText()));
        deny.setOnAction(e -> model.deny(allowEntry.getText()));
        cpu.getItems().addAll("GenuineIntel:6", "AuthenticAMD:0x15", "AuthenticAMD:0x17", "AuthenticAMD:0x19",
                "HygonGenuine:0x18", "non-x86");
        cpu.setEditable(true);
        cpu.setPromptText("CPU vendor:family");
        cpu.setOnAction(e -> {
            if (!updating && cpu.getValue() != null && !cpu.getValue().isBlank()) model.cpu(cpu.getValue());
        });
        kernel.getItems().addAll(KernelProfile.NEWEST.id(), KernelProfile.V5_15.id());
        kernel.setOnAction(e -> {
            if (!updating && kernel.getValue() != null) model.kernel(kernel.getValue());
        });
        Button undo = new Button("Undo");
        Button redo = new Button("Redo");
        Button reset = new Button("Reset");
        undo.disableProperty().bind(model.canUndo().not());
        redo.disableProperty().bind(model.canRedo().not());
        reset.disableProperty().bind(model.canUndo().not());
        undo.setOnAction(e -> model.undo());
        redo.setOnAction(e -> model.redo());
        reset.setOnAction(e -> model.reset());
        commands.setEditable(false);
        commands.setPrefRowCount(5);
        commands.getStyleClass().add("kernel-log");
        changes.setPrefHeight(200);
        changes.setId("changed-pairs");
        changes.setOnMouseClicked(e -> {
            VerdictMatrix.PairChange c = changes.getSelectionModel().getSelectedItem();
            if (c != null) model.open(c);
        });
        // The view model's own list, not a copy: its rows are made as the list view shows them (millions after an
        // allowlist edit on a large tree).
        changes.setItems(model.changedPairs());
        editList.setId("edit-list");
        editList.setPrefHeight(90);
        editList.setPlaceholder(new Label("No edits: the topology is as loaded."));
        Bindings.bindContent(editList.getItems(), model.editList());
        changeCount.setId("change-count");
        changeCount.setWrapText(true);
        changeCount.textProperty().bind(model.summaryProperty());
        runtime.setWrapText(true);
        runtime.setId("runtime-belief");
        runtime.textProperty().bind(model.runtimeProperty());
        commands.textProperty().bind(model.commandsProperty());
        Label targetLabel = new Label("function");
        targetLabel.setMinWidth(Region.USE_PREF_SIZE);
        HBox targetRow = new HBox(6, targetLabel, target);
        targetRow.setAlignment(Pos.CENTER_LEFT);
        Label cpuLabel = new Label("CPU");
        Label kernelLabel = new Label("kernel");
        cpuLabel.setMinWidth(Region.USE_PREF_SIZE);
        kernelLabel.setMinWidth(Region.USE_PREF_SIZE);
        HBox cpuRow = new HBox(6, cpuLabel, cpu, kernelLabel, kernel);
        cpuRow.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(section("ACS Control (choose a function here, or right-click it on the canvas: the pair "
                        + "you study stays)"), targetRow, hasAcs, bits,
                section("Host-bridge allowlist"), new HBox(6, allowEntry, allow, deny),
                section("CPU and kernel"), cpuRow,
                section("Edits, in order"), editList, new HBox(6, undo, redo, reset),
                section("Pairs whose verdict differs from the loaded topology"), changeCount, changes, runtime,
                section("To make the ACS edits real (dry run: shown, never executed)"), commands);
        model.targetProperty().addListener((o, a, b) -> refresh());
        vm.topologyProperty().addListener((o, a, b) -> refresh());
        refresh();
    }

    WhatIfViewModel model() {
        return model;
    }

    /// The banner the Verdict tab shows while edits are active.
    Label banner() {
        Label b = new Label();
        b.getStyleClass().add("what-if-banner");
        b.setId("what-if-banner");
        b.setWrapText(true);
        b.setMaxWidth(Double.MAX_VALUE);
        b.textProperty().bind(model.bannerProperty());
        b.managedProperty().bind(b.textProperty().isNotEmpty());
        b.visibleProperty().bind(b.textProperty().isNotEmpty());
        return b;
    }

    private static Label section(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("section");
        l.setWrapText(true);
        return l;
    }

    private void refresh() {
        updating = true;
        try {
            PciFunction f = model.targetFunction();
            target.setValue(f == null ? null : f.address());
            hasAcs.setDisable(f == null);
            hasAcs.setSelected(model.hasAcs());
            int control = model.acsControl();
            for (int i = 0; i < acsBits.size(); i++) {
                acsBits.get(i).setDisable(f == null);
                acsBits.get(i).setSelected(((control >> i) & 1) == 1);
            }
            cpu.setValue(model.cpuText());
            kernel.setValue(model.kernelText());
        } finally {
            updating = false;
        }
    }
}
