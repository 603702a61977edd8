package dev.p2pscope.app.view;

import dev.p2pscope.core.engine.MapType;
import dev.p2pscope.core.model.PciAddress;
import javafx.scene.Node;
import javafx.scene.text.Text;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/// The tabs that explain rather than decide: the lesson rendered and its tour walked with Next/Back (the canvas
/// following each step), the Notices empty state, the Inspector's header, the Host tab's wording.
@Tag("ui")   // a real window on JavaFX's headless platform
class TabsUiTest extends MainViewFxTest {

    TabsUiTest() {
        super("p2pscope-test", 1400, 900, false);
    }

    @Override
    void opened() {
        view.openSample("skylake-sp-2s-switch");
        view.selectTab("Lesson");
    }

    static PciAddress a(String bdf) {
        return PciAddress.parse(bdf);
    }

    @Test
    void nextAndBackWalkTheTourAndTheCanvasFollows() {
        assertThat(view.lesson().position.getText()).isEqualTo("5 steps: press Next to start.");
        assertThat(view.lesson().back.isDisabled()).isTrue();
        robot.clickOn(view.lesson().next);
        assertThat(vm.providerProperty().get()).isEqualTo(a("0000:1a:00.0"));
        assertThat(vm.clients()).containsExactly(a("0000:1c:00.0"));
        assertThat(view.canvas().nodeOf(a("0000:1a:00.0")).getPseudoClassStates()).contains(TopologyCanvas.PROVIDER);
        assertThat(view.canvas().nodeOf(a("0000:1c:00.0")).getPseudoClassStates()).contains(TopologyCanvas.CLIENT);
        assertThat(view.lesson().position.getText()).isEqualTo("Step 1 of 5");
        assertThat(view.lesson().steps.getSelectionModel().getSelectedIndex()).isZero();
        robot.clickOn(view.lesson().next);
        assertThat(vm.clients()).containsExactly(a("0000:1b:00.0"));
        assertThat(view.canvas().nodeOf(a("0000:1c:00.0")).getPseudoClassStates()).doesNotContain(TopologyCanvas.CLIENT);
        assertThat(view.canvas().nodeOf(a("0000:1b:00.0")).getPseudoClassStates()).contains(TopologyCanvas.CLIENT);
        robot.clickOn(view.lesson().back);
        assertThat(vm.clients()).containsExactly(a("0000:1c:00.0"));
        assertThat(view.lesson().position.getText()).isEqualTo("Step 1 of 5");
        // The teacher stays on the lesson while the verdict changes underneath.
        assertThat(view.tabs().getSelectionModel().getSelectedItem().getText()).isEqualTo("Lesson");
    }

    @Test
    void aStepWithWhatIfEditsSetsThemAndTheNextStepWithoutClearsThem() {
        robot.interact(() -> view.lesson().model.go(4));   // "without 8086:2030 on the allowlist ..."
        assertThat(vm.edits()).hasSize(1);
        assertThat(vm.verdictProperty().get().mapType()).isEqualTo(MapType.NOT_SUPPORTED);
        assertThat(view.tabs().getSelectionModel().getSelectedItem().getText()).isEqualTo("Lesson");
        robot.clickOn(view.lesson().back);
        assertThat(vm.edits()).isEmpty();
        assertThat(vm.verdictProperty().get().mapType()).isEqualTo(MapType.THRU_HOST_BRIDGE);
        assertThat(view.lesson().next.isDisabled()).isFalse();
    }

    @Test
    void theLessonIsRenderedMarkdownWithoutTheSourcesLineBreaks() {
        List<String> texts = texts(view.lesson().lesson).toList();
        String all = String.join("", texts);
        assertThat(all).doesNotContain("**").doesNotContain("`").doesNotContain("\n");
        // A paragraph that spans lines in the file reads as one: the soft break is a space.
        assertThat(all).contains("with an Eideticom NoLoad (an NVMe drive whose Controller Memory Buffer is published");
        assertThat(strong(view.lesson().lesson)).contains("bus address");
        assertThat(view.lesson().title.getText()).isNotBlank();
    }

    @Test
    void noticesSayThereAreNoneAndTheInspectorNamesItsFunction() {
        assertThat(view.notices.list.getItems()).isEmpty();
        assertThat(view.notices.empty.getText()).startsWith("No notices: sample skylake-sp-2s-switch loaded");
        assertThat(view.inspector.header.getText()).startsWith("No function selected");
        robot.interact(() -> vm.select(a("0000:1a:00.0")));
        assertThat(view.inspector.header.getText()).startsWith("0000:1a:00.0 \u00b7 Eideticom NoLoad")
                .endsWith("endpoint");
        assertThat(view.inspector.sheet.getItems()).isNotEmpty();
        assertThat(view.host.facts.getText()).doesNotContain("none that change").contains("P2PDMA parameters");
    }

    static Stream<String> texts(Node n) {
        if (n instanceof Text t) return Stream.of(t.getText());
        if (n instanceof javafx.scene.Parent p) return p.getChildrenUnmodifiable().stream().flatMap(TabsUiTest::texts);
        return Stream.empty();
    }

    static String strong(Node n) {
        StringBuilder b = new StringBuilder();
        n.lookupAll(".md-strong").forEach(x -> b.append(((Text) x).getText()).append('|'));
        return b.toString();
    }
}
