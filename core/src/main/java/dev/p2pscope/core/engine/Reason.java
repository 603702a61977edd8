package dev.p2pscope.core.engine;

import dev.p2pscope.core.model.BusAddress;
import dev.p2pscope.core.model.Cpu;
import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.PciAddress;

import java.util.List;

/// Why the kernel decided as it did, as facts (the words are [dev.p2pscope.core.text.VerdictText]'s).
///
/// @param meeting         how the provider's and the client's upstream chains meet, or that they do not
/// @param common          the common upstream function (null when the chains do not meet)
/// @param commonKind      its kind (null when there is none)
/// @param upFromProvider  hops from the provider up to `common` (the provider chain's length when there is none)
/// @param upFromClient    hops from the client up to `common` (the client chain's length when there is none)
/// @param providerRootBus the provider's root bus (its host bridge)
/// @param clientRootBus   the client's root bus
/// @param redirecting     the functions whose ACS redirect sends the traffic up, in the kernel's order
/// @param hostPath        what was found about the host path
/// @param hostChecks      the allowlist checks made, in order (empty unless the allowlist was consulted)
/// @param cpu             the CPU whose rule was applied
public record Reason(Meeting meeting, PciAddress common, DeviceKind commonKind, int upFromProvider,
                     int upFromClient, BusAddress providerRootBus, BusAddress clientRootBus,
                     List<PciAddress> redirecting, HostPath hostPath, List<HostBridgeCheck> hostChecks, Cpu cpu) {

    public Reason {
        redirecting = List.copyOf(redirecting);
        hostChecks = List.copyOf(hostChecks);
    }

    /// How the chains meet (`calc_map_type_and_dist()`'s walk).
    public enum Meeting {
        /// Provider and client are the same function (distance 0).
        SAME_FUNCTION,
        /// The client sits below the provider: the provider is itself the common bridge.
        PROVIDER_IS_BRIDGE,
        /// The provider sits below the client: the client is itself the common bridge.
        CLIENT_IS_BRIDGE,
        /// A third function is the lowest upstream bridge the two share.
        SHARED_BRIDGE,
        /// The chains reach their root buses without meeting.
        NO_SHARED_BRIDGE
    }

    /// What the host path came to.
    public enum HostPath {
        /// Bus addresses: the host path was not needed.
        NOT_NEEDED,
        /// `cpu_supports_p2pdma()`: AMD Zen or later, the allowlist is skipped.
        CPU_RULE,
        /// Every host bridge checked is on the allowlist.
        ALLOWLISTED,
        /// A host bridge is not on the allowlist.
        NOT_LISTED,
        /// A host bridge is allowlisted only for transfers within one host bridge, and the pair spans two.
        SAME_HOST_BRIDGE_REQUIRED,
        /// A root bus has no device the kernel accepts as its host bridge.
        NO_HOST_DEVICE
    }

    /// True when the chains meet at a function below the root complex.
    public boolean chainsMeet() {
        return meeting != Meeting.NO_SHARED_BRIDGE;
    }

    /// The allowlist check that refused, or null.
    public HostBridgeCheck failedCheck() {
        return hostChecks.stream().filter(c -> !c.allowed()).findFirst().orElse(null);
    }

    /// True when provider and client hang from different root buses (host bridges).
    public boolean crossesHostBridges() {
        return !providerRootBus.equals(clientRootBus);
    }
}
