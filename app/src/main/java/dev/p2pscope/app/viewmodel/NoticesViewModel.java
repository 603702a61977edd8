package dev.p2pscope.app.viewmodel;

import dev.p2pscope.core.topology.LoadProblem;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

/// The Notices tab: what the loader noticed on the way (unknown keys, inferred facts, skipped files), each with its
/// place, and an empty state that says there were none rather than nothing at all.
public final class NoticesViewModel {

    private final ExplorerViewModel session;
    private final StringBinding emptyText;
    private final ObservableList<String> lines = FXCollections.observableArrayList();

    public NoticesViewModel(ExplorerViewModel session) {
        this.session = session;
        emptyText = Bindings.createStringBinding(() -> session.sourceNameProperty().get().isEmpty()
                        ? "No notices: nothing is loaded yet."
                        : "No notices: " + session.sourceNameProperty().get() + " loaded without unknown keys, "
                          + "inferred facts or skipped files.",
                session.sourceNameProperty());
        session.notices().addListener((ListChangeListener<LoadProblem>) c -> sync());
        sync();
    }

    private void sync() {
        lines.setAll(session.notices().stream().map(LoadProblem::toString).toList());
    }

    /// Each notice as one line: `file:line:column: location: message`.
    public ObservableList<String> lines() {
        return lines;
    }

    public ObservableList<LoadProblem> notices() {
        return session.notices();
    }

    /// What the tab says when there are no notices.
    public StringBinding emptyTextProperty() {
        return emptyText;
    }
}
