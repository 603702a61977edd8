package dev.p2pscope.core.model;

import java.util.Locale;

/// One host-bridge allowlist entry (`pci_p2pdma_whitelist` in drivers/pci/p2pdma.c): vendor, device (or any
/// device, `PCI_ANY_ID`, newest kernels only) and the `REQ_SAME_HOST_BRIDGE` flag.
public record AllowlistEntry(int vendor, int device, boolean requireSameHostBridge) {

    /// The device value that matches any device ID of the vendor.
    public static final int ANY_DEVICE = -1;

    public AllowlistEntry {
        if (vendor < 0 || vendor > 0xffff || device < ANY_DEVICE || device > 0xffff) {
            throw new IllegalArgumentException("allowlist entry out of range");
        }
    }

    /// Parses `VVVV:DDDD[:same]` (DDDD may be `ffff` or `any` for any device).
    public static AllowlistEntry parse(String text) {
        String[] p = text.trim().split(":");
        if (p.length < 2 || p.length > 3 || (p.length == 3 && !p[2].equals("same"))) {
            throw new IllegalArgumentException("allowlist entry is VVVV:DDDD[:same], got '" + text + "'");
        }
        // Hex digits only: Integer.parseInt would take "-1", which is ANY_DEVICE by accident.
        if (!p[0].matches("[0-9a-fA-F]{1,4}") || !(p[1].matches("[0-9a-fA-F]{1,4}") || p[1].equalsIgnoreCase("any"))) {
            throw new IllegalArgumentException("allowlist entry is VVVV:DDDD[:same] (hex, DDDD may be 'any'), got '"
                    + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'");
        }
        try {
            int vendor = Integer.parseInt(p[0], 16);
            int device = p[1].equalsIgnoreCase("any") || p[1].equalsIgnoreCase("ffff") ? ANY_DEVICE
                    : Integer.parseInt(p[1], 16);
            return new AllowlistEntry(vendor, device, p.length == 3);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("allowlist entry is VVVV:DDDD[:same], got '" + text + "'", e);
        }
    }

    /// Mirrors the match in `__host_bridge_whitelist()`: same vendor, and same device or `PCI_ANY_ID`.
    public boolean matches(PciId id) {
        return id.vendor() == vendor && (device == ANY_DEVICE || device == id.device());
    }

    /// True when `other` names the same vendor:device (flags aside).
    public boolean sameId(AllowlistEntry other) {
        return vendor == other.vendor && device == other.device;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%04x:%s%s", vendor,
                device == ANY_DEVICE ? "any" : String.format(Locale.ROOT, "%04x", device),
                requireSameHostBridge ? ":same" : "");
    }
}
