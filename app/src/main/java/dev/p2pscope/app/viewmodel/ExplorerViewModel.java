package dev.p2pscope.app.viewmodel;

import dev.p2pscope.app.concurrent.TaskRunner;
import dev.p2pscope.core.engine.ChangedPairs;
import dev.p2pscope.core.engine.DmaClient;
import dev.p2pscope.core.engine.KernelSession;
import dev.p2pscope.core.engine.ManyResult;
import dev.p2pscope.core.engine.P2pdmaEngine;
import dev.p2pscope.core.engine.ProviderChoice;
import dev.p2pscope.core.engine.Verdict;
import dev.p2pscope.core.engine.VerdictMatrix;
import dev.p2pscope.core.engine.WhatIfMatrix;
import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.Edit;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.topology.LoadProblem;
import dev.p2pscope.core.topology.LoadResult;
import dev.p2pscope.core.topology.TopologyJson;
import dev.p2pscope.core.topology.TopologyLoadException;
import dev.p2pscope.core.topology.TopologySource;
import dev.p2pscope.core.whatif.AcsCommands;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/// The explorer's state and commands. Holds immutable core snapshots only: a what-if edit makes a new topology
/// and swaps a property. Work that can take long (loading, the all-pairs matrix) goes through the [TaskRunner].
/// No control or scene class is used here, so it is tested without a stage.
public final class ExplorerViewModel {

    // ---- Properties ----------------------------------------------------------------------------------------

    private final ReadOnlyObjectWrapper<Topology> baseline = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Topology> topology = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<PciAddress> selected = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<PciAddress> provider = new ReadOnlyObjectWrapper<>();
    private final ObservableList<PciAddress> clients = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<Verdict> verdict = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<VerdictMatrix> matrix = new ReadOnlyObjectWrapper<>();
    /// Made row by row as read: an allowlist edit on a large tree changes millions of pairs.
    private final ChangedPairList changedPairs = new ChangedPairList();
    private final ObservableList<Edit> edits = FXCollections.observableArrayList();
    // One read-only view of each list, kept here: a view listens to its list weakly, so a fresh view per call
    // could be collected with the listeners added to it.
    private final ObservableList<PciAddress> clientsView = FXCollections.unmodifiableObservableList(clients);
    private final ObservableList<Edit> editsView = FXCollections.unmodifiableObservableList(edits);
    private final ObservableList<Edit> redo = FXCollections.observableArrayList();
    private final ObservableList<LoadProblem> notices = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper sourceName = new ReadOnlyStringWrapper("");
    private final BooleanBinding canUndo = Bindings.isNotEmpty(edits);
    private final BooleanBinding canRedo = Bindings.isNotEmpty(redo);

    private final TaskRunner runner;
    private TaskRunner.Cancellable pendingLoad;
    private TaskRunner.Cancellable pendingMatrix;
    /// Follows the matrix through single what-if edits (owned by whichever task runs; null while one does).
    private WhatIfMatrix whatIf;
    /// The matrix of the topology as loaded: what every what-if is compared with.
    private VerdictMatrix loadedMatrix;

    public ExplorerViewModel(TaskRunner runner) {
        this.runner = runner;
    }

    public ReadOnlyObjectProperty<Topology> baselineProperty() { return baseline.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<Topology> topologyProperty() { return topology.getReadOnlyProperty(); }
    public Topology topology() { return topology.get(); }
    public ReadOnlyObjectProperty<PciAddress> selectedProperty() { return selected.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<PciAddress> providerProperty() { return provider.getReadOnlyProperty(); }
    public ObservableList<PciAddress> clients() { return clientsView; }
    public ReadOnlyObjectProperty<Verdict> verdictProperty() { return verdict.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<VerdictMatrix> matrixProperty() { return matrix.getReadOnlyProperty(); }
    /// Pairs whose verdict the what-if edits changed, against the topology as loaded (from → to): cumulative,
    /// as `p2pscope matrix` with the same edits would show. Read-only; its rows are made as they are read, so
    /// iterate it only where the count is known to be small (or use [#changes()]).
    public ObservableList<VerdictMatrix.PairChange> changedPairs() { return changedPairs; }
    /// The same pairs, compactly: count, lookup by pair, the k-th in order.
    public ChangedPairs changes() { return changedPairs.pairs(); }
    public ObservableList<Edit> edits() { return editsView; }
    public ObservableList<LoadProblem> notices() { return notices; }
    public ReadOnlyBooleanProperty loadingProperty() { return loading.getReadOnlyProperty(); }
    public ReadOnlyStringProperty statusProperty() { return status.getReadOnlyProperty(); }
    /// The last load error as readable text (file and place), or null.
    public ReadOnlyStringProperty errorProperty() { return error.getReadOnlyProperty(); }
    public ReadOnlyStringProperty sourceNameProperty() { return sourceName.getReadOnlyProperty(); }
    public BooleanBinding canUndo() { return canUndo; }
    public BooleanBinding canRedo() { return canRedo; }

    // ---- Commands ------------------------------------------------------------------------------------------

    /// Loads `source` in the background; a newer load cancels an older one. Errors land in [#errorProperty].
    public void open(TopologySource source) {
        open(source.describe(), source::load);
    }

    /// The bundled samples, for the Samples menu.
    public List<String> sampleNames() {
        return TopologySource.sampleNames();
    }

    /// Opens a bundled sample.
    public void openSample(String name) {
        open(TopologySource.sample(name));
    }

    /// Opens this host's sysfs ("This host").
    public void openThisHost() {
        open(TopologySource.thisHost());
    }

    /// Opens a file or directory whose kind its content tells (Open…, Recent, drag and drop).
    public void openFile(java.nio.file.Path path) {
        open(TopologySource.detect(path));
    }

    /// Loads a topology in the background; a newer load cancels an older one. Errors land in [#errorProperty].
    public void open(String name, Callable<LoadResult> source) {
        if (pendingLoad != null) pendingLoad.cancel();
        loading.set(true);
        error.set(null);
        status.set("Loading " + name + "...");
        pendingLoad = runner.run(source, r -> {
            loading.set(false);
            sourceName.set(name);
            notices.setAll(r.notices());
            show(r.topology());
            status.set("Loaded " + name + ": " + r.topology().size() + " functions"
                    + (r.notices().isEmpty() ? "" : ", " + r.notices().size() + " notice(s)"));
        }, e -> {
            loading.set(false);
            error.set(describe(name, e));
            status.set("Could not load " + name);
        });
    }

    /// Cancels a load in progress.
    public void cancelLoad() {
        if (pendingLoad != null) pendingLoad.cancel();
        loading.set(false);
        status.set("Loading cancelled");
    }

    /// Shows `t` as the new baseline (edits and selection cleared).
    public void show(Topology t) {
        edits.clear();
        redo.clear();
        changedPairs.set(ChangedPairs.none());
        provider.set(null);
        clients.clear();
        selected.set(null);
        verdict.set(null);
        baseline.set(t);
        topology.set(t);
        loadedMatrix = null;
        recomputeMatrix(null, null, false);
    }

    /// Had the edits been made at run time (`setpci`) after the kernel mapped the changed pairs, what it would keep
    /// believing until a reboot: each provider's map-type cache is never invalidated (see [KernelSession]). Empty
    /// when an edit needs a reboot anyway (allowlist, CPU, kernel) or no cached belief differs. Only providers with
    /// p2pmem have the cache; at most `limit` changed pairs are examined.
    public List<KernelSession.StaleEntry> staleUntilReboot(int limit) {
        Topology before = baseline.get();
        Topology now = topology.get();
        if (before == null || now == null || edits.isEmpty() || !edits.stream().allMatch(Edit::atRunTime)) {
            return List.of();
        }
        KernelSession running = new KernelSession(before);
        int n = 0;
        for (VerdictMatrix.PairChange c : changedPairs) {
            if (n++ >= limit) break;
            PciFunction p = before.function(c.provider()).orElse(null);
            if (p != null && p.p2pmem() != null && before.contains(c.client())) running.distance(p.address(), c.client(), false);
        }
        running.changeHardware(now);
        return running.staleEntries();
    }

    /// The topology as shown now (what-if edits included), to be written as `p2pscope-topology/1` JSON by the
    /// export in the background: the snapshot is taken here, the text is made when the supplier is called.
    public java.util.function.Supplier<String> topologyJson() {
        Topology t = topology.get();
        return () -> TopologyJson.write(t);
    }

    /// Puts a message in the status bar (the outcome of an export, for example).
    public void report(String message) {
        status.set(message);
    }

    /// Selects a function for the inspector.
    public void select(PciAddress a) {
        selected.set(a);
    }

    /// A click in "pick" mode: the first click picks the provider, the next the client; a third starts again.
    public void pick(PciAddress a) {
        select(a);
        if (provider.get() == null || !clients.isEmpty()) {
            provider.set(a);
            clients.clear();
            verdict.set(null);
        } else {
            clients.setAll(a);
            decide();
        }
    }

    /// Sets the pair and decides it.
    public void setPair(PciAddress p, PciAddress c) {
        provider.set(p);
        clients.setAll(c);
        select(c);
        decide();
    }

    /// Sets the provider and the clients at once (the pickers' lists) and decides.
    public void choose(PciAddress p, List<PciAddress> cs) {
        provider.set(p);
        clients.setAll(cs);
        if (!cs.isEmpty()) select(cs.getLast());
        decide();
    }

    /// `pci_p2pdma_distance_many()` for the provider and every client, when there are two or more clients.
    public Optional<ManyResult> distanceMany() {
        Topology t = topology.get();
        if (t == null || provider.get() == null || clients.size() < 2) return Optional.empty();
        return Optional.of(new P2pdmaEngine(t).distanceMany(provider.get(),
                clients.stream().map(DmaClient::pci).toList(), false));
    }

    /// Adds a client (several clients = distance_many / find-provider).
    public void addClient(PciAddress c) {
        if (!clients.contains(c)) clients.add(c);
        decide();
    }

    private void decide() {
        Topology t = topology.get();
        if (t == null || provider.get() == null || clients.isEmpty()) {
            verdict.set(null);
            return;
        }
        verdict.set(new P2pdmaEngine(t).decide(provider.get(), clients.getLast(), true));
    }

    /// What `pci_p2pmem_find_many()` would pick for the current clients (seeded: the same answer each time).
    public ProviderChoice findProvider(long seed) {
        List<DmaClient> cs = clients.stream().map(DmaClient::pci).toList();
        return new P2pdmaEngine(topology.get()).findMany(cs, new SplittableRandom(seed));
    }

    /// Applies a what-if edit: a new topology, a new verdict, and the pairs whose verdict changed.
    public void apply(Edit edit) {
        redo.clear();
        edits.add(edit);
        refresh(edit);
    }

    /// Replaces every what-if edit at once (a lesson's tour step): one new topology, one verdict, one diff.
    public void setEdits(List<Edit> all) {
        redo.clear();
        edits.setAll(all);
        refresh();
    }

    /// Flips one ACS Control bit of a function (adding an ACS capability with only that bit if it had none).
    public void toggleAcsBit(PciAddress a, int bit) {
        PciFunction f = topology.get().require(a);
        int control = f.acs() instanceof Acs.Present p ? p.control() : 0;
        apply(new Edit.SetAcs(a, Acs.control(control ^ bit)));
    }

    public void undo() {
        if (edits.isEmpty()) return;
        redo.add(edits.removeLast());
        refresh();
    }

    public void redo() {
        if (redo.isEmpty()) return;
        edits.add(redo.removeLast());
        refresh();
    }

    /// Back to the topology as loaded.
    public void reset() {
        edits.clear();
        redo.clear();
        refresh();
    }

    /// `setpci` and boot parameters that would make the edited ACS state real (text only, never run).
    public List<String> acsCommands() {
        return AcsCommands.between(baseline.get(), topology.get());
    }

    private void refresh() {
        refresh(null);
    }

    /// `single`: the one edit just appended, which the matrix can follow incrementally.
    private void refresh(Edit single) {
        Topology t = baseline.get();
        for (Edit e : edits) t = e.applyTo(t);
        VerdictMatrix before = matrix.get();
        topology.set(t);
        decide();
        recomputeMatrix(before, single, true);
    }

    /// The matrix for the current topology: after one appended edit, [WhatIfMatrix] recomputes only the pairs
    /// the edit can change; otherwise (load, undo, redo, reset, or a cancelled step) it is computed in full. The
    /// incremental state is handed from task to task, so a cancelled task simply leads to a full computation.
    /// Changed pairs are always counted against the topology as loaded (a lab notebook, not the last step).
    private void recomputeMatrix(VerdictMatrix before, Edit single, boolean edited) {
        if (pendingMatrix != null) pendingMatrix.cancel();
        Topology t = topology.get();
        Topology loaded = baseline.get();
        VerdictMatrix known = loadedMatrix;
        WhatIfMatrix follow = whatIf;
        whatIf = null;
        boolean incremental = single != null && follow != null && before != null && follow.matrix() == before;
        pendingMatrix = runner.run(() -> {
            WhatIfMatrix state = follow;
            if (incremental) {
                state.apply(single);
            } else {
                state = new WhatIfMatrix(t, VerdictMatrix.defaultDevices(t));
            }
            VerdictMatrix m = state.matrix();
            VerdictMatrix base = !edited ? m : known != null ? known
                    : VerdictMatrix.compute(loaded, VerdictMatrix.defaultDevices(loaded));
            return new MatrixUpdate(state, base, !edited ? ChangedPairs.none() : ChangedPairs.between(base, m));
        }, u -> {
            whatIf = u.state();
            matrix.set(u.state().matrix());
            loadedMatrix = u.base();
            if (edited) {
                changedPairs.set(u.changed());
                status.set(String.format(java.util.Locale.ROOT, "%,d", changedPairs.size()) + " pair(s) differ from the loaded topology"
                        + (edits.isEmpty() ? " (edits reset)" : " after " + edits.size() + " edit(s), the last: "
                        + edits.getLast().describe()));
            }
        }, e -> status.set("Matrix failed: " + e));
    }

    private record MatrixUpdate(WhatIfMatrix state, VerdictMatrix base, ChangedPairs changed) { }

    static String describe(String name, Throwable e) {
        if (e instanceof TopologyLoadException t) {
            List<String> lines = new ArrayList<>();
            for (LoadProblem p : t.problems()) lines.add(p.toString());
            return String.join("\n", lines);
        }
        return name + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
}
