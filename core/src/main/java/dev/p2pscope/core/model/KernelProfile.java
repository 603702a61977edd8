package dev.p2pscope.core.model;

import java.util.Arrays;
import java.util.Optional;

/// Which kernel's P2PDMA behaviour decides: mainline as of the 7.1 cycle, or 5.15 (the base of the userspace
/// P2PDMA patch series).
public enum KernelProfile {
    NEWEST("newest"),
    V5_15("5.15");

    private final String id;

    KernelProfile(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<KernelProfile> fromId(String id) {
        return Arrays.stream(values()).filter(p -> p.id.equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
