package dev.p2pscope.app.viewmodel;

import dev.p2pscope.core.model.Edit;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.samples.Tour;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;

/// The Lesson tab: the topology's title and lesson (Markdown, rendered by the view), and the sample's tour as steps
/// a teacher walks through with Next and Back. Each step selects its pair in the session (the canvas follows) and
/// sets the what-if edits it needs; leaving a step that had edits for one that has none clears them again.
public final class LessonViewModel {

    private final ExplorerViewModel session;
    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper markdown = new ReadOnlyStringWrapper("");
    private final ObservableList<Tour.Step> steps = FXCollections.observableArrayList();
    private final ObservableList<String> stepTexts = FXCollections.observableArrayList();
    /// -1 before the first step.
    private final ReadOnlyIntegerWrapper index = new ReadOnlyIntegerWrapper(-1);
    private final ReadOnlyBooleanWrapper applying = new ReadOnlyBooleanWrapper();
    private final BooleanBinding canNext = Bindings.createBooleanBinding(() -> index.get() + 1 < steps.size(), index,
            steps);
    private final BooleanBinding canBack = Bindings.createBooleanBinding(() -> index.get() > 0, index);
    private final StringBinding position;
    /// True while the tour's own edits are in the session, so a step without edits knows to clear them.
    private boolean tourEdits;

    public LessonViewModel(ExplorerViewModel session) {
        this.session = session;
        position = Bindings.createStringBinding(() -> steps.isEmpty() ? "This topology has no tour."
                : index.get() < 0 ? steps.size() + " steps: press Next to start."
                : "Step " + (index.get() + 1) + " of " + steps.size(), index, steps);
        session.baselineProperty().addListener((o, a, t) -> show(t));
        show(session.baselineProperty().get());
    }

    public ReadOnlyStringProperty titleProperty() { return title.getReadOnlyProperty(); }
    /// The lesson as the topology's author wrote it, in Markdown.
    public ReadOnlyStringProperty markdownProperty() { return markdown.getReadOnlyProperty(); }
    public ObservableList<Tour.Step> steps() { return steps; }
    /// Each step in words, numbered: "2. drive to drive through the switch: 0000:1a:00.0 → 0000:1b:00.0, …".
    public ObservableList<String> stepTexts() { return stepTexts; }
    /// The step shown, or -1 before the first.
    public ReadOnlyIntegerProperty indexProperty() { return index.getReadOnlyProperty(); }
    public BooleanBinding canNextProperty() { return canNext; }
    public BooleanBinding canBackProperty() { return canBack; }
    /// "Step 2 of 5", or how to start.
    public StringBinding positionProperty() { return position; }
    /// True while a step is being applied to the session (the window keeps the Lesson tab in front meanwhile).
    public ReadOnlyBooleanProperty applyingProperty() { return applying.getReadOnlyProperty(); }

    public void next() {
        if (canNext.get()) go(index.get() + 1);
    }

    public void back() {
        if (canBack.get()) go(index.get() - 1);
    }

    /// Shows step `i`: its what-if edits, then its pair.
    public void go(int i) {
        if (i < 0 || i >= steps.size()) throw new IndexOutOfBoundsException("no tour step " + i);
        Tour.Step s = steps.get(i);
        applying.set(true);
        try {
            List<Edit> edits = s.edits();
            if (!edits.isEmpty() || tourEdits) {
                session.setEdits(edits);
                tourEdits = !edits.isEmpty();
            }
            session.setPair(s.provider(), s.client());
            index.set(i);
        } finally {
            applying.set(false);
        }
    }

    private void show(Topology t) {
        tourEdits = false;
        index.set(-1);
        if (t == null) {
            title.set("");
            markdown.set("");
            steps.clear();
            stepTexts.clear();
            return;
        }
        title.set(t.name() == null ? "Untitled topology" : t.name());
        markdown.set(t.description() == null ? "No lesson for this topology: its file has no description."
                : t.description());
        List<Tour.Step> tour;
        try {
            tour = Tour.of(t);
        } catch (RuntimeException e) {
            tour = List.of();   // a hand-written tour that does not parse is no tour; the lesson text still shows
        }
        steps.setAll(tour.stream().filter(s -> t.contains(s.provider()) && t.contains(s.client())).toList());
        stepTexts.setAll(java.util.stream.IntStream.range(0, steps.size())
                .mapToObj(i -> (i + 1) + ". " + steps.get(i).describe()).toList());
    }
}
