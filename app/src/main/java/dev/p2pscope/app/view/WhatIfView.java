package dev.p2pscope.app.view;

import dev.p2pscope.app.viewmodel.ExplorerViewModel;
import dev.p2pscope.core.engine.KernelSession;
import dev.p2pscope.core.engine.VerdictMatrix;
import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.Cpu;
import dev.p2pscope.core.model.CpuVendor;
import dev.p2pscope.core.model.Edit;
import dev.p2pscope.core.model.KernelProfile;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.whatif.WhatIf;
import javafx.beans.binding.Bindings;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import java.util.ArrayList;
import java.util.List;

/// What-if editing: ACS bits of the selected function, the host-bridge allowlist, the CPU and the kernel profile.
/// Every change lists the pairs whose verdict changed and the commands that would make an ACS change real.
final class WhatIfView extends VBox {

    static final String[] BITS = {"SV", "TB", "RR", "CR", "UF", "EC", "DT"};
    final List<CheckBox> acsBits = new ArrayList<>();
    final CheckBox hasAcs = new CheckBox("has ACS capability");
    final Label target = new Label("Select a function (click it) to edit its ACS bits.");
    final TextField allowEntry = new TextField();
    final ComboBox<String> cpu = new ComboBox<>();
    final ComboBox<String> kernel = new ComboBox<>();
    final ListView<VerdictMatrix.PairChange> changes = new ListView<>();
    final Label changeCount = new Label("No edits yet.");
    /// What a running kernel would still believe after these edits made with setpci, until a reboot.
    final Label runtime = new Label();
    final TextArea commands = new TextArea();
    private final ExplorerViewModel vm;
    private boolean updating;

    WhatIfView(ExplorerViewModel vm) {
        super(8);
        this.vm = vm;
        getStyleClass().add("what-if-view");
        FlowPane bits = new FlowPane(8, 4);
        for (int i = 0; i < BITS.length; i++) {
            CheckBox c = new CheckBox(BITS[i]);
            c.setId("acs-bit-" + BITS[i]);
            final int bit = 1 << i;
            c.setOnAction(e -> {
                if (!updating && vm.selectedProperty().get() != null) vm.toggleAcsBit(vm.selectedProperty().get(), bit);
            });
            acsBits.add(c);
            bits.getChildren().add(c);
        }
        hasAcs.setOnAction(e -> {
            PciAddress a = vm.selectedProperty().get();
            if (updating || a == null) return;
            vm.apply(new Edit.SetAcs(a, hasAcs.isSelected() ? Acs.control(0) : Acs.ABSENT));
        });
        allowEntry.setPromptText("VVVV:DDDD[:same]");
        Button allow = new Button("Allow");
        Button deny = new Button("Remove");
        allow.setOnAction(e -> edit(() -> WhatIf.allow(allowEntry.getText())));
        deny.setOnAction(e -> edit(() -> WhatIf.deny(allowEntry.getText())));
        cpu.getItems().addAll("GenuineIntel:6", "AuthenticAMD:0x15", "AuthenticAMD:0x17", "AuthenticAMD:0x19",
                "HygonGenuine:0x18", "non-x86");
        cpu.setEditable(true);
        cpu.setPromptText("CPU vendor:family");
        cpu.setOnAction(e -> {
            if (!updating && cpu.getValue() != null && !cpu.getValue().isBlank()) edit(() -> WhatIf.cpu(cpu.getValue()));
        });
        kernel.getItems().addAll(KernelProfile.NEWEST.id(), KernelProfile.V5_15.id());
        kernel.setOnAction(e -> {
            if (!updating && kernel.getValue() != null) edit(() -> WhatIf.kernel(kernel.getValue()));
        });
        Button undo = new Button("Undo");
        Button redo = new Button("Redo");
        Button reset = new Button("Reset");
        undo.disableProperty().bind(vm.canUndo().not());
        redo.disableProperty().bind(vm.canRedo().not());
        reset.disableProperty().bind(vm.canUndo().not());
        undo.setOnAction(e -> vm.undo());
        redo.setOnAction(e -> vm.redo());
        reset.setOnAction(e -> vm.reset());
        commands.setEditable(false);
        commands.setPrefRowCount(6);
        commands.getStyleClass().add("kernel-log");
        changes.setPrefHeight(200);
        changes.setOnMouseClicked(e -> {
            VerdictMatrix.PairChange c = changes.getSelectionModel().getSelectedItem();
            if (c != null) vm.setPair(c.provider(), c.client());
        });
        Bindings.bindContent(changes.getItems(), vm.changedPairs());
        changeCount.setId("change-count");
        getChildren().addAll(section("ACS Control of the selected function"), target, hasAcs, bits,
                section("Host-bridge allowlist"), new HBox(6, allowEntry, allow, deny),
                section("CPU and kernel"), new HBox(6, new Label("CPU"), cpu, new Label("kernel"), kernel),
                new HBox(6, undo, redo, reset), section("Pairs whose verdict changed"), changeCount, changes, runtime,
                section("To make the ACS edits real (dry run: shown, never executed)"), commands);
        vm.selectedProperty().addListener((o, a, b) -> refresh());
        vm.topologyProperty().addListener((o, a, b) -> refresh());
        vm.changedPairs().addListener((javafx.collections.ListChangeListener<VerdictMatrix.PairChange>) c -> {
            refresh();
            runtime.setText(runtimeText(vm.staleUntilReboot(RUNTIME_LIMIT)));
        });
        runtime.setWrapText(true);
        runtime.setId("runtime-belief");
    }

    static final int RUNTIME_LIMIT = 5000;

    static String runtimeText(List<KernelSession.StaleEntry> stale) {
        if (stale.isEmpty()) return "";
        KernelSession.StaleEntry e = stale.getFirst();
        return "Made at run time (setpci) instead of at boot, these edits leave the running kernel's DMA mappings "
                + "(pci_p2pdma_map_type) on the cached decision for " + stale.size() + " pair(s): the provider's "
                + "map-type cache is never invalidated, only overwritten when a driver asks pci_p2pdma_distance() "
                + "again. E.g. " + e.provider() + " \u2192 " + e.client() + " is still " + e.believed()
                + "; after a reboot " + e.afterReboot() + ".";
    }

    private void edit(java.util.function.Supplier<Edit> make) {
        try {
            vm.apply(make.get());
        } catch (IllegalArgumentException ex) {
            changeCount.setText(ex.getMessage());
        }
    }

    private static Label section(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("section");
        return l;
    }

    private void refresh() {
        updating = true;
        try {
            PciAddress a = vm.selectedProperty().get();
            PciFunction f = a == null || vm.topology() == null ? null : vm.topology().function(a).orElse(null);
            target.setText(f == null ? "Select a function (click it) to edit its ACS bits." : f.address() + "  "
                    + f.displayName());
            boolean present = f != null && f.acs() instanceof Acs.Present;
            hasAcs.setDisable(f == null);
            hasAcs.setSelected(present);
            int control = f != null && f.acs() instanceof Acs.Present p ? p.control() : 0;
            for (int i = 0; i < acsBits.size(); i++) {
                acsBits.get(i).setDisable(f == null);
                acsBits.get(i).setSelected(((control >> i) & 1) == 1);
            }
            if (vm.topology() != null) {
                Cpu c = vm.topology().cpu();
                cpu.setValue(c.vendor() == CpuVendor.UNKNOWN ? null
                        : c.vendor() == CpuVendor.NON_X86 ? "non-x86"
                        : c.vendor().id() + ":0x" + Integer.toHexString(c.family()));
                kernel.setValue(vm.topology().kernel().id());
            }
            changeCount.setText(vm.edits().isEmpty() ? "No edits yet." : vm.changedPairs().size()
                    + " pair(s) changed after: " + vm.edits().getLast().describe());
            commands.setText(vm.topology() == null ? "" : String.join("\n", vm.acsCommands()));
        } finally {
            updating = false;
        }
    }
}
