package dev.p2pscope.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/// What is known of a function's ACS (Access Control Services) extended capability.
///
/// Three states, because "we could not read it" is not "it has none": a non-root reader of sysfs sees only the
/// first 64 bytes of config space, where no extended capability lives.
public sealed interface Acs {

    /// ACS Control register bits (PCI_ACS_* in the kernel's pci_regs.h).
    int SV = 0x0001, TB = 0x0002, RR = 0x0004, CR = 0x0008, UF = 0x0010, EC = 0x0020, DT = 0x0040;
    /// The bits `pci_bridge_has_acs_redir()` tests: P2P Request Redirect, Completion Redirect, Egress Control.
    int REDIRECT_BITS = RR | CR | EC;

    /// The function has no ACS extended capability (`PCI_EXT_CAP_ID_ACS` absent).
    record Absent() implements Acs { }

    /// The function has the capability; `capability` is null when only the control register is known.
    record Present(int control, Integer capability) implements Acs {
        public Present {
            if (control < 0 || control > 0xffff) throw new IllegalArgumentException("ACS control is 16 bits");
            if (capability != null && (capability < 0 || capability > 0xffff)) {
                throw new IllegalArgumentException("ACS capability is 16 bits");
            }
        }

        /// Mirrors `pci_bridge_has_acs_redir()`: any of RR, CR or EC set in ACS Control.
        public boolean redirects() {
            return (control & REDIRECT_BITS) != 0;
        }
    }

    /// The capability could not be read (config space unreadable or truncated): redirect is unknown.
    record Unknown() implements Acs { }

    Acs ABSENT = new Absent();
    Acs UNKNOWN = new Unknown();

    static Acs control(int control) {
        return new Present(control, null);
    }

    /// True only when the capability is present and RR, CR or EC is set.
    default boolean redirects() {
        return this instanceof Present p && p.redirects();
    }

    /// Names of the set bits of an ACS Control or Capability value, e.g. `SV|RR|CR`.
    static String bitNames(int value) {
        String[] names = {"SV", "TB", "RR", "CR", "UF", "EC", "DT"};
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if ((value & (1 << i)) != 0) out.add(names[i]);
        }
        return out.isEmpty() ? "none" : String.join("|", out);
    }

    static String hex(int value) {
        return String.format(Locale.ROOT, "0x%04x", value);
    }
}
