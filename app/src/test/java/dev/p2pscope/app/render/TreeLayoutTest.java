package dev.p2pscope.app.render;

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
}
