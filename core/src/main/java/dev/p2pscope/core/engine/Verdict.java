package dev.p2pscope.core.engine;

import dev.p2pscope.core.model.KernelProfile;
import dev.p2pscope.core.model.PciAddress;

import java.util.List;

/// The kernel's decision for one provider and one client (`calc_map_type_and_dist()`), with everything needed
/// to explain it: distance, the path, the functions that redirect, the kernel's own log lines and a hop-by-hop
/// trace.
public sealed interface Verdict {

    /// What every verdict carries.
    ///
    /// @param provider       the function whose memory is the target
    /// @param client         the function doing the DMA
    /// @param profile        the kernel profile that decided
    /// @param calcDistance   the hop count the kernel writes to `*dist` in every case
    /// @param path           provider up to the common ancestor and down to the client; without a common
    ///                       ancestor, the provider's chain up to its root bus then the client's chain down
    /// @param commonAncestor the lowest common upstream function, or null when there is none
    /// @param acsRedirect    the functions that redirect, in the kernel's order (provider side first)
    /// @param acsList        the `pci=disable_acs_redir=` value as the kernel prints it (128-byte buffer), or
    ///                       empty when that line is not printed
    /// @param warnings       the kernel's log lines in order (verbose mode)
    /// @param trace          the steps of the decision
    /// @param unknownAcs     examined functions whose ACS could not be read: the verdict assumes they do not
    ///                       redirect
    /// @param hostBridgeChecks the allowlist checks made (empty when the CPU rule or BUS_ADDR made them moot)
    /// @param why            the reason as facts
    /// @param route          the hops the data actually crosses (see [Verdict#route()])
    record Details(PciAddress provider, PciAddress client, KernelProfile profile, int calcDistance,
                   List<PciAddress> path, PciAddress commonAncestor, List<PciAddress> acsRedirect, String acsList,
                   List<KernelMessage> warnings, List<TraceStep> trace, List<PciAddress> unknownAcs,
                   List<HostBridgeCheck> hostBridgeChecks, Reason why, List<Hop> route) {
        public Details {
            route = List.copyOf(route);
            path = List.copyOf(path);
            acsRedirect = List.copyOf(acsRedirect);
            warnings = List.copyOf(warnings);
            trace = List.copyOf(trace);
            unknownAcs = List.copyOf(unknownAcs);
            hostBridgeChecks = List.copyOf(hostBridgeChecks);
        }
    }

    Details details();

    MapType mapType();

    /// Why, as facts: how the chains meet, ACS redirect and where, and what the host path came to.
    default Reason why() {
        return details().why();
    }

    /// The hops the data actually crosses, host bridges included, from the provider to the client.
    ///
    /// For BUS_ADDR it is the kernel's [#path()]: up to the common bridge and down. Otherwise the data goes up
    /// the provider's whole chain to its host bridge, across to the client's host bridge when that is another
    /// one, and down the client's whole chain, even when the kernel's `path` (and distance) runs through a
    /// common switch: an ACS-redirected port forwards peer-to-peer requests upstream to the root complex
    /// (P2P Request/Completion Redirect, Egress Control), and a THRU_HOST_BRIDGE mapping gives the client
    /// CPU-physical addresses (or IOVAs) that the root complex routes. For NOT_SUPPORTED the route ends at the
    /// host bridge that refused (the allowlist check that failed, or the provider's host bridge).
    default List<Hop> route() {
        return details().route();
    }

    /// What `pci_p2pdma_distance()` returns: the hop count, or -1 when not supported.
    default int distance() {
        return mapType() == MapType.NOT_SUPPORTED ? -1 : details().calcDistance();
    }

    default PciAddress provider() { return details().provider(); }
    default PciAddress client() { return details().client(); }
    default int calcDistance() { return details().calcDistance(); }
    default List<PciAddress> path() { return details().path(); }
    default List<PciAddress> acsRedirect() { return details().acsRedirect(); }
    default List<KernelMessage> warnings() { return details().warnings(); }
    default List<TraceStep> trace() { return details().trace(); }

    /// True when ACS state that could not be read could change this verdict: the chains meet and nothing read
    /// redirects, so an unknown function that did redirect would turn BUS_ADDR into the host path. Without a
    /// common bridge ACS changes nothing, and with a redirect already read the unknown ones change nothing.
    default boolean dependsOnUnknownAcs() {
        return !details().unknownAcs().isEmpty() && details().commonAncestor() != null
                && details().acsRedirect().isEmpty();
    }

    /// Shared upstream bridge and nothing redirects: PCI bus addresses, without crossing the host bridge.
    record BusAddress(Details details) implements Verdict {
        @Override
        public MapType mapType() {
            return MapType.BUS_ADDR;
        }
    }

    /// Allowed, but through the host bridge: ACS redirect or no common bridge, and the CPU rule or the host-bridge
    /// allowlist permits it.
    ///
    /// @param byCpuRule true when the AMD Zen rule allowed it (the allowlist was not consulted)
    record ThroughHostBridge(Details details, boolean byCpuRule) implements Verdict {
        @Override
        public MapType mapType() {
            return MapType.THRU_HOST_BRIDGE;
        }
    }

    /// Refused: the traffic would have to cross the host bridge, and neither the CPU rule nor the allowlist
    /// permits it.
    record NotSupported(Details details) implements Verdict {
        @Override
        public MapType mapType() {
            return MapType.NOT_SUPPORTED;
        }
    }
}
