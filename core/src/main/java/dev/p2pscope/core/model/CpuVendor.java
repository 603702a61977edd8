package dev.p2pscope.core.model;

import java.util.Arrays;
import java.util.Optional;

/// The boot CPU's vendor as `/proc/cpuinfo` names it (`vendor_id`), or non-x86, or unknown.
public enum CpuVendor {
    INTEL("GenuineIntel"),
    AMD("AuthenticAMD"),
    HYGON("HygonGenuine"),
    NON_X86("non-x86"),
    UNKNOWN("unknown");

    private final String id;

    CpuVendor(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<CpuVendor> fromId(String id) {
        return Arrays.stream(values()).filter(v -> v.id.equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
