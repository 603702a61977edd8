package dev.p2pscope.app.view;

import dev.p2pscope.app.viewmodel.ExplorerViewModel;
import dev.p2pscope.core.engine.P2pdmaEngine;
import dev.p2pscope.core.host.BootParams;
import dev.p2pscope.core.host.HostContext;
import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.Topology;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.VBox;

/// The host around the tree: CPU, kernel, boot parameters, IOMMU, and what they mean for P2PDMA.
final class HostView extends VBox {

    final TextArea facts = new TextArea();
    final Button derive = new Button("Derive unknown ACS from the IOMMU and boot parameters");
    final Label note = new Label();

    HostView(ExplorerViewModel vm) {
        super(8);
        facts.setEditable(false);
        facts.setWrapText(true);
        facts.setPrefRowCount(14);
        facts.getStyleClass().add("kernel-log");
        note.setWrapText(true);
        derive.setOnAction(e -> vm.apply(HostContext.deriveAcsEdit(vm.topology())));
        getChildren().addAll(facts, derive, note);
        vm.topologyProperty().addListener((o, a, t) -> show(t));
    }

    private void show(Topology t) {
        if (t == null) return;
        BootParams p = HostContext.bootParams(t);
        long unknown = t.functions().stream().filter(f -> f.acs() instanceof Acs.Unknown).count();
        long derived = t.functions().stream().filter(f -> f.inferred().contains("acs-derived")).count();
        StringBuilder b = new StringBuilder();
        b.append("CPU              ").append(t.cpu()).append(P2pdmaEngine.cpuSupportsP2pdma(t.cpu())
                ? "  (AMD Zen or later: the kernel skips the host-bridge allowlist)"
                : "  (the host-bridge allowlist decides host-bridge traffic)").append('\n');
        b.append("kernel profile   ").append(t.kernel()).append('\n');
        b.append("kernel release   ").append(t.host().kernelRelease() == null ? "not captured" : t.host().kernelRelease())
                .append('\n');
        b.append("command line     ").append(t.host().cmdline() == null ? "not captured" : t.host().cmdline()).append('\n');
        b.append("  P2PDMA-relevant ").append(p.summary()).append('\n');
        b.append("IOMMU            ").append(t.host().iommu() == null ? "unknown" : t.host().iommu())
                .append(HostContext.iommuActive(t) ? "  (active: the kernel asks for ACS RR/CR on ports that have ACS)"
                        : "").append('\n');
        b.append("ACS unknown      ").append(unknown).append(" function(s)")
                .append(derived > 0 ? ", " + derived + " derived" : "").append('\n');
        facts.setText(b.toString());
        derive.setDisable(unknown == 0);
        note.setText(unknown == 0 ? "Every function's ACS was read (or the topology states it)."
                : "ACS lives in extended config space, which only root can read: derive the likely state, or capture "
                  + "with p2pscope snapshot as root.");
    }
}
