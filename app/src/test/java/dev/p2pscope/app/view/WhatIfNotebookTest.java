package dev.p2pscope.app.view;

import dev.p2pscope.core.engine.VerdictMatrix;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.samples.Samples;
import dev.p2pscope.core.whatif.WhatIf;
import javafx.scene.control.CheckBox;
import org.junit.jupiter.api.Test;
import org.testfx.util.WaitForAsyncUtils;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/// The What-if tab as a lab notebook: changes counted against the loaded topology across edits, a bridge chosen
/// for editing without losing the pair under study, and the Verdict tab saying that edits are active.
class WhatIfNotebookTest extends MainViewFxTest {

    WhatIfNotebookTest() {
        super("p2pscope-test-whatif");
    }

    @Override
    void opened() {
        view.openSample("skylake-sp-2s-switch");
    }

    static PciAddress a(String bdf) {
        return PciAddress.parseLenient(bdf);
    }

    @Test
    void threeTicksOnOnePortCountEveryPairThatDiffersFromTheLoadedTopology() throws Exception {
        robot.interact(() -> {
            view.selectTab("What-if");
            view.whatIf.target.setValue(a("19:00.0"));
        });
        robot.clickOn(robot.lookup("#has-acs").queryAs(CheckBox.class));
        robot.clickOn(robot.lookup("#acs-bit-RR").queryAs(CheckBox.class));
        robot.clickOn(robot.lookup("#acs-bit-CR").queryAs(CheckBox.class));
        WaitForAsyncUtils.waitForFxEvents();
        // What the command line says for the same end state: matrix --acs 0000:19:00.0=0x000c (RR|CR).
        Topology loaded = Samples.load("skylake-sp-2s-switch").topology();
        Topology edited = WhatIf.apply(loaded, List.of(WhatIf.acs("0000:19:00.0=0x000c")));
        List<VerdictMatrix.PairChange> cli = VerdictMatrix.diff(
                VerdictMatrix.compute(loaded, VerdictMatrix.defaultDevices(loaded)),
                VerdictMatrix.compute(edited, VerdictMatrix.defaultDevices(edited)));
        assertThat(cli).hasSize(6);
        assertThat(vm.edits()).hasSize(3);
        assertThat(view.whatIf.changes.getItems()).containsExactlyInAnyOrderElementsOf(cli);
        assertThat(view.whatIf.changeCount.getText()).startsWith("6 pair(s) differ from the loaded topology after 3 edit(s)");
        assertThat(view.whatIf.editList.getItems()).hasSize(3);
        // Undo the last tick: RR alone (0x0004), still counted against the loaded topology, not against the
        // previous edit (which would be no change at all: CR adds nothing to RR here).
        robot.interact(vm::undo);
        Topology rrOnly = WhatIf.apply(loaded, List.of(WhatIf.acs("0000:19:00.0=0x0004")));
        List<VerdictMatrix.PairChange> cliRr = VerdictMatrix.diff(
                VerdictMatrix.compute(loaded, VerdictMatrix.defaultDevices(loaded)),
                VerdictMatrix.compute(rrOnly, VerdictMatrix.defaultDevices(rrOnly)));
        assertThat(cliRr).hasSize(6);
        assertThat(view.whatIf.changes.getItems()).containsExactlyInAnyOrderElementsOf(cliRr);
        assertThat(view.whatIf.changeCount.getText()).startsWith("6 pair(s) differ from the loaded topology after 2 edit(s)");
    }

    @Test
    void aBridgeIsEditedWithoutLosingThePairAndTheVerdictSaysEditsAreActive() {
        robot.interact(() -> vm.setPair(a("1a:00.0"), a("1c:00.0")));
        var before = vm.verdictProperty().get();
        assertThat(view.lookup("#what-if-banner").isVisible()).isFalse();
        robot.interact(() -> {
            view.selectTab("What-if");
            view.whatIf.target.setValue(a("19:10.0"));   // the client's switch port
        });
        robot.clickOn(robot.lookup("#has-acs").queryAs(CheckBox.class));
        robot.clickOn(robot.lookup("#acs-bit-RR").queryAs(CheckBox.class));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.providerProperty().get()).isEqualTo(a("1a:00.0"));
        assertThat(vm.clients()).containsExactly(a("1c:00.0"));
        assertThat(vm.verdictProperty().get().mapType()).isNotEqualTo(before.mapType());
        robot.interact(() -> view.selectTab("Verdict"));
        var banner = (javafx.scene.control.Label) view.lookup("#what-if-banner");
        assertThat(banner.isVisible()).isTrue();
        assertThat(banner.getText()).startsWith("What-if: 2 edit(s) active").contains("differ from the loaded topology");
        // The canvas's context menu does the same without the picker.
        robot.interact(() -> view.whatIf.model().setTarget(a("19:00.0")));
        assertThat(vm.providerProperty().get()).isEqualTo(a("1a:00.0"));
        robot.interact(vm::reset);
        assertThat(banner.isVisible()).isFalse();
    }

    @Test
    void everyTabAskedForOnTheCommandLineStaysInFrontWithASelection() {
        for (String tab : List.of("Lesson", "Notices", "Matrix", "What-if")) {
            var o = dev.p2pscope.app.WindowOptions.parse(new String[] {"--sample", "skylake-sp-2s-switch", "--select",
                    "1a:00.0,1c:00.0", "--tab", tab.toLowerCase(java.util.Locale.ROOT)});
            String[] problem = new String[1];
            robot.interact(() -> {
                view.selectTab("Verdict");
                vm.show(vm.baselineProperty().get());
                problem[0] = dev.p2pscope.app.ExplorerApp.applyOptions(o, vm, view);
            });
            assertThat(problem[0]).isNull();
            assertThat(vm.verdictProperty().get()).isNotNull();
            assertThat(view.tabs().getSelectionModel().getSelectedItem().getText()).as(tab).isEqualTo(tab);
        }
        var bad = dev.p2pscope.app.WindowOptions.parse(new String[] {"--select", "99:00.0,1c:00.0", "--tab", "Lesson"});
        String[] problem = new String[1];
        robot.interact(() -> problem[0] = dev.p2pscope.app.ExplorerApp.applyOptions(bad, vm, view));
        assertThat(problem[0]).isEqualTo("--select: no function 0000:99:00.0 in this topology");
    }
}
