package dev.p2pscope.core.whatif;

import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/// What would make an edited ACS state real, as text to read (never executed): `setpci` writes for a running
/// system, and the boot parameters `pci=config_acs=` (per bit, ≈6.11+) and `pci=disable_acs_redir=`.
public final class AcsCommands {

    private AcsCommands() {
    }

    /// One line per changed function, then the boot parameters; empty when no ACS Control value changed.
    public static List<String> between(Topology before, Topology after) {
        List<String> setpci = new ArrayList<>();
        List<String> configAcs = new ArrayList<>();
        List<String> disableRedir = new ArrayList<>();
        for (PciFunction f : after.functions()) {
            PciFunction old = before.function(f.address()).orElse(null);
            if (old == null || old.acs().equals(f.acs())) continue;
            if (!(f.acs() instanceof Acs.Present p)) {
                setpci.add("# " + f.address() + ": removing a capability cannot be done by software");
                continue;
            }
            setpci.add(String.format(Locale.ROOT, "setpci -s %s ECAP_ACS+6.w=%04x   # %s", f.address(), p.control(),
                    Acs.bitNames(p.control())));
            configAcs.add(bits(p.control()) + "@" + f.address());
            boolean wasRedirecting = old.acs().redirects();
            if (wasRedirecting && !p.redirects()) disableRedir.add(f.address().toString());
        }
        List<String> out = new ArrayList<>();
        if (setpci.isEmpty()) return out;
        out.add("# At run time (as root; the kernel's P2PDMA cache keeps its old verdicts until reboot):");
        out.addAll(setpci);
        out.add("# At boot, per bit (kernels with pci=config_acs=, 6.11 and later):");
        out.add("pci=config_acs=" + String.join(";", configAcs));
        if (!disableRedir.isEmpty()) {
            out.add("# At boot, to clear RR/CR/EC only (any kernel since 4.20):");
            out.add("pci=disable_acs_redir=" + String.join(";", disableRedir));
        }
        return out;
    }

    /// The `config_acs` bit string, leftmost DT (bit 6) to rightmost SV (bit 0).
    static String bits(int control) {
        StringBuilder b = new StringBuilder();
        for (int i = 6; i >= 0; i--) b.append((control >> i & 1) == 1 ? '1' : '0');
        return b.toString();
    }
}
