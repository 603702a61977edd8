package dev.p2pscope.core.engine;

import dev.p2pscope.core.model.AllowlistEntry;
import dev.p2pscope.core.model.BusAddress;
import dev.p2pscope.core.model.PciFunction;

/// The outcome of checking one host bridge against the allowlist (`__host_bridge_whitelist()`).
///
/// @param rootBus     the host bridge's root bus
/// @param device      the root bus's first device (null when the bus has none the kernel accepts)
/// @param sameHostBridge whether provider and client share this host bridge
/// @param outcome     what the check found
/// @param entry       the matching allowlist entry, when one matched
public record HostBridgeCheck(BusAddress rootBus, PciFunction device, boolean sameHostBridge, Outcome outcome,
                              AllowlistEntry entry) {

    /// Results of one check.
    public enum Outcome {
        /// The first device matched an entry.
        ALLOWED,
        /// `pci_host_bridge_dev()` found no usable first device (not at devfn 00.0 and, since 5.19, not a root
        /// port): not allowed, and nothing is printed.
        NO_HOST_DEVICE,
        /// The first device matched an entry flagged REQ_SAME_HOST_BRIDGE, but provider and client are on
        /// different host bridges: not allowed, and nothing is printed.
        REQUIRES_SAME_HOST_BRIDGE,
        /// No entry matched.
        NOT_LISTED
    }

    public boolean allowed() {
        return outcome == Outcome.ALLOWED;
    }

    /// True when no entry matched only because the device's ID was never read: the real ID could be allowlisted,
    /// so the outcome is not known (the kernel, which reads the ID, might allow the pair).
    public boolean undecidable() {
        return outcome == Outcome.NOT_LISTED && device != null && !device.idKnown();
    }
}
