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
    record Details(PciAddress provider, PciAddress client, KernelProfile profile, int calcDistance,
                   List<PciAddress> path, PciAddress commonAncestor, List<PciAddress> acsRedirect, String acsList,
                   List<KernelMessage> warnings, List<TraceStep> trace, List<PciAddress> unknownAcs,
                   List<HostBridgeCheck> hostBridgeChecks) {
        public Details {
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

    /// The decision in plain words.
    String reason();

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

    /// True when the verdict depends on ACS state that could not be read.
    default boolean dependsOnUnknownAcs() {
        return !details().unknownAcs().isEmpty();
    }

    /// Shared upstream bridge and nothing redirects: PCI bus addresses, through the switch.
    record BusAddress(Details details) implements Verdict {
        @Override
        public MapType mapType() {
            return MapType.BUS_ADDR;
        }

        @Override
        public String reason() {
            if (details.provider().equals(details.client())) {
                return "Provider and client are the same function: its own memory, by bus address.";
            }
            return details.commonAncestor() + " is a common upstream bridge and no function on the path "
                    + "redirects peer-to-peer requests (ACS RR/CR/EC), so the client reaches the provider's "
                    + "memory by PCI bus address without leaving the switch.";
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

        @Override
        public String reason() {
            String why = details.commonAncestor() == null
                    ? "Provider and client share no upstream bridge"
                    : "ACS redirect on " + join(details.acsRedirect()) + " sends the traffic up to the root complex";
            String allowed = byCpuRule
                    ? "the CPU is AMD Zen or later (family 0x17+), which the kernel trusts for any host bridges"
                    : "the host bridge" + (details.hostBridgeChecks().size() > 1 ? "s are" : " is")
                      + " on the kernel's P2PDMA allowlist";
            return why + "; it is allowed because " + allowed + ". Data flows through the host bridge.";
        }
    }

    /// Refused: the traffic would have to cross the host bridge, and neither the CPU rule nor the allowlist
    /// permits it.
    record NotSupported(Details details) implements Verdict {
        @Override
        public MapType mapType() {
            return MapType.NOT_SUPPORTED;
        }

        @Override
        public String reason() {
            String why = details.commonAncestor() == null
                    ? "Provider and client share no upstream bridge, so traffic would cross the host bridge"
                    : "ACS redirect on " + join(details.acsRedirect())
                      + " forces the traffic up through the host bridge";
            StringBuilder b = new StringBuilder(why).append("; the CPU is not AMD Zen and ");
            HostBridgeCheck failed = details.hostBridgeChecks().stream().filter(c -> !c.allowed())
                    .findFirst().orElse(null);
            if (failed == null) {
                b.append("no host bridge allows it");
            } else {
                switch (failed.outcome()) {
                    case NO_HOST_DEVICE -> b.append("root bus ").append(failed.rootBus())
                            .append(" has no device the kernel accepts as its host bridge (none at 00.0")
                            .append(details.profile() == KernelProfile.NEWEST ? " and the first is no root port)"
                                    : ")");
                    case REQUIRES_SAME_HOST_BRIDGE -> b.append("host bridge ").append(failed.device().id())
                            .append(" is allowlisted only within one host bridge, and the pair spans two");
                    case NOT_LISTED -> b.append("host bridge ").append(failed.device().id())
                            .append(" is not on the kernel's P2PDMA allowlist");
                    case ALLOWED -> b.append("no host bridge allows it");
                }
            }
            return b.append(". The kernel refuses: peer-to-peer DMA is not supported.").toString();
        }
    }

    private static String join(List<PciAddress> list) {
        return String.join(", ", list.stream().map(PciAddress::toString).toList());
    }
}
