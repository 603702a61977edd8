package dev.p2pscope.core.model;

import java.util.regex.Pattern;

/// Vendor and device ID, `vvvv:dddd`.
public record PciId(int vendor, int device) {

    private static final Pattern ID = Pattern.compile("[0-9a-fA-F]{4}:[0-9a-fA-F]{4}");

    public PciId {
        if (vendor < 0 || vendor > 0xffff || device < 0 || device > 0xffff) {
            throw new IllegalArgumentException("PCI ID out of range");
        }
    }

    /// Parses `vvvv:dddd` (four hex digits each).
    public static PciId parse(String text) {
        if (text == null || !ID.matcher(text.trim()).matches()) {
            throw new IllegalArgumentException("not a PCI ID (vvvv:dddd): '" + text + "'");
        }
        String t = text.trim();
        return new PciId(Integer.parseInt(t.substring(0, 4), 16), Integer.parseInt(t.substring(5), 16));
    }

    @Override
    public String toString() {
        return Hex.append(Hex.append(new StringBuilder(9), vendor, 4).append(':'), device, 4).toString();
    }
}
