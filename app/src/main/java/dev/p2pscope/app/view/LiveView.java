package dev.p2pscope.app.view;

import dev.p2pscope.app.concurrent.TaskRunner;
import dev.p2pscope.app.viewmodel.ExplorerViewModel;
import dev.p2pscope.core.live.CopyEngine;
import dev.p2pscope.core.live.CopyOptions;
import dev.p2pscope.core.live.CopyResult;
import dev.p2pscope.core.live.DeviceMap;
import dev.p2pscope.core.live.DmaBuffer;
import dev.p2pscope.core.live.Preflight;
import dev.p2pscope.core.live.Safety;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;
import javafx.application.Platform;
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
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/// Live copies from the window: source, destination and buffer (a provider's p2pmem, emulated, or host memory),
/// the preflight verdict shown on the canvas, then the copy in the background with progress and a throughput chart.
/// The same rails as the CLI; writing a block device needs its name typed to confirm.
final class LiveView extends VBox {

    final TextField source = new TextField();
    final TextField destination = new TextField();
    final ComboBox<String> buffer = new ComboBox<>();
    final TextField chunkSize = new TextField("1048576");
    final TextField chunks = new TextField("256");
    final TextField threads = new TextField("1");
    final CheckBox check = new CheckBox("--check (verify every chunk of the destination against the source; the source is only read)");
    final TextField confirm = new TextField();
    final Button preflight = new Button("Preflight");
    final Button run = new Button("Run copy");
    final Button stop = new Button("Stop");
    final ProgressBar progress = new ProgressBar(0);
    final TextArea result = new TextArea();
    final XYChart.Series<Number, Number> rate = new XYChart.Series<>();
    private final ExplorerViewModel vm;
    private final TaskRunner runner;
    final Label pace = new Label();
    private final java.util.function.DoubleConsumer pathRate;
    private CopyEngine running;

    /// @param pathRate receives the packet speed for the path on the canvas, from the measured throughput
    LiveView(ExplorerViewModel vm, TaskRunner runner, java.util.function.DoubleConsumer pathRate) {
        super(8);
        this.vm = vm;
        this.runner = runner;
        this.pathRate = pathRate;
        source.setPromptText("/dev/nvme0n1 or a file");
        destination.setPromptText("/dev/nvme1n1 or a file");
        confirm.setPromptText("type the destination device to allow writing it");
        buffer.getItems().setAll("emulate", "none (host memory)", AUTO);
        buffer.getSelectionModel().selectFirst();
        result.setEditable(false);
        result.setPrefRowCount(8);
        result.getStyleClass().add("kernel-log");
        NumberAxis x = new NumberAxis();
        x.setLabel("seconds");
        NumberAxis y = new NumberAxis();
        y.setLabel("MB/s");
        LineChart<Number, Number> chart = new LineChart<>(x, y);
        chart.getData().add(rate);
        chart.setLegendVisible(false);
        chart.setCreateSymbols(false);
        chart.setPrefHeight(180);
        chart.setAnimated(false);
        stop.setDisable(true);
        GridPane g = new GridPane();
        g.setHgap(6);
        g.setVgap(4);
        g.addRow(0, new Label("source"), source);
        g.addRow(1, new Label("destination"), destination);
        g.addRow(2, new Label("buffer"), buffer);
        g.addRow(3, new Label("chunk size / chunks / threads"), new HBox(4, chunkSize, chunks, threads));
        g.addRow(4, new Label("confirm device write"), confirm);
        preflight.setOnAction(e -> preflight());
        run.setOnAction(e -> run());
        stop.setOnAction(e -> {
            if (running != null) running.stop();
        });
        Label note = new Label("Reading is the default. Mounted, held (RAID/LVM/dm) or swap devices are refused. "
                + "'emulate' stands in for p2pmem with host memory and says so.");
        note.setWrapText(true);
        getChildren().addAll(note, g, check, new HBox(6, preflight, run, stop, pace), progress, chart, result);
        vm.topologyProperty().addListener((o, a, t) -> {
            buffer.getItems().setAll("emulate", "none (host memory)", AUTO);
            if (t != null) {
                for (PciFunction f : t.functions()) {
                    if (f.p2pmem() != null) buffer.getItems().add(f.address() + " p2pmem");
                }
            }
            buffer.getSelectionModel().selectFirst();
        });
    }

    /// The buffer choice that asks for the provider the kernel would pick for the source and destination.
    static final String AUTO = "auto (the provider the kernel would pick)";

    /// The provider a buffer choice names, or null (host, emulated, or auto: decided with the devices).
    private static PciAddress namedProvider(String choice) {
        return choice != null && choice.endsWith(" p2pmem") ? PciAddress.parse(choice.substring(0, choice.indexOf(' ')))
                : null;
    }

    /// What the preflight found: the verdicts, the provider used (chosen by the kernel's rule for auto), and the
    /// provider → destination pair to show on the canvas.
    private record Checked(Preflight.Result result, PciAddress provider, PciAddress destination) {}

    /// The verdicts provider → source device and provider → destination device (sysfs is read in the background),
    /// shown here and on the canvas.
    void preflight() {
        String choice = buffer.getValue();
        Path src = Path.of(source.getText());
        Path dst = Path.of(destination.getText());
        var topology = vm.topology();
        runner.run(() -> check(topology, choice, src, dst), this::show,
                e -> result.setText("Preflight failed: " + e.getMessage()));
    }

    private static Checked check(Topology topology, String choice, Path src, Path dst) {
        PciAddress s = DeviceMap.functionOf(src, Path.of("/")).orElse(null);
        PciAddress d = DeviceMap.functionOf(dst, Path.of("/")).orElse(null);
        Preflight.Plan plan = Preflight.plan(topology, namedProvider(choice), AUTO.equals(choice), s, d);
        return new Checked(plan.result(), plan.provider(), d);
    }

    private void show(Checked c) {
        if (c.provider() != null && c.destination() != null && vm.topology().contains(c.destination())) {
            vm.setPair(c.provider(), c.destination());
        }
        Preflight.Result r = c.result();
        result.setText(String.join("\n", r.notes()) + (r.ok() ? "" : "\nREFUSED: " + String.join("\n", r.refusals())));
    }

    private void run() {
        CopyOptions o;
        Path dst = Path.of(destination.getText());
        // Writing a block device is allowed only when its name was typed to confirm (the engine's safety rails
        // consult this list for block devices only; files need no confirmation).
        List<Path> allowed = confirm.getText().trim().equals(dst.toString()) ? List.of(dst) : List.of();
        try {
            o = new CopyOptions(Path.of(source.getText()), dst, Long.parseLong(chunkSize.getText().trim()),
                    Long.parseLong(chunks.getText().trim()), Integer.parseInt(threads.getText().trim()), 0, -1,
                    check.isSelected(), 1234, false, false, false, allowed);
        } catch (IllegalArgumentException e) {
            result.setText("Cannot run: " + e.getMessage());
            return;
        }
        String b = buffer.getValue();
        var topology = vm.topology();
        CopyEngine engine = new CopyEngine(o, Safety.system());
        running = engine;
        rate.getData().clear();
        progress.setProgress(0);
        run.setDisable(true);
        stop.setDisable(false);
        // Everything that touches the filesystem (device lookup, preflight, the copy) runs in the background.
        runner.run(() -> {
            Checked c = check(topology, b, o.source(), dst);
            if (!c.result().ok()) return new Outcome(c, null);
            PciAddress p = c.provider();
            try (DmaBuffer buf = p != null
                    ? DmaBuffer.p2pmem(DeviceMap.allocateFile(Path.of("/"), p), o.bufferSize())
                    : b.startsWith("emulate") ? DmaBuffer.emulated(null, o.bufferSize()) : DmaBuffer.host(o.bufferSize())) {
                return new Outcome(c, engine.run(buf, pr -> Platform.runLater(() -> {
                    if (pr.totalBytes() > 0) progress.setProgress((double) pr.bytesMoved() / pr.totalBytes());
                    if (pr.lastSecondMBs() > 0) {
                        rate.getData().add(new XYChart.Data<>(pr.seconds(), pr.lastSecondMBs()));
                        showPace(pr.lastSecondMBs());
                    }
                })));
            }
        }, r -> done(r, b), e -> {
            run.setDisable(false);
            stop.setDisable(true);
            result.setText(result.getText() + "\nFAILED: " + e.getMessage());
        });
    }

    /// The preflight and, when it passed, the copy's result.
    private record Outcome(Checked preflight, CopyResult copy) {}

    private void done(Outcome outcome, String bufferLabel) {
        run.setDisable(false);
        stop.setDisable(true);
        show(outcome.preflight());
        CopyResult r = outcome.copy();
        if (r == null) return;
        progress.setProgress(1);
        StringBuilder s = new StringBuilder(result.getText()).append('\n');
        if (bufferLabel.startsWith("emulate")) s.append("EMULATED p2pmem (host memory stands in)\n");
        if (r.check() != null) {
            s.append(String.format(Locale.ROOT, "%s on data check, 0x%016x %s 0x%016x%n", r.check().match() ? "MATCH"
                    : "MISMATCH", r.check().expectedParity(), r.check().match() ? "=" : "!=", r.check().actualParity()));
        }
        s.append(String.format(Locale.ROOT, "Transfer: %,d bytes in %.3f s, %.1f MB/s", Math.max(r.bytesRead(),
                r.bytesWritten()), r.seconds(), r.rateMBs()));
        result.setText(s.toString());
        if (r.rateMBs() > 0) showPace(r.rateMBs());
    }

    /// Packet speed on the canvas for a measured throughput: 1× at {@value #BASE_MBS} MB/s, proportional to the
    /// rate, kept between 1/20× and 20× so a slow copy still visibly moves and a fast one stays readable.
    static double playbackRate(double mbPerSecond) {
        if (!(mbPerSecond > 0)) return MIN_RATE;
        return Math.max(MIN_RATE, Math.min(MAX_RATE, mbPerSecond / BASE_MBS));
    }

    static final double BASE_MBS = 500;
    static final double MIN_RATE = 0.05;
    static final double MAX_RATE = 20;

    private void showPace(double mbs) {
        double r = playbackRate(mbs);
        pace.setText(String.format(Locale.ROOT, "path animated at %.1f MB/s (%.2f\u00d7)", mbs, r));
        if (vm.verdictProperty().get() != null) pathRate.accept(r);
    }
}
