package dev.p2pscope.app.view;

import dev.p2pscope.app.viewmodel.ExplorerViewModel;
import dev.p2pscope.core.engine.ProviderChoice;
import dev.p2pscope.core.engine.TraceStep;
import dev.p2pscope.core.engine.Verdict;
import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.text.VerdictText;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Slider;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import javafx.util.StringConverter;
import org.controlsfx.control.CheckComboBox;
import org.controlsfx.control.SearchableComboBox;

import java.util.List;
import java.util.Locale;

/// The verdict for the chosen pair: map type, distance, the reason in plain words, the decision's steps (in
/// sync with the animation), the kernel's own log lines, and the boot parameter that would lift an ACS redirect.
final class VerdictView extends VBox {

    final Label mapType = new Label("Pick a provider, then a client, on the canvas.");
    final Label distance = new Label();
    final Label reason = new Label();
    final ListView<TraceStep> trace = new ListView<>();
    final TextArea warnings = new TextArea();
    final Label suggestion = new Label();
    final Button play = new Button("\u25b6 Play");
    final Button pause = new Button("Pause");
    final Button step = new Button("Step");
    final Button copy = new Button("Copy text");
    final Button findProvider = new Button("Find provider");
    final Slider speed = new Slider(0.25, 4, 1);
    /// Choosing from lists, beside clicking on the canvas: one provider, one or more clients.
    /// Searchable (type part of a BDF or name), endpoints first: a large host has thousands of functions.
    final ComboBox<PciAddress> providerPick = new SearchableComboBox<>();
    final CheckComboBox<PciAddress> clientPick = new CheckComboBox<>();
    /// Adds one client found by typing (the check list cannot be searched).
    final ComboBox<PciAddress> addClient = new SearchableComboBox<>();
    final Label many = new Label();
    /// How the boot parameters bear on this verdict (`pci=disable_acs_redir=`, `pci=config_acs=`, IOMMU off).
    final Label boot = new Label();
    private boolean syncing;
    private static final double PICKER_WIDTH = 165;

    VerdictView(ExplorerViewModel vm, TopologyCanvas canvas) {
        super(8);
        getStyleClass().add("verdict-view");
        mapType.getStyleClass().add("map-type");
        mapType.setWrapText(true);
        reason.setWrapText(true);
        suggestion.setWrapText(true);
        suggestion.getStyleClass().add("suggestion");
        boot.setWrapText(true);
        for (Label l : List.of(many, boot)) {   // take no room while empty
            l.managedProperty().bind(l.textProperty().isNotEmpty());
            l.visibleProperty().bind(l.textProperty().isNotEmpty());
        }
        boot.getStyleClass().add("boot-effect");
        warnings.setEditable(false);
        warnings.setWrapText(true);
        warnings.setPrefRowCount(8);   // four kernel lines, each wrapping once at the default width
        warnings.getStyleClass().add("kernel-log");
        trace.setPrefHeight(220);
        trace.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(TraceStep s, boolean empty) {
                super.updateItem(s, empty);
                getStyleClass().remove("blocking");
                if (empty || s == null) {
                    setText(null);
                    return;
                }
                setText(VerdictText.step(s));
                setWrapText(true);
                setPrefWidth(0);
                if (s.blocking()) getStyleClass().add("blocking");
            }
        });
        speed.setShowTickLabels(true);
        speed.setMajorTickUnit(1);
        speed.valueProperty().addListener((o, a, b) ->
                canvas.hopDurationProperty().set(Duration.millis(450 / b.doubleValue())));
        play.setOnAction(e -> canvas.play());
        pause.setOnAction(e -> canvas.pause());
        step.setOnAction(e -> canvas.step());
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(text(vm));
            Clipboard.getSystemClipboard().setContent(c);
        });
        findProvider.setOnAction(e -> {
            if (vm.clients().isEmpty()) return;
            ProviderChoice c = vm.findProvider(0);
            reason.setText("find-provider " + VerdictText.chosen(c, 0L));
        });
        HBox controls = new HBox(6, play, pause, step, new Label("speed"), speed, copy, findProvider);
        StringConverter<PciAddress> names = new StringConverter<>() {
            @Override
            public String toString(PciAddress a) {
                if (a == null) return "";
                Topology t = vm.topology();
                return t != null && t.contains(a) ? a + "  " + t.require(a).displayName() : a.toString();
            }

            @Override
            public PciAddress fromString(String s) {
                return PciAddress.parseLenient(s.trim().split("\\s+")[0]);
            }
        };
        // Fixed widths: left to size themselves, both combos measure every item (thousands on a big host).
        providerPick.setPrefWidth(PICKER_WIDTH);
        clientPick.setPrefWidth(PICKER_WIDTH);
        providerPick.setConverter(names);
        providerPick.setPromptText("provider");
        clientPick.setConverter(names);
        providerPick.setOnAction(e -> fromPickers(vm));
        clientPick.getCheckModel().getCheckedItems().addListener(
                (ListChangeListener<PciAddress>) c -> fromPickers(vm));
        Label providerLabel = new Label("provider");
        Label clientsLabel = new Label("clients");
        providerLabel.setMinWidth(Region.USE_PREF_SIZE);
        clientsLabel.setMinWidth(Region.USE_PREF_SIZE);
        addClient.setConverter(names);
        addClient.setPromptText("+ client");
        addClient.setPrefWidth(110);
        addClient.setId("add-client");
        addClient.setOnAction(e -> {
            PciAddress c = addClient.getValue();
            if (syncing || c == null) return;
            if (vm.providerProperty().get() != null) vm.addClient(c);
            javafx.application.Platform.runLater(() -> addClient.setValue(null));
        });
        HBox pickers = new HBox(6, providerLabel, providerPick, clientsLabel, clientPick, addClient);
        pickers.setAlignment(Pos.CENTER_LEFT);
        vm.topologyProperty().addListener((o, a, t) -> {
            syncing = true;
            // Endpoints first (what one picks as a provider or client), then the bridges.
            List<PciAddress> all = t == null ? List.of()
                    : t.functions().stream().filter(f -> f.kind() != DeviceKind.HOST_BRIDGE)
                      .sorted(java.util.Comparator.comparing((PciFunction f) -> f.kind().isBridge()))
                      .map(PciFunction::address).toList();
            if (!all.equals(providerPick.getItems())) {
                providerPick.getItems().setAll(all);
                clientPick.getItems().setAll(all);
                addClient.getItems().setAll(all);
            }
            syncing = false;
            toPickers(vm);
        });
        vm.providerProperty().addListener((o, a, b) -> toPickers(vm));
        vm.clients().addListener((ListChangeListener<PciAddress>) c -> toPickers(vm));
        Label traceTitle = new Label("How the kernel decided, step by step");
        traceTitle.getStyleClass().add("section");
        Label logTitle = new Label("Kernel log (exactly as the kernel prints it)");
        logTitle.getStyleClass().add("section");
        getChildren().addAll(pickers, mapType, distance, many, reason, boot, controls, traceTitle, trace, logTitle, warnings, suggestion);
        VBox.setVgrow(trace, Priority.ALWAYS);
        vm.verdictProperty().addListener((o, a, v) -> show(vm.topology(), v));
        canvas.animationStepProperty().addListener((o, a, b) -> highlight(vm.verdictProperty().get(), b.intValue()));
    }

    /// The pickers changed: tell the view model (unless the change came from it).
    private void fromPickers(ExplorerViewModel vm) {
        if (syncing) return;
        PciAddress p = providerPick.getValue();
        List<PciAddress> cs = List.copyOf(clientPick.getCheckModel().getCheckedItems());
        if (p != null && (!p.equals(vm.providerProperty().get()) || !cs.equals(vm.clients()))) vm.choose(p, cs);
    }

    /// The view model changed (a click on the canvas, a matrix cell): show it in the pickers.
    private void toPickers(ExplorerViewModel vm) {
        syncing = true;
        try {
            providerPick.setValue(vm.providerProperty().get());
            if (!List.copyOf(clientPick.getCheckModel().getCheckedItems()).equals(vm.clients())) {
                clientPick.getCheckModel().clearChecks();
                for (PciAddress c : vm.clients()) clientPick.getCheckModel().check(c);
            }
        } finally {
            syncing = false;
        }
        many.setText(vm.distanceMany().map(r -> VerdictText.distanceMany(r, vm.clients().size())).orElse(""));
    }

    private void show(Topology t, Verdict v) {
        mapType.getStyleClass().removeIf(s -> s.startsWith("mt-"));
        if (v == null) {
            mapType.setText("Pick a provider, then a client, on the canvas.");
            distance.setText("");
            reason.setText("");
            trace.getItems().clear();
            warnings.clear();
            suggestion.setText("");
            boot.setText("");
            return;
        }
        boot.setText(t == null ? "" : String.join("\n", VerdictText.bootLines(t, v)));
        mapType.setText(v.mapType().name());
        mapType.getStyleClass().add("mt-" + v.mapType().name().toLowerCase(Locale.ROOT));
        distance.setText(VerdictText.distanceLine(v));
        List<String> lines = new java.util.ArrayList<>();
        if (t != null) VerdictText.cautions(t).forEach(w -> lines.add("Warning: " + w));
        lines.add(VerdictText.reason(v));
        if (t != null) VerdictText.notes(t, v).forEach(n -> lines.add("Note: " + n));
        reason.setText(String.join("\n", lines));
        trace.getItems().setAll(v.trace());
        warnings.setText(VerdictText.kernelLog(v));
        suggestion.setText(VerdictText.suggestion(v));
    }

    /// Highlights the trace step about the function the packet is at (the packet follows [Verdict#route()]).
    private void highlight(Verdict v, int step) {
        if (v == null || step < 0 || step >= v.route().size()) {
            trace.getSelectionModel().clearSelection();
            return;
        }
        PciAddress at = v.route().get(step).function();
        for (int i = 0; i < v.trace().size(); i++) {
            if (at.equals(v.trace().get(i).function())) {
                trace.getSelectionModel().select(i);
                trace.scrollTo(i);
                return;
            }
        }
    }

    /// The Copy text for the whole selection: exactly what `p2pscope check` prints for the provider and every
    /// client (with several, each client's verdict and route, then `distance_many`).
    static String text(ExplorerViewModel vm) {
        return vm.verdictProperty().get() == null ? ""
                : VerdictText.check(vm.topology(), vm.providerProperty().get(), List.copyOf(vm.clients()));
    }
}
