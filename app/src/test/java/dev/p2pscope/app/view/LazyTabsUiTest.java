package dev.p2pscope.app.view;

import dev.p2pscope.core.model.PciAddress;
import javafx.scene.control.Tab;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/// The window starts with only the shown tab's content in the scene (issue 15: the first frame); the others join
/// when first opened and then show the state they would have shown had they been there all along.
@Tag("ui")   // a real window on JavaFX's headless platform
class LazyTabsUiTest extends MainViewFxTest {

    LazyTabsUiTest() {
        super("p2pscope-test-lazy-tabs");
    }

    @Override
    void opened() {
        view.openSample("skylake-sp-2s-switch");
    }

    static PciAddress a(String bdf) {
        return PciAddress.parse(bdf);
    }

    @Test
    void onlyTheShownTabIsInTheSceneUntilAnotherIsOpened() {
        Tab verdict = view.tabs().getTabs().getFirst();
        assertThat(view.tabs().getSelectionModel().getSelectedItem()).isSameAs(verdict);
        assertThat(verdict.getContent()).isNotNull();
        assertThat(view.tabs().getTabs().subList(1, view.tabs().getTabs().size()))
                .allSatisfy(t -> assertThat(t.getContent()).as(t.getText()).isNull());
        robot.interact(() -> view.selectTab("Matrix"));
        assertThat(view.tabs().getTabs().get(2).getContent()).isNotNull();
        assertThat(robot.lookup("#cell-0-0").tryQuery()).isPresent();
        robot.interact(() -> view.selectTab("Verdict"));
        // Opened once, it stays: the matrix is not built again.
        MatrixView matrix = view.matrix();
        robot.interact(() -> view.selectTab("Matrix"));
        assertThat(view.matrix()).isSameAs(matrix);
        assertThat(robot.lookup("#cell-0-0").tryQuery()).isPresent();
    }

    @Test
    void theMatrixMarksAPairChosenBeforeItWasOpened() {
        robot.interact(() -> vm.setPair(a("0000:1a:00.0"), a("0000:1c:00.0")));
        var devices = vm.matrixProperty().get().devices();
        String cell = "#cell-" + devices.indexOf(a("0000:1a:00.0")) + "-" + devices.indexOf(a("0000:1c:00.0"));
        robot.interact(() -> view.selectTab("Matrix"));
        assertThat(robot.lookup(cell).query().getStyleClass()).contains("selected");
    }

    @Test
    void theLessonOpenedMidTourShowsTheStepUnderWay() {
        robot.interact(() -> view.lessonModel.go(2));
        robot.interact(() -> view.selectTab("Lesson"));
        assertThat(view.lesson().steps.getSelectionModel().getSelectedIndex()).isEqualTo(2);
        assertThat(view.lesson().position.getText()).isEqualTo("Step 3 of 5");
    }
}
