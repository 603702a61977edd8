package dev.p2pscope.core.engine;

import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.BusAddress;
import dev.p2pscope.core.model.Cpu;
import dev.p2pscope.core.model.KernelProfile;
import dev.p2pscope.core.model.PciAddress;

/// One step of a P2PDMA decision, in the order the kernel takes it: the window highlights these in turn and
/// lists them as the explanation. A step holds what was found ([Fact]); [dev.p2pscope.core.text.VerdictText] words it.
///
/// @param kind     what the step is
/// @param function the function it concerns, or null for whole-pair steps (CPU rule, result)
/// @param fact     what was found
/// @param blocking true when this step is why the transfer cannot use bus addresses (a redirecting function) or
///                 is refused (a host bridge not allowed)
public record TraceStep(Kind kind, PciAddress function, Fact fact, boolean blocking) {

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

    /// What a step found.
    public sealed interface Fact {
    }

    /// A function's ACS as `pci_bridge_has_acs_redir()` reads it. `counts` is false where its redirect changes
    /// nothing (the chains turned out not to meet).
    public record AcsSeen(Acs acs, boolean counts) implements Fact { }

    /// The chains meet at `common`, `upFromProvider` and `upFromClient` hops up (`clientItself` when the client is
    /// on the provider's chain).
    public record ChainsMeet(PciAddress common, boolean clientItself, int upFromProvider, int upFromClient)
            implements Fact { }

    /// The chains reach their root buses without meeting.
    public record ChainsApart(int providerChain, int clientChain) implements Fact { }

    /// `cpu_supports_p2pdma()` for this CPU.
    public record CpuRuleSeen(Cpu cpu, boolean applies) implements Fact { }

    /// One allowlist check; `check.device()` is null when the root bus has no host-bridge device.
    public record HostBridgeSeen(BusAddress rootBus, HostBridgeCheck check, KernelProfile profile) implements Fact { }

    /// The map type and the distance the kernel computed.
    public record Result(MapType mapType, int distance) implements Fact { }
}
