package dev.p2pscope.app.viewmodel;

import dev.p2pscope.app.concurrent.TaskRunner;
import dev.p2pscope.core.live.BufferChoice;
import dev.p2pscope.core.live.ByteSizes;
import dev.p2pscope.core.live.CopyEngine;
import dev.p2pscope.core.live.CopyOptions;
import dev.p2pscope.core.live.CopyPlan;
import dev.p2pscope.core.live.CopyResult;
import dev.p2pscope.core.live.DeviceMap;
import dev.p2pscope.core.live.DmaBuffer;
import dev.p2pscope.core.model.PciAddress;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/// The Live tab's state and commands. It maps the tab's fields into the same [CopyPlan] `p2pscope copy` makes
/// (preflight against this host's sysfs under `root`, never the topology shown in the window), runs it through the
/// task runner, and turns the plan and the result into the texts the tab shows.
public final class LiveViewModel {

    public static final String HOST = "none (host memory)";
    public static final String EMULATE = "emulate";
    public static final String AUTO = "auto (the provider the kernel would pick)";
    private static final String P2PMEM_SUFFIX = " p2pmem";

    /// One point of the throughput chart.
    public record RatePoint(double seconds, double mbs) { }

    // ---- Properties

    private final StringProperty source = new SimpleStringProperty("");
    private final StringProperty destination = new SimpleStringProperty("");
    private final StringProperty chunkSize = new SimpleStringProperty("1M");
    private final StringProperty chunks = new SimpleStringProperty("64");
    private final StringProperty threads = new SimpleStringProperty("1");
    private final StringProperty confirm = new SimpleStringProperty("");
    private final BooleanProperty check = new SimpleBooleanProperty();
    private final BooleanProperty force = new SimpleBooleanProperty();
    private final ObservableList<String> buffers = FXCollections.observableArrayList(EMULATE, HOST, AUTO);
    private final ObjectProperty<String> buffer = new SimpleObjectProperty<>(EMULATE);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper();
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper();
    private final ReadOnlyStringWrapper result = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper pace = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper fitted = new ReadOnlyStringWrapper("");
    private final ReadOnlyDoubleWrapper playback = new ReadOnlyDoubleWrapper(1);
    private final ObservableList<RatePoint> rate = FXCollections.observableArrayList();

    private final ExplorerViewModel session;
    private final TaskRunner runner;
    private final Path root;
    private final AtomicReference<CopyEngine> engine = new AtomicReference<>();

    /// @param session the explorer's shared session (the preflight's pair is shown on its canvas)
    /// @param root    this host's filesystem root (`/`; tests give a fake tree)
    public LiveViewModel(ExplorerViewModel session, TaskRunner runner, Path root) {
        this.session = session;
        this.runner = runner;
        this.root = root;
        source.addListener((o, a, s) -> fitToSource(s));
        runner.run(() -> CopyPlan.hostProviders(root), ps -> {
            String keep = buffer.get();
            buffers.setAll(EMULATE, HOST, AUTO);
            ps.forEach(p -> buffers.add(p + P2PMEM_SUFFIX));
            buffer.set(buffers.contains(keep) ? keep : EMULATE);
        }, e -> { });
    }

    public StringProperty sourceProperty() { return source; }
    public StringProperty destinationProperty() { return destination; }
    public StringProperty chunkSizeProperty() { return chunkSize; }
    public StringProperty chunksProperty() { return chunks; }
    public StringProperty threadsProperty() { return threads; }
    public StringProperty confirmProperty() { return confirm; }
    public BooleanProperty checkProperty() { return check; }
    public BooleanProperty forceProperty() { return force; }
    public ObservableList<String> buffers() { return buffers; }
    public ObjectProperty<String> bufferProperty() { return buffer; }
    public ReadOnlyBooleanProperty runningProperty() { return running.getReadOnlyProperty(); }
    public ReadOnlyDoubleProperty progressProperty() { return progress.getReadOnlyProperty(); }
    public ReadOnlyStringProperty resultProperty() { return result.getReadOnlyProperty(); }
    public ReadOnlyStringProperty paceProperty() { return pace.getReadOnlyProperty(); }
    /// What the defaults were fitted to (empty until a source is typed).
    public ReadOnlyStringProperty fittedProperty() { return fitted.getReadOnlyProperty(); }
    /// The packet speed for the selected path on the canvas, from the measured throughput.
    public ReadOnlyDoubleProperty playbackProperty() { return playback.getReadOnlyProperty(); }
    public ObservableList<RatePoint> rate() { return rate; }

    // ---- Mapping (the same as `copy`'s arguments)

    /// The copy's options from the fields (IllegalArgumentException when they do not fit together).
    public CopyOptions options() {
        Path dst = Path.of(destination.get().trim());
        // Writing a block device is allowed only when its name was typed to confirm (`--allow-write-device`).
        List<Path> allowed = !confirm.get().isBlank() && confirm.get().trim().equals(dst.toString()) ? List.of(dst)
                : List.of();
        return new CopyOptions(Path.of(source.get().trim()), dst, size(chunkSize.get()), number(chunks.get(), "chunks"),
                (int) number(threads.get(), "threads"), 0, -1, check.get(), CopyOptions.DEFAULT_SEED, false, false,
                false, allowed);
    }

    /// The buffer choice from the picker, as `--p2pmem` would name it.
    public BufferChoice choice() {
        String b = buffer.get() == null ? EMULATE : buffer.get();
        if (b.equals(HOST)) return new BufferChoice.Host();
        if (b.equals(AUTO)) return new BufferChoice.Auto();
        if (b.endsWith(P2PMEM_SUFFIX)) return BufferChoice.parse(b.substring(0, b.length() - P2PMEM_SUFFIX.length()));
        return BufferChoice.parse(b);
    }

    /// The plan for the fields as they are (reads sysfs: call it off the UI thread).
    public CopyPlan plan() {
        return CopyPlan.of(options(), choice(), root, force.get());
    }

    // ---- Commands

    /// Plans the copy in the background and shows the preflight (and its pair on the canvas).
    public void preflight() {
        CopyOptions o;
        try {
            o = options();
        } catch (IllegalArgumentException e) {
            result.set("Cannot plan: " + e.getMessage());
            return;
        }
        BufferChoice c = choice();
        boolean f = force.get();
        runner.run(() -> CopyPlan.of(o, c, root, f), p -> result.set(show(p)),
                e -> result.set("Preflight failed: " + e.getMessage()));
    }

    /// The outcome of a run: the plan, and the result when it ran.
    private record Outcome(CopyPlan plan, CopyResult copy, String bufferKind) { }

    /// Plans and, when the plan allows it, runs the copy in the background with progress.
    public void run() {
        CopyOptions o;
        try {
            o = options();
        } catch (IllegalArgumentException e) {
            result.set("Cannot run: " + e.getMessage());
            return;
        }
        BufferChoice c = choice();
        boolean f = force.get();
        rate.clear();
        progress.set(0);
        running.set(true);
        runner.<Outcome, CopyEngine.Progress>runWithProgress(report -> {
            CopyPlan plan = CopyPlan.of(o, c, root, f);
            if (!plan.mayRun()) return new Outcome(plan, null, null);
            CopyEngine e = plan.engine();
            engine.set(e);
            try (DmaBuffer buf = plan.openBuffer()) {
                return new Outcome(plan, e.run(buf, report), buf.kind().name());
            } catch (IOException x) {
                throw new IOException("cannot map the buffer: " + x.getMessage() + "; nothing was opened for writing", x);
            } finally {
                engine.set(null);
            }
        }, this::progressed, this::done, e -> {
            running.set(false);
            result.set(result.get() + (result.get().isEmpty() ? "" : "\n") + "FAILED: " + e.getMessage());
        });
    }

    /// Asks a running copy to stop after the chunks in flight.
    public void stop() {
        CopyEngine e = engine.get();
        if (e != null) e.stop();
    }

    private void progressed(CopyEngine.Progress p) {
        if (p.totalBytes() > 0) progress.set((double) p.bytesMoved() / p.totalBytes());
        if (p.lastSecondMBs() > 0) {
            rate.add(new RatePoint(p.seconds(), p.lastSecondMBs()));
            showPace(p.lastSecondMBs());
        }
    }

    private void done(Outcome o) {
        running.set(false);
        StringBuilder s = new StringBuilder(show(o.plan()));
        CopyResult r = o.copy();
        if (r == null) {
            result.set(s.toString());
            return;
        }
        progress.set(1);
        if (rate.isEmpty() && r.rateMBs() > 0) {
            // A copy shorter than a second has no per-second sample: draw its average over its duration.
            rate.add(new RatePoint(0, r.rateMBs()));
            rate.add(new RatePoint(r.seconds(), r.rateMBs()));
        }
        if (!s.isEmpty()) s.append('\n');
        if (DmaBuffer.Kind.EMULATED.name().equals(o.bufferKind())) s.append("EMULATED p2pmem (host memory stands in)\n");
        if (r.checkLine() != null) s.append(r.checkLine()).append('\n');
        s.append(String.format(Locale.ROOT, "Transfer: %,d bytes in %.3f s, %.1f MB/s", Math.max(r.bytesRead(),
                r.bytesWritten()), r.seconds(), r.rateMBs()));
        result.set(s.toString());
        if (r.rateMBs() > 0) showPace(r.rateMBs());
    }

    /// The plan's lines, and why it may not run; the provider → destination pair goes on the canvas when the
    /// window shows a tree that holds both.
    private String show(CopyPlan p) {
        PciAddress d = p.destination() instanceof DeviceMap.Function f ? f.function() : null;
        var t = session.topology();
        if (p.provider() != null && d != null && t != null && t.contains(p.provider()) && t.contains(d)) {
            session.setPair(p.provider(), d);
        }
        List<String> lines = new ArrayList<>(p.lines());
        if (!p.mayRun()) lines.add("REFUSED: " + p.refusal());
        return String.join("\n", lines);
    }

    /// When the chunks would not fit a regular source file, fit them: 1 MiB chunks (4 KiB for a file under
    /// 1 MiB), as many as fit, at most 256.
    private void fitToSource(String text) {
        Path p;
        try {
            p = Path.of(text.trim());
        } catch (InvalidPathException e) {
            return;
        }
        if (text.isBlank()) return;
        runner.run(() -> Files.isRegularFile(p) ? Files.size(p) : -1L, size -> {
            if (size <= 0 || !text.equals(source.get())) return;
            long want;
            try {
                want = size(chunkSize.get()) * number(chunks.get(), "chunks");
            } catch (IllegalArgumentException e) {
                want = Long.MAX_VALUE;
            }
            if (want <= size) return;
            long chunk = size >= 1 << 20 ? 1 << 20 : 4096;
            long n = Math.max(1, Math.min(256, size / chunk));
            chunkSize.set(chunk == 1 << 20 ? "1M" : "4k");
            chunks.set(Long.toString(n));
            threads.set("1");
            fitted.set(String.format(Locale.ROOT, "fitted to the source (%,d bytes): %d × %s", size, n,
                    chunk == 1 << 20 ? "1 MiB" : "4 KiB"));
        }, e -> { });
    }

    private static long number(String s, String what) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": '" + s + "' is not a number");
        }
    }

    /// A size as `copy -s` takes it (4096, 64k, 1M).
    static long size(String s) {
        try {
            return ByteSizes.parse(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("chunk size: " + e.getMessage());
        }
    }

    // ---- Packet speed

    /// Packet speed on the canvas for a measured throughput: 1× at {@value #BASE_MBS} MB/s, proportional to the
    /// rate, kept between 1/20× and 20× so a slow copy still visibly moves and a fast one stays readable.
    public static double playbackRate(double mbPerSecond) {
        if (!(mbPerSecond > 0)) return MIN_RATE;
        return Math.max(MIN_RATE, Math.min(MAX_RATE, mbPerSecond / BASE_MBS));
    }

    public static final double BASE_MBS = 500;
    public static final double MIN_RATE = 0.05;
    public static final double MAX_RATE = 20;

    private void showPace(double mbs) {
        double r = playbackRate(mbs);
        pace.set(String.format(Locale.ROOT, "path animated at %.1f MB/s (%.2f\u00d7)", mbs, r));
        if (session.verdictProperty().get() != null) playback.set(r);
    }
}
