package dev.p2pscope.app.view;

import dev.p2pscope.app.concurrent.TaskRunner;
import dev.p2pscope.app.viewmodel.ExplorerViewModel;
import dev.p2pscope.app.viewmodel.LiveViewModel;
import javafx.collections.ListChangeListener;
import javafx.geometry.HPos;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.nio.file.Path;
import java.util.function.DoubleConsumer;

/// Live copies from the window: source, destination and buffer, the preflight verdict shown on the canvas, then
/// the copy in the background with progress and a throughput chart. It binds to [LiveViewModel] and forwards
/// clicks; the plan is the one `p2pscope copy` makes.
final class LiveView extends VBox {

    final TextField source = new TextField();
    final TextField destination = new TextField();
    final ComboBox<String> buffer = new ComboBox<>();
    final TextField chunkSize = new TextField();
    final TextField chunks = new TextField();
    final TextField threads = new TextField();
    final CheckBox check = new CheckBox("--check: verify every chunk of the destination against the source "
            + "(the source is only read)");
    final CheckBox force = new CheckBox("--force: run even when the preflight predicts the kernel's refusal");
    final TextField confirm = new TextField();
    final Button preflight = new Button("Preflight");
    final Button run = new Button("Run copy");
    final Button stop = new Button("Stop");
    final ProgressBar progress = new ProgressBar(0);
    final TextArea result = new TextArea();
    final Label pace = new Label();
    final Label fitted = new Label();
    final XYChart.Series<Number, Number> rate = new XYChart.Series<>();
    final NumberAxis rateAxis = new NumberAxis();
    final LiveViewModel model;

    /// The buffer choice that asks for the provider the kernel would pick for the source and destination.
    static final String AUTO = LiveViewModel.AUTO;

    /// @param pathRate receives the packet speed for the path on the canvas, from the measured throughput
    LiveView(ExplorerViewModel vm, TaskRunner runner, DoubleConsumer pathRate) {
        this(new LiveViewModel(vm, runner, Path.of("/")), pathRate);
    }

    LiveView(LiveViewModel model, DoubleConsumer pathRate) {
        super(8);
        this.model = model;
        source.setPromptText("/dev/nvme0n1, /dev/disk/by-id/… or a file");
        destination.setPromptText("/dev/nvme1n1 or a file (created if missing)");
        confirm.setPromptText("type the destination block device to allow writing it");
        chunkSize.setPromptText("1M");
        chunkSize.setPrefColumnCount(6);
        chunks.setPrefColumnCount(6);
        threads.setPrefColumnCount(3);
        source.textProperty().bindBidirectional(model.sourceProperty());
        destination.textProperty().bindBidirectional(model.destinationProperty());
        chunkSize.textProperty().bindBidirectional(model.chunkSizeProperty());
        chunks.textProperty().bindBidirectional(model.chunksProperty());
        threads.textProperty().bindBidirectional(model.threadsProperty());
        confirm.textProperty().bindBidirectional(model.confirmProperty());
        check.selectedProperty().bindBidirectional(model.checkProperty());
        force.selectedProperty().bindBidirectional(model.forceProperty());
        buffer.setItems(model.buffers());
        buffer.valueProperty().bindBidirectional(model.bufferProperty());
        buffer.setMaxWidth(Double.MAX_VALUE);
        result.textProperty().bind(model.resultProperty());
        pace.textProperty().bind(model.paceProperty());
        fitted.textProperty().bind(model.fittedProperty());
        progress.progressProperty().bind(model.progressProperty());
        progress.setMaxWidth(Double.MAX_VALUE);
        run.disableProperty().bind(model.runningProperty());
        preflight.disableProperty().bind(model.runningProperty());
        stop.disableProperty().bind(model.runningProperty().not());
        model.playbackProperty().addListener((o, a, r) -> pathRate.accept(r.doubleValue()));
        for (CheckBox c : new CheckBox[] {check, force}) {
            c.setWrapText(true);
            c.setMinHeight(Region.USE_PREF_SIZE);
        }
        result.setEditable(false);
        result.setPrefRowCount(8);
        result.setWrapText(true);
        result.getStyleClass().add("kernel-log");

        NumberAxis x = new NumberAxis();
        x.setLabel("seconds");
        x.setForceZeroInRange(true);
        rateAxis.setLabel("MB/s");
        rateAxis.setForceZeroInRange(true);
        rateAxis.setAutoRanging(true);
        LineChart<Number, Number> chart = new LineChart<>(x, rateAxis);
        chart.getData().add(rate);
        chart.setLegendVisible(false);
        chart.setCreateSymbols(true);
        chart.setPrefHeight(200);
        chart.setAnimated(false);
        model.rate().addListener((ListChangeListener<LiveViewModel.RatePoint>) c -> rate.getData().setAll(
                model.rate().stream().map(p -> new XYChart.Data<Number, Number>(p.seconds(), p.mbs())).toList()));

        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(6);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);
        labels.setHalignment(HPos.RIGHT);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        fields.setFillWidth(true);
        g.getColumnConstraints().setAll(labels, fields);
        g.addRow(0, label("source"), source);
        g.addRow(1, label("destination"), destination);
        g.addRow(2, label("buffer"), buffer);
        HBox numbers = new HBox(6, label("chunk size"), chunkSize, label("chunks"), chunks, label("threads"), threads,
                fitted);
        numbers.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        g.addRow(3, label("I/O"), numbers);
        g.addRow(4, label("confirm device write"), confirm);
        GridPane.setHgrow(source, Priority.ALWAYS);
        preflight.setOnAction(e -> model.preflight());
        run.setOnAction(e -> model.run());
        stop.setOnAction(e -> model.stop());
        Label note = new Label("Reading is the default and the source is never written. Mounted, held (RAID/LVM/dm) "
                + "or swap devices are refused; writing a block device needs its name typed to confirm. The "
                + "preflight reads this host's sysfs, whatever tree the window shows. 'emulate' stands in for "
                + "p2pmem with host memory and says so.");
        note.setWrapText(true);
        note.setMinHeight(Region.USE_PREF_SIZE);
        HBox buttons = new HBox(6, preflight, run, stop, pace);
        buttons.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
        getChildren().addAll(note, g, check, force, buttons, progress, chart, result);
        VBox.setVgrow(result, Priority.ALWAYS);
    }

    private static Label label(String text) {
        Label l = new Label(text);
        l.setMinWidth(Region.USE_PREF_SIZE);
        return l;
    }

    /// Packet speed on the canvas for a measured throughput (the view model decides it).
    static double playbackRate(double mbPerSecond) {
        return LiveViewModel.playbackRate(mbPerSecond);
    }

    static final double BASE_MBS = LiveViewModel.BASE_MBS;
    static final double MIN_RATE = LiveViewModel.MIN_RATE;
    static final double MAX_RATE = LiveViewModel.MAX_RATE;
}
