package dev.p2pscope.core.text;

import dev.p2pscope.core.engine.P2pdmaEngine;
import dev.p2pscope.core.host.BootParams;
import dev.p2pscope.core.host.HostContext;
import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.Topology;

/// The host around the tree as text: CPU, kernel, boot parameters, IOMMU, unknown ACS, and what each means for
/// P2PDMA. A fact that was not captured says so: a missing command line is "not captured", never "none".
public final class HostText {

    private HostText() {
    }

    /// How many functions' ACS could not be read.
    public static long unknownAcs(Topology t) {
        return t.functions().stream().filter(f -> f.acs() instanceof Acs.Unknown).count();
    }

    public static String render(Topology t) {
        long unknown = unknownAcs(t);
        long derived = t.functions().stream().filter(f -> f.inferred().contains("acs-derived")).count();
        StringBuilder b = new StringBuilder();
        b.append("CPU                ").append(t.cpu()).append(P2pdmaEngine.cpuSupportsP2pdma(t.cpu())
                ? "  (AMD Zen or later: the kernel skips the host-bridge allowlist)"
                : "  (the host-bridge allowlist decides host-bridge traffic)").append('\n');
        b.append("kernel profile     ").append(t.kernel()).append('\n');
        b.append("kernel release     ").append(t.host().kernelRelease() == null ? "not captured"
                : t.host().kernelRelease()).append('\n');
        String cmdline = t.host().cmdline();
        b.append("command line       ").append(cmdline == null ? "not captured" : cmdline).append('\n');
        b.append("P2PDMA parameters  ");
        if (cmdline == null) {
            b.append("unknown (no command line was captured)");
        } else {
            BootParams p = HostContext.bootParams(t);
            b.append(p.relevant().isEmpty()
                    ? "none (no pci=disable_acs_redir, pci=config_acs or IOMMU switch on the command line)"
                    : String.join(" ", p.relevant()));
        }
        b.append('\n');
        b.append("IOMMU              ").append(t.host().iommu() == null ? "not captured" : t.host().iommu())
                .append(HostContext.iommuActive(t) ? "  (active: the kernel asks for ACS RR/CR on ports that have ACS)"
                        : "").append('\n');
        b.append("ACS unknown        ").append(unknown).append(" function(s)")
                .append(derived > 0 ? ", " + derived + " derived" : "").append('\n');
        return b.toString();
    }

    /// What to do about unknown ACS, in a sentence.
    public static String acsNote(Topology t) {
        return unknownAcs(t) == 0 ? "Every function's ACS was read (or the topology states it)."
                : "ACS lives in extended config space, which only root can read: derive the likely state, or capture "
                  + "with p2pscope snapshot as root.";
    }
}
