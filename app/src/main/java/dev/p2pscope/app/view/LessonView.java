package dev.p2pscope.app.view;

import dev.p2pscope.app.viewmodel.LessonViewModel;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/// The topology's lesson, rendered from Markdown, and its tour: Back and Next walk the steps, the canvas follows.
/// Binds to [LessonViewModel].
final class LessonView extends VBox {

    final LessonViewModel model;
    final Label title = new Label();
    final MarkdownView lesson = new MarkdownView();
    final Label position = new Label();
    final Button back = new Button("\u2190 Back");
    final Button next = new Button("Next \u2192");
    final ListView<String> steps = new ListView<>();
    private boolean syncing;

    LessonView(LessonViewModel model) {
        super(8);
        this.model = model;
        getStyleClass().add("lesson-view");
        title.getStyleClass().add("lesson-title");
        title.setWrapText(true);
        title.textProperty().bind(model.titleProperty());
        model.markdownProperty().addListener((o, a, md) -> lesson.setMarkdown(md));
        lesson.setMarkdown(model.markdownProperty().get());
        position.textProperty().bind(model.positionProperty());
        back.disableProperty().bind(model.canBackProperty().not());
        next.disableProperty().bind(model.canNextProperty().not());
        back.setOnAction(e -> model.back());
        next.setOnAction(e -> model.next());
        steps.setItems(model.stepTexts());
        steps.setPlaceholder(new Label("This topology has no tour."));
        steps.setPrefHeight(280);
        steps.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(String s, boolean empty) {
                super.updateItem(s, empty);
                setText(empty || s == null ? null : s);
                setWrapText(true);
                setPrefWidth(0);
            }
        });
        steps.getSelectionModel().selectedIndexProperty().addListener((o, a, i) -> {
            if (!syncing && i.intValue() >= 0 && i.intValue() != model.indexProperty().get()) model.go(i.intValue());
        });
        model.indexProperty().addListener((o, a, i) -> select(i.intValue()));
        model.stepTexts().addListener((ListChangeListener<String>) c -> select(model.indexProperty().get()));
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox bar = new HBox(8, SglView.section("Tour"), grow, position, back, next);
        bar.getStyleClass().add("tour-bar");
        getChildren().addAll(title, lesson, bar, steps);
        select(model.indexProperty().get());   // built when the tab is first opened: the tour may be under way
    }

    private void select(int i) {
        syncing = true;
        try {
            if (i < 0) {
                steps.getSelectionModel().clearSelection();
            } else {
                steps.getSelectionModel().select(i);
                steps.scrollTo(i);
            }
        } finally {
            syncing = false;
        }
    }
}
