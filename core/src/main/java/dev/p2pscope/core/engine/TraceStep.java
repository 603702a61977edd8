package dev.p2pscope.core.engine;

import dev.p2pscope.core.model.PciAddress;

/// One step of a P2PDMA decision, in the order the kernel takes it: the window highlights these in turn and
/// the CLI prints them as the hop-by-hop explanation.
///
/// @param kind     what the step is
/// @param function the function it concerns, or null for whole-pair steps (CPU rule, result)
/// @param text     what was found, in plain words
/// @param blocking true when this step is why the transfer cannot use bus addresses (a redirecting function) or
///                 is refused (a host bridge not allowed)
public record TraceStep(Kind kind, PciAddress function, String text, boolean blocking) {

    /// Kinds of steps.
    public enum Kind {
        /// The provider-side walk examined this function's ACS.
        PROVIDER_SIDE,
        /// The client side was searched for the current provider-side function: found, it is the common ancestor.
        COMMON_ANCESTOR,
        /// The provider's chain reached the root bus without meeting the client's chain.
        NO_COMMON_ANCESTOR,
        /// The client-side walk (below the common ancestor) examined this function's ACS.
        CLIENT_SIDE,
        /// The AMD Zen CPU rule (`cpu_supports_p2pdma()`).
        CPU_RULE,
        /// A host bridge's first device checked against the allowlist.
        HOST_BRIDGE,
        /// The final map type.
        RESULT
    }
}
