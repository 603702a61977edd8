package dev.p2pscope.core.host;

import dev.p2pscope.core.engine.Verdict;
import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.Edit;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/// What the host around the tree means for P2PDMA: its boot parameters and IOMMU, ACS derived from them where the
/// registers could not be read, and the boot parameters behind a verdict.
public final class HostContext {

    private HostContext() {
    }

    public static BootParams bootParams(Topology t) {
        return BootParams.parse(t.host().cmdline());
    }

    /// Whether an IOMMU is (probably) active: IOMMU units registered and not switched off on the command line.
    public static boolean iommuActive(Topology t) {
        String units = t.host().iommu();
        return units != null && !units.equals("none") && !units.isBlank() && !bootParams(t).iommuOff();
    }

    /// For every function whose ACS is unknown and that usually implements ACS (root ports and switch downstream
    /// ports), the state the kernel most likely left: `pci_enable_acs()` turns on SV|RR|CR|UF when an IOMMU driver
    /// requested ACS, nothing redirecting otherwise; then `pci=disable_acs_redir=` clears RR|CR|EC and
    /// `pci=config_acs=` applies its bits. Each derived function is marked `acs-derived` in `inferred`.
    ///
    /// When the IOMMU state was not captured nothing is derived: "not captured" is not "no IOMMU", and with an
    /// IOMMU the kernel turns redirect on where without one it does not, so the ACS stays unknown.
    public static Topology deriveAcs(Topology t) {
        if (!iommuKnown(t)) return t;
        BootParams params = bootParams(t);
        boolean iommu = iommuActive(t);
        Topology out = t;
        for (PciFunction f : t.functions()) {
            if (!(f.acs() instanceof Acs.Unknown)) continue;
            if (f.kind() != DeviceKind.ROOT_PORT && f.kind() != DeviceKind.SWITCH_DOWN) continue;
            int control = iommu ? Acs.SV | Acs.RR | Acs.CR | Acs.UF : 0;
            for (DeviceMatch m : params.disableAcsRedir()) {
                if (m.matches(t, f)) control &= ~Acs.REDIRECT_BITS;
            }
            for (BootParams.ConfigAcs c : params.configAcs()) {
                if (c.device().matches(t, f)) control = c.apply(control);
            }
            Set<String> inferred = new TreeSet<>(f.inferred());
            inferred.add("acs-derived");
            out = out.withFunction(f.toBuilder().acs(Acs.control(control)).inferred(inferred).build());
        }
        return out;
    }

    /// Whether the source says if an IOMMU was active (units registered, `none`, or switched off at boot).
    public static boolean iommuKnown(Topology t) {
        return t.host().iommu() != null || bootParams(t).iommuOff();
    }

    /// [#deriveAcs] as one undoable what-if edit.
    public static Edit deriveAcsEdit(Topology t) {
        Topology derived = deriveAcs(t);
        List<Edit> edits = new ArrayList<>();
        for (PciFunction f : derived.functions()) {
            if (!f.equals(t.require(f.address()))) edits.add(new Edit.ReplaceFunction(f));
        }
        if (!iommuKnown(t)) {
            return new Edit.Batch("derive no ACS: the IOMMU state was not captured, so the ACS stays unknown", edits);
        }
        return new Edit.Batch("derive the ACS of " + edits.size() + " function(s) from the "
                + (iommuActive(t) ? "active IOMMU" : "absence of an IOMMU") + " and the boot parameters", edits);
    }

    /// Sentences saying how the boot parameters bear on this verdict: a function on the examined path whose ACS a
    /// parameter set or cleared.
    public static List<String> explain(Topology t, Verdict v) {
        BootParams params = bootParams(t);
        List<String> out = new ArrayList<>();
        if (params.isEmpty()) return out;
        List<PciAddress> examined = new ArrayList<>(v.path());
        for (PciAddress a : examined) {
            PciFunction f = t.function(a).orElse(null);
            if (f == null) continue;
            for (DeviceMatch m : params.disableAcsRedir()) {
                if (m.matches(t, f)) {
                    out.add("pci=disable_acs_redir=" + m.text() + " cleared RR/CR/EC on " + a
                            + " at boot: that is why it does not redirect.");
                }
            }
            for (BootParams.ConfigAcs c : params.configAcs()) {
                if (c.device().matches(t, f)) {
                    boolean redirects = f.acs().redirects();
                    out.add("pci=config_acs=" + c.bits() + "@" + c.device().text() + " set the ACS bits of " + a
                            + (redirects ? ": its RR/CR/EC now redirect this pair's traffic." : ": it does not redirect."));
                }
            }
        }
        if (params.iommuOff()) {
            out.add("The IOMMU is off on the command line: the kernel did not request ACS, so ports redirect only "
                    + "where firmware or a boot parameter set it.");
        }
        return out;
    }
}
