package dev.p2pscope.core.host;

import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;

import java.util.List;
import java.util.Locale;

/// One device of a PCI boot parameter, in the syntax of the kernel's `pci_dev_str_match()`:
/// `[<domain>:]<bus>:<dev>.<fn>[/<dev>.<fn>]*` (a path down from a device on the root bus) or
/// `pci:<vendor>:<device>[:<subvendor>:<subdevice>]` (0 is a wildcard; subsystem IDs are not modelled).
public record DeviceMatch(String text) {

    /// The functions of `t` this entry matches.
    public List<PciFunction> matches(Topology t) {
        return t.functions().stream().filter(f -> matches(t, f)).toList();
    }

    public boolean matches(Topology t, PciFunction f) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("pci:")) {
            String[] p = s.substring(4).split(":");
            if (p.length < 2) return false;
            try {
                int v = Integer.parseInt(p[0], 16);
                int d = Integer.parseInt(p[1], 16);
                return (v == 0 || v == f.id().vendor()) && (d == 0 || d == f.id().device());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        String[] path = s.split("/");
        PciAddress first;
        try {
            first = PciAddress.parseLenient(path[0]);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (path.length == 1) return f.address().equals(first);
        // A path: each further dev.fn is on the secondary bus of the previous one.
        PciAddress at = first;
        for (int i = 1; i < path.length; i++) {
            String[] df = path[i].split("\\.");
            if (df.length != 2) return false;
            final PciAddress parent = at;
            int dev;
            int fn;
            try {
                dev = Integer.parseInt(df[0], 16);
                fn = Integer.parseInt(df[1], 16);
            } catch (NumberFormatException e) {
                return false;
            }
            PciFunction next = t.children(parent).stream().filter(c -> c.address().device() == dev
                    && c.address().function() == fn).findFirst().orElse(null);
            if (next == null) return false;
            at = next.address();
        }
        return f.address().equals(at);
    }
}
