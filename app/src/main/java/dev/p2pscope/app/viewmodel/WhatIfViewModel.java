package dev.p2pscope.app.viewmodel;

import dev.p2pscope.core.engine.KernelSession;
import dev.p2pscope.core.engine.VerdictMatrix;
import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.Cpu;
import dev.p2pscope.core.model.CpuVendor;
import dev.p2pscope.core.model.Edit;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.whatif.WhatIf;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/// The What-if tab as a lab notebook: which function's ACS is being edited (chosen here, independent of the pair
/// being studied), the edits so far, every pair whose verdict differs from the topology as loaded, and what would
/// make the ACS edits real. Edits go to the shared session ([ExplorerViewModel]), which recomputes verdicts.
public final class WhatIfViewModel {

    private final ExplorerViewModel session;
    private final ReadOnlyObjectWrapper<PciAddress> target = new ReadOnlyObjectWrapper<>();
    private final ObservableList<PciAddress> editable = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("No edits yet.");
    private final ReadOnlyStringWrapper banner = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper runtime = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper commands = new ReadOnlyStringWrapper("");
    private final ObservableList<String> editList = FXCollections.observableArrayList();
    static final int RUNTIME_LIMIT = 5000;

    public WhatIfViewModel(ExplorerViewModel session) {
        this.session = session;
        // Shift-click and the inspector choose a function without touching the pair: the editor follows them.
        session.selectedProperty().addListener((o, a, b) -> {
            if (b != null) target.set(b);
        });
        session.baselineProperty().addListener((o, a, t) -> {
            editable.setAll(editableFunctions(t));
            if (target.get() != null && (t == null || !t.contains(target.get()))) target.set(null);
        });
        session.topologyProperty().addListener((o, a, b) -> refresh());
        session.edits().addListener((ListChangeListener<Edit>) c -> refresh());
        session.changedPairs().addListener((ListChangeListener<VerdictMatrix.PairChange>) c -> {
            refresh();
            runtime.set(runtimeText(session.staleUntilReboot(RUNTIME_LIMIT)));
        });
        if (session.baselineProperty().get() != null) editable.setAll(editableFunctions(session.baselineProperty().get()));
        refresh();
    }

    /// Bridges first (where ACS decides), then the other functions that have an ACS capability.
    static List<PciAddress> editableFunctions(Topology t) {
        if (t == null) return List.of();
        List<PciFunction> fs = new ArrayList<>();
        for (PciFunction f : t.functions()) {
            if (f.kind().isBridge() || f.acs() instanceof Acs.Present) fs.add(f);
        }
        fs.sort(Comparator.comparing((PciFunction f) -> !f.kind().isBridge()).thenComparing(PciFunction::address));
        return fs.stream().map(PciFunction::address).toList();
    }

    public ExplorerViewModel session() { return session; }
    public ReadOnlyObjectProperty<PciAddress> targetProperty() { return target.getReadOnlyProperty(); }
    /// The functions the picker offers: bridges first.
    public ObservableList<PciAddress> editable() { return editable; }
    public ReadOnlyStringProperty summaryProperty() { return summary.getReadOnlyProperty(); }
    /// For the Verdict tab: empty without edits, else what is changed.
    public ReadOnlyStringProperty bannerProperty() { return banner.getReadOnlyProperty(); }
    public ReadOnlyStringProperty runtimeProperty() { return runtime.getReadOnlyProperty(); }
    public ReadOnlyStringProperty commandsProperty() { return commands.getReadOnlyProperty(); }
    /// The edits so far, in order, in words.
    public ObservableList<String> editList() { return editList; }
    public ObservableList<VerdictMatrix.PairChange> changedPairs() { return session.changedPairs(); }
    public BooleanBinding canUndo() { return session.canUndo(); }
    public BooleanBinding canRedo() { return session.canRedo(); }

    /// Chooses the function whose ACS is edited; the provider, the clients and the verdict stay as they are.
    public void setTarget(PciAddress a) {
        target.set(a);
    }

    /// The function being edited as it is now (edits applied), or null.
    public PciFunction targetFunction() {
        Topology t = session.topology();
        PciAddress a = target.get();
        return a == null || t == null ? null : t.function(a).orElse(null);
    }

    public boolean hasAcs() {
        PciFunction f = targetFunction();
        return f != null && f.acs() instanceof Acs.Present;
    }

    public int acsControl() {
        return targetFunction() != null && targetFunction().acs() instanceof Acs.Present p ? p.control() : 0;
    }

    public void toggleBit(int bit) {
        if (targetFunction() != null) session.toggleAcsBit(target.get(), bit);
    }

    public void setHasAcs(boolean present) {
        if (targetFunction() == null || present == hasAcs()) return;
        session.apply(new Edit.SetAcs(target.get(), present ? Acs.control(0) : Acs.ABSENT));
    }

    /// The allowlist, CPU and kernel edits; a bad entry is said in the summary and changes nothing.
    public void allow(String entry) { edit(() -> WhatIf.allow(entry)); }
    public void deny(String entry) { edit(() -> WhatIf.deny(entry)); }
    public void cpu(String spec) { edit(() -> WhatIf.cpu(spec)); }
    public void kernel(String id) { edit(() -> WhatIf.kernel(id)); }

    private void edit(Supplier<Edit> make) {
        try {
            session.apply(make.get());
        } catch (IllegalArgumentException ex) {
            summary.set(ex.getMessage());
        }
    }

    public void undo() { session.undo(); }
    public void redo() { session.redo(); }
    public void reset() { session.reset(); }

    /// Studies a changed pair: it becomes the pair on the canvas and in the verdict.
    public void open(VerdictMatrix.PairChange c) {
        session.setPair(c.provider(), c.client());
    }

    /// The CPU as the picker spells it, or null when unknown.
    public String cpuText() {
        Topology t = session.topology();
        if (t == null) return null;
        Cpu c = t.cpu();
        return c.vendor() == CpuVendor.UNKNOWN ? null : c.vendor() == CpuVendor.NON_X86 ? "non-x86"
                : c.vendor().id() + ":0x" + Integer.toHexString(c.family());
    }

    public String kernelText() {
        return session.topology() == null ? null : session.topology().kernel().id();
    }

    private void refresh() {
        List<Edit> edits = session.edits();
        List<String> words = new ArrayList<>();
        for (int i = 0; i < edits.size(); i++) words.add((i + 1) + ". " + edits.get(i).describe());
        editList.setAll(words);
        // Grouped (17,707,460): an allowlist edit on a large tree changes millions.
        String n = String.format(java.util.Locale.ROOT, "%,d", session.changedPairs().size());
        summary.set(edits.isEmpty() ? "No edits yet: the topology is as loaded."
                : n + " pair(s) differ from the loaded topology after " + edits.size() + " edit(s).");
        banner.set(edits.isEmpty() ? "" : "What-if: " + edits.size() + " edit(s) active (" + edits.getLast().describe()
                + (edits.size() > 1 ? ", \u2026" : "") + "); " + n + " pair(s) differ from the loaded topology. "
                + "This verdict is for the edited topology.");
        commands.set(session.topology() == null ? "" : String.join("\n", session.acsCommands()));
    }

    static String runtimeText(List<KernelSession.StaleEntry> stale) {
        if (stale.isEmpty()) return "";
        KernelSession.StaleEntry e = stale.getFirst();
        return "Made at run time (setpci) instead of at boot, these edits leave the running kernel's DMA mappings "
                + "(pci_p2pdma_map_type) on the cached decision for " + stale.size() + " pair(s): the provider's "
                + "map-type cache is never invalidated, only overwritten when a driver asks pci_p2pdma_distance() "
                + "again. E.g. " + e.provider() + " \u2192 " + e.client() + " is still " + e.believed()
                + "; after a reboot " + e.afterReboot() + ".";
    }
}
