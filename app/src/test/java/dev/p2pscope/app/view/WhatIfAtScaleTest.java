package dev.p2pscope.app.view;

import dev.p2pscope.core.engine.VerdictMatrix;
import dev.p2pscope.core.generate.TopologyGenerator;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.whatif.WhatIf;
import javafx.scene.control.ListCell;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/// An allowlist edit on a 4,096-endpoint tree changes 17.7 million pairs: the What-if tab lists them all (count
/// at once, rows made as they scroll into view) within the test JVM's 2 GB heap, where a list of every pair as an
/// object, and a set of every changed cell for the matrix's outline, took more than that.
@Tag("slow")   // a generated 9,658-function tree and two 4,224-device all-pairs matrices
class WhatIfAtScaleTest extends MainViewFxTest {

    WhatIfAtScaleTest() {
        super("p2pscope-test-whatif-scale");
    }

    @Test
    void denyingTheHostBridgeOfALargeTreeListsEveryChangedPairWithoutMakingThemAll() {
        Topology t = TopologyGenerator.generate(TopologyGenerator.Spec.forEndpoints(4096, 1));
        var edit = WhatIf.deny("8086:09a2");
        List<VerdictMatrix.PairChange> firstRows;
        long expected;
        {
            List<dev.p2pscope.core.model.PciAddress> devices = VerdictMatrix.defaultDevices(t);
            VerdictMatrix before = VerdictMatrix.compute(t, devices);
            VerdictMatrix after = VerdictMatrix.compute(edit.applyTo(t), devices);
            expected = VerdictMatrix.countChanges(before, after);
            firstRows = dev.p2pscope.core.engine.ChangedPairs.between(before, after).asList().subList(0, 3).stream()
                    .toList();
        }
        assertThat(expected).as("pairs the edit changes").isGreaterThan(17_000_000L);
        robot.interact(() -> {
            vm.show(t);
            view.selectTab("What-if");
            vm.apply(edit);
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat((long) view.whatIf.changes.getItems().size()).isEqualTo(expected);
        assertThat(view.whatIf.changes.getItems().subList(0, 3)).isEqualTo(firstRows);
        assertThat(view.whatIf.changeCount.getText()).contains(String.format(java.util.Locale.ROOT, "%,d", expected)
                + " pair(s) differ from the loaded topology");
        // The rows on screen are the first ones, as the core orders them.
        List<String> shown = cells().stream().filter(c -> !c.isEmpty() && c.getIndex() < 3)
                .sorted(java.util.Comparator.comparingInt(ListCell::getIndex)).map(ListCell::getText).toList();
        assertThat(shown).isEqualTo(firstRows.stream().map(Object::toString).toList());
        // Scrolled to the end: the last row is made on demand, too.
        robot.interact(() -> view.whatIf.changes.scrollTo((int) expected - 1));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(cells().stream().anyMatch(c -> c.getIndex() == expected - 1 && c.getText() != null)).isTrue();
        // A row selected, then the edit undone: the list empties in one event (its 17.7 million old rows handed to
        // the list view as a list made on demand), and the selection goes with them.
        robot.interact(() -> view.whatIf.changes.getSelectionModel().select((int) expected - 1));
        assertThat(view.whatIf.changes.getSelectionModel().getSelectedItem()).isNotNull();
        String matrixNote = view.matrix().notOutlined.getText();
        robot.interact(vm::undo);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(view.whatIf.changes.getItems()).isEmpty();
        assertThat(view.whatIf.changes.getSelectionModel().getSelectedItem()).isNull();
        assertThat(view.matrix().notOutlined.getText()).isEmpty();
        // The matrix did not outline 17.7 million cells, and said so.
        assertThat(matrixNote)
                .isEqualTo(String.format(java.util.Locale.ROOT, "%,d pairs differ from the loaded topology: too many "
                        + "to outline here; the What-if tab lists them.", expected));
    }

    private List<ListCell<?>> cells() {
        return robot.lookup("#changed-pairs .list-cell").queryAll().stream()
                .<ListCell<?>>mapMulti((n, out) -> {
                    if (n instanceof ListCell<?> c) out.accept(c);
                }).toList();
    }
}
