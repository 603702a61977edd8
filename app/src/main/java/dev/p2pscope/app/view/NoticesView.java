package dev.p2pscope.app.view;

import dev.p2pscope.app.viewmodel.NoticesViewModel;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.BorderPane;

/// What the loader noticed (unknown keys, inferred facts, skipped files), one line each with its place; when there
/// is nothing, it says so. Binds to [NoticesViewModel].
final class NoticesView extends BorderPane {

    final ListView<String> list = new ListView<>();
    final Label empty = new Label();

    NoticesView(NoticesViewModel model) {
        getStyleClass().add("notices-view");
        empty.textProperty().bind(model.emptyTextProperty());
        empty.setWrapText(true);
        empty.getStyleClass().add("empty-state");
        list.setPlaceholder(empty);
        list.setItems(model.lines());
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(String line, boolean blank) {
                super.updateItem(line, blank);
                setText(blank ? null : line);
                setWrapText(true);
                setPrefWidth(0);
            }
        });
        setCenter(list);
    }
}
