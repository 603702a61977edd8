package dev.p2pscope.core.model;

/// The boot CPU: vendor and x86 family number (0 when not x86 or unknown).
public record Cpu(CpuVendor vendor, int family) {

    public static final Cpu UNKNOWN = new Cpu(CpuVendor.UNKNOWN, 0);

    public Cpu {
        if (vendor == null) throw new IllegalArgumentException("CPU vendor is required");
        if (family < 0) throw new IllegalArgumentException("CPU family is non-negative");
    }

    /// Parses `VENDOR[:FAMILY]` as the CLI takes it, e.g. `AuthenticAMD:0x19` or `GenuineIntel:6`.
    public static Cpu parse(String text) {
        String[] parts = text.trim().split(":", 2);
        CpuVendor vendor = CpuVendor.fromId(parts[0]).orElseThrow(() -> new IllegalArgumentException(
                "unknown CPU vendor '" + parts[0] + "' (GenuineIntel, AuthenticAMD, HygonGenuine, non-x86)"));
        int family = 0;
        if (parts.length == 2) {
            String f = parts[1].trim();
            try {
                family = f.startsWith("0x") || f.startsWith("0X") ? Integer.parseInt(f.substring(2), 16)
                        : Integer.parseInt(f);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("CPU family is not a number: '" + f + "'", e);
            }
        }
        return new Cpu(vendor, family);
    }

    @Override
    public String toString() {
        return vendor == CpuVendor.UNKNOWN ? "unknown CPU"
                : vendor == CpuVendor.NON_X86 ? "non-x86" : vendor.id() + " family 0x" + Integer.toHexString(family);
    }
}
