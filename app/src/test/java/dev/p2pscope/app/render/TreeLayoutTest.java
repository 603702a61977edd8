package dev.p2pscope.app.render;

import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.samples.Samples;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TreeLayoutTest {

    @Test
    void eachSwitchIsOneGroupHoldingItsPortsAndNothingElse() throws Exception {
        for (String name : Samples.names()) {
            Topology t = Samples.load(name).topology();
            TreeLayout.Layout l = TreeLayout.compute(t, Set.of(), false);
            long switches = t.functions().stream().filter(f -> f.kind() == DeviceKind.SWITCH_UP).count();
            assertThat(l.switches()).as(name).hasSize((int) switches);
            for (TreeLayout.SwitchGroup g : l.switches()) {
                for (TreeLayout.Box b : l.boxes().values()) {
                    boolean inside = b.x() >= g.x() && b.x() + b.w() <= g.x() + g.w()
                            && b.y() >= g.y() && b.y() + b.h() <= g.y() + g.h();
                    boolean touches = b.x() < g.x() + g.w() && g.x() < b.x() + b.w()
                            && b.y() < g.y() + g.h() && g.y() < b.y() + b.h();
                    PciFunction f = b.function() == null ? null : t.require(b.function());
                    boolean port = f != null && (f.address().equals(g.upstream())
                            || f.kind() == DeviceKind.SWITCH_DOWN && g.upstream().equals(f.parent()));
                    assertThat(inside).as(name + ": " + b.id() + " in switch " + g.upstream()).isEqualTo(port);
                    if (!port) assertThat(touches).as(name + ": " + b.id() + " crosses switch " + g.upstream()).isFalse();
                }
            }
        }
    }

    @Test
    void everyFunctionGetsABoxBelowItsParentAndNoBoxesOverlap() throws Exception {
        for (String name : Samples.names()) {
            Topology t = Samples.load(name).topology();
            TreeLayout.Layout l = TreeLayout.compute(t, Set.of(), true);
            for (PciFunction f : t.functions()) {
                TreeLayout.Box b = l.of(f.address());
                assertThat(b).as(name + " " + f.address()).isNotNull();
                TreeLayout.Box parent = f.parent() == null ? l.ofRootBus(t.rootBus(f)) : l.of(f.parent());
                assertThat(b.y()).as(name + " " + f.address() + " below its parent").isGreaterThan(parent.y());
            }
            List<TreeLayout.Box> boxes = List.copyOf(l.boxes().values());
            for (int i = 0; i < boxes.size(); i++) {
                for (int j = i + 1; j < boxes.size(); j++) {
                    TreeLayout.Box p = boxes.get(i);
                    TreeLayout.Box q = boxes.get(j);
                    boolean overlap = p.x() < q.x() + q.w() && q.x() < p.x() + p.w()
                            && p.y() < q.y() + q.h() && q.y() < p.y() + p.h();
                    assertThat(overlap).as(name + ": " + p.id() + " overlaps " + q.id()).isFalse();
                }
            }
        }
    }

    @Test
    void aCollapsedBridgeHidesItsSubtreeAndCountsIt() throws Exception {
        Topology t = Samples.load("acs-redirect-switch").topology();
        PciAddress usp = PciAddress.parse("0000:01:00.0");
        TreeLayout.Layout l = TreeLayout.compute(t, Set.of(usp), false);
        assertThat(l.of(PciAddress.parse("0000:03:00.0"))).isNull();
        assertThat(l.of(usp).hiddenChildren()).isEqualTo(7);
    }

    /// The shortcut that skips laying out a fold level is only ever right: whenever it says a level cannot fit,
    /// the laid-out level indeed fits only below that zoom (samples and a generated 600-endpoint tree, every level).
    @Test
    void aLevelSaidNotToFitIsNeverOneThatFits() throws Exception {
        List<Topology> ts = new java.util.ArrayList<>();
        for (String name : Samples.names()) ts.add(Samples.load(name).topology());
        ts.add(dev.p2pscope.core.generate.TopologyGenerator.generate(
                dev.p2pscope.core.generate.TopologyGenerator.Spec.forEndpoints(600, 3)));
        int said = 0;
        for (Topology t : ts) {
            List<Set<PciAddress>> levels = new java.util.ArrayList<>();
            levels.add(Set.of());
            levels.addAll(TreeLayout.foldLevels(t));
            for (Set<PciAddress> level : levels) {
                for (double zoom : new double[] {0.25, 0.5, 1, 2}) {
                    if (!TreeLayout.cannotFit(t, level, zoom, 900, 736)) continue;
                    said++;
                    TreeLayout.Layout l = TreeLayout.compute(t, level, false, 900 / 736.0);
                    double fit = Math.min((900 - 40) / l.width(), (736 - 40) / l.height());
                    assertThat(fit).as(t.size() + " functions, " + level.size() + " folded, zoom " + zoom)
                            .isLessThan(zoom);
                }
            }
        }
        assertThat(said).as("the shortcut was exercised").isPositive();
    }
}
