package dev.p2pscope.app.view;

import dev.p2pscope.app.viewmodel.InspectorViewModel;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import org.controlsfx.control.PropertySheet;

import java.util.Optional;

/// Every fact of the selected function, grouped, each saying whether it was read or inferred, under a header that
/// names the function. Binds to [InspectorViewModel].
final class InspectorView extends BorderPane {

    final PropertySheet sheet = new PropertySheet();
    final Label header = new Label();

    InspectorView(InspectorViewModel model) {
        sheet.setMode(PropertySheet.Mode.CATEGORY);
        sheet.setModeSwitcherVisible(false);
        sheet.setSearchBoxVisible(true);
        header.textProperty().bind(model.headerProperty());
        header.getStyleClass().add("inspector-header");
        header.setWrapText(true);
        setTop(header);
        setCenter(sheet);
        model.facts().addListener((ListChangeListener<InspectorViewModel.Fact>) c ->
                sheet.getItems().setAll(model.facts().stream().map(Item::new).toList()));
        sheet.getItems().setAll(model.facts().stream().map(Item::new).toList());
    }

    /// A read-only fact as a property-sheet item.
    record Item(InspectorViewModel.Fact fact) implements PropertySheet.Item {
        @Override public Class<?> getType() { return String.class; }
        @Override public String getCategory() { return fact.category(); }
        @Override public String getName() { return fact.name(); }
        @Override public String getDescription() { return fact.name() + ": " + fact.source(); }
        @Override public Object getValue() { return fact.value() + "   [" + fact.source() + "]"; }
        @Override public void setValue(Object v) { }
        @Override public boolean isEditable() { return false; }
        @Override public Optional<ObservableValue<?>> getObservableValue() { return Optional.empty(); }
    }
}
