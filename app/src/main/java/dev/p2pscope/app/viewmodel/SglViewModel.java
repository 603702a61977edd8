package dev.p2pscope.app.viewmodel;

import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.sgl.DirectIo;
import dev.p2pscope.core.sgl.DmaConfig;
import dev.p2pscope.core.sgl.SglScenario;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;

/// The SGL tab: the inputs of core's [SglScenario] (segments as typed, IOMMU, controller SGLs) and what it maps to.
///
/// The tab is never empty: when a topology opens or the pair changes, the scenario core suggests for the pair
/// (a host page and two pages of the provider's pool, for the client) is filled in and mapped at once.
public final class SglViewModel {

    private final ExplorerViewModel session;
    private final StringProperty segments = new SimpleStringProperty("");
    private final BooleanProperty iommu = new SimpleBooleanProperty();
    private final BooleanProperty sglCapable = new SimpleBooleanProperty();
    private final ReadOnlyObjectWrapper<PciAddress> client = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper clientLabel = new ReadOnlyStringWrapper("No client: open a topology.");
    private final ReadOnlyObjectWrapper<SglScenario.Result> result = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper table = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper outcome = new ReadOnlyStringWrapper("");
    private final ObservableList<String> steps = FXCollections.observableArrayList();
    /// The loaded topology and the pair the current suggestion was made for.
    private Topology suggestedFor;
    private List<PciAddress> suggestedPair = List.of();

    public SglViewModel(ExplorerViewModel session) {
        this.session = session;
        // A newly loaded topology or a new pair gets a fresh suggestion; a what-if edit of the same topology keeps
        // what the user typed and maps it again.
        session.topologyProperty().addListener((o, a, t) -> {
            if (session.baselineProperty().get() != suggestedFor) suggest(); else map();
        });
        session.verdictProperty().addListener((o, a, v) -> {
            if (v != null && !pair().equals(suggestedPair)) suggest();
        });
        suggest();
    }

    /// The scatterlist as typed: `host:PHYS+LEN` and `p2p:PROVIDER@OFFSET+LEN`, comma-separated.
    public StringProperty segmentsProperty() { return segments; }
    public BooleanProperty iommuProperty() { return iommu; }
    public BooleanProperty sglCapableProperty() { return sglCapable; }
    /// The device doing the DMA: the selected pair's client, else the one core suggested.
    public ReadOnlyObjectProperty<PciAddress> clientProperty() { return client.getReadOnlyProperty(); }
    /// Which client, in words, and whether it is the pair's or a suggestion.
    public ReadOnlyStringProperty clientLabelProperty() { return clientLabel.getReadOnlyProperty(); }
    public ReadOnlyObjectProperty<SglScenario.Result> resultProperty() { return result.getReadOnlyProperty(); }
    /// The mapping as text (entries in, DMA segments out, the NVMe command), or why it cannot be mapped.
    public ReadOnlyStringProperty tableProperty() { return table.getReadOnlyProperty(); }
    /// What an O_DIRECT read into a buffer mmapped from the first p2p segment's provider would do.
    public ReadOnlyStringProperty outcomeProperty() { return outcome.getReadOnlyProperty(); }
    /// The mapping's steps, one at a time.
    public ObservableList<String> steps() { return steps; }

    private List<PciAddress> pair() {
        List<PciAddress> p = new java.util.ArrayList<>();
        p.add(session.providerProperty().get());
        if (!session.clients().isEmpty()) p.add(session.clients().getLast());
        return java.util.Collections.unmodifiableList(p);
    }

    /// Fills in the scenario core suggests for the session's pair, and maps it.
    public void suggest() {
        Topology t = session.topology();
        suggestedFor = session.baselineProperty().get();
        suggestedPair = pair();
        PciAddress c = session.clients().isEmpty() ? null : session.clients().getLast();
        var s = SglScenario.suggest(t, session.providerProperty().get(), c);
        if (s.isEmpty()) {
            client.set(null);
            clientLabel.set(t == null ? "No client: open a topology." : "No client: this topology has no endpoint.");
            segments.set("");
            clear(t == null ? "" : "Nothing to map: this topology has no endpoint to be the client.");
            return;
        }
        client.set(s.get().client());
        segments.set(s.get().segmentsText());
        String name = t.function(s.get().client()).map(PciFunction::displayName).orElse("");
        clientLabel.set(s.get().client() + "  " + name + (c == null
                ? "  (suggested: pick a pair on the canvas to map for its client)" : "  (the selected pair's client)"));
        map();
    }

    /// Maps the segments as typed for the client.
    public void map() {
        Topology t = session.topology();
        if (t == null || client.get() == null) {
            clear("Pick a provider and a client on the canvas first.");
            return;
        }
        DmaConfig dma = iommu.get() ? DmaConfig.iommu() : DmaConfig.direct();
        try {
            SglScenario.Result r = new SglScenario(client.get(), SglScenario.parseSegments(segments.get()), dma,
                    sglCapable.get()).run(t);
            result.set(r);
            table.set(r.text());
            steps.setAll(r.table().trace());
            outcome.set(r.directIo().map(o -> "O_DIRECT with a buffer mmapped from "
                    + r.scenario().segments().stream().filter(x -> x.isP2p()).findFirst().orElseThrow().provider()
                    + "'s p2pmem/allocate: " + o.result() + "\n" + String.join("\n", o.reasons()))
                    .orElse("No p2p segment: an O_DIRECT read into host memory is ordinary DMA."));
        } catch (SglScenario.InvalidInput e) {
            clear("Cannot map: " + e.getMessage());
        }
    }

    private void clear(String why) {
        result.set(null);
        table.set(why);
        steps.setAll(List.of());
        outcome.set("");
    }

    /// The result's O_DIRECT prediction, if any (for tests and the view's styling).
    public DirectIo.Result directIoResult() {
        return result.get() == null ? null : result.get().directIo().map(DirectIo.Outcome::result).orElse(null);
    }
}
