package dev.p2pscope.core.engine;

import dev.p2pscope.core.model.BusAddress;
import dev.p2pscope.core.model.PciAddress;

/// One hop of the route the data of a transfer actually crosses (see [Verdict#route()]).
///
/// @param role     what the hop is on the route
/// @param function the function crossed; for a [Role#HOST_BRIDGE] hop the root bus's host-bridge device (the one
///                 the allowlist checks), or null when the bus has none the kernel accepts
/// @param rootBus  for a [Role#HOST_BRIDGE] hop, the root bus of that host bridge; else null
public record Hop(Role role, PciAddress function, BusAddress rootBus) {

    /// Roles on a route, in the order they can appear.
    public enum Role {
        /// Provider and client are one function and the data stays in it.
        SELF,
        /// The provider, where the route starts.
        PROVIDER,
        /// A bridge crossed on the way up from the provider.
        UP,
        /// The common upstream bridge where a bus-address transfer turns back down.
        TURN,
        /// A host bridge (root complex) crossed: up from one root bus and back down, possibly to another.
        HOST_BRIDGE,
        /// A bridge crossed on the way down to the client.
        DOWN,
        /// The client, where the route ends.
        CLIENT
    }

    public static Hop of(Role role, PciAddress function) {
        return new Hop(role, function, null);
    }

    public static Hop hostBridge(BusAddress rootBus, PciAddress device) {
        return new Hop(Role.HOST_BRIDGE, device, rootBus);
    }
}
