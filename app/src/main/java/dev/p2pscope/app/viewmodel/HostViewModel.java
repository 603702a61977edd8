package dev.p2pscope.app.viewmodel;

import dev.p2pscope.core.host.HostContext;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.text.HostText;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/// The Host tab: the host's facts as core's [HostText] words them, and deriving unknown ACS as a what-if edit.
public final class HostViewModel {

    private final ExplorerViewModel session;
    private final ReadOnlyStringWrapper facts = new ReadOnlyStringWrapper("No topology loaded.");
    private final ReadOnlyStringWrapper note = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper canDerive = new ReadOnlyBooleanWrapper();

    public HostViewModel(ExplorerViewModel session) {
        this.session = session;
        session.topologyProperty().addListener((o, a, t) -> show(t));
        show(session.topology());
    }

    public ReadOnlyStringProperty factsProperty() { return facts.getReadOnlyProperty(); }
    public ReadOnlyStringProperty noteProperty() { return note.getReadOnlyProperty(); }
    /// True when some function's ACS is unknown, so deriving it would change something.
    public ReadOnlyBooleanProperty canDeriveProperty() { return canDerive.getReadOnlyProperty(); }

    /// Derives unknown ACS from the IOMMU and boot parameters, as an undoable what-if edit.
    public void deriveAcs() {
        Topology t = session.topology();
        if (t != null && canDerive.get()) session.apply(HostContext.deriveAcsEdit(t));
    }

    private void show(Topology t) {
        if (t == null) return;
        facts.set(HostText.render(t));
        note.set(HostText.acsNote(t));
        canDerive.set(HostText.unknownAcs(t) > 0);
    }
}
