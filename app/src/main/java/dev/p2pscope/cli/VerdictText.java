package dev.p2pscope.cli;

import dev.p2pscope.core.engine.HostBridgeCheck;
import dev.p2pscope.core.engine.MapType;
import dev.p2pscope.core.engine.Verdict;
import dev.p2pscope.core.host.HostContext;
import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;

import java.util.List;

/// A verdict as text for people: summary, the path hop by hop, why, and the kernel's own log lines.
final class VerdictText {

    private VerdictText() {
    }

    static String render(Topology t, Verdict v) {
        StringBuilder b = new StringBuilder();
        PciFunction p = t.require(v.provider());
        PciFunction c = t.require(v.client());
        b.append("provider  ").append(v.provider()).append("  ").append(p.displayName()).append('\n');
        b.append("client    ").append(v.client()).append("  ").append(c.displayName()).append('\n');
        b.append("kernel    ").append(v.details().profile()).append(", ").append(t.cpu()).append('\n');
        if (!t.host().isEmpty()) b.append(hostLine(t)).append('\n');
        b.append('\n');
        b.append("map type  ").append(v.mapType()).append("  (").append(meaning(v.mapType())).append(")\n");
        b.append("distance  ").append(v.distance());
        if (v.distance() != v.calcDistance()) b.append("  (the kernel counted ").append(v.calcDistance())
                .append(" hops)");
        b.append('\n');
        if (!v.acsRedirect().isEmpty()) {
            b.append("ACS       redirecting: ").append(String.join(", ", v.acsRedirect().stream()
                    .map(PciAddress::toString).toList())).append('\n');
        }
        b.append('\n').append("path, hop by hop:\n");
        path(t, v, b);
        for (HostBridgeCheck h : v.details().hostBridgeChecks()) {
            b.append("  host bridge ").append(h.rootBus()).append(": ");
            if (h.device() == null) {
                b.append("no device the kernel accepts as host bridge");
            } else {
                b.append(h.device().address()).append(' ').append(h.device().id()).append(" - ")
                        .append(switch (h.outcome()) {
                            case ALLOWED -> "on the allowlist (" + h.entry() + ")";
                            case NOT_LISTED -> "not on the allowlist";
                            case REQUIRES_SAME_HOST_BRIDGE -> "allowlisted only within one host bridge";
                            case NO_HOST_DEVICE -> "not usable";
                        });
            }
            b.append('\n');
        }
        b.append('\n').append("why: ").append(v.reason()).append('\n');
        for (String s : HostContext.explain(t, v)) b.append("boot:     ").append(s).append('\n');
        List<PciAddress> derived = v.path().stream().filter(a -> t.require(a).inferred().contains("acs-derived")).toList();
        if (!derived.isEmpty()) {
            b.append("note: the ACS of ").append(String.join(", ", derived.stream().map(PciAddress::toString).toList()))
                    .append(" is derived from the IOMMU and boot parameters, not read.\n");
        }
        if (v.dependsOnUnknownAcs()) {
            b.append("note: ACS of ").append(String.join(", ", v.details().unknownAcs().stream()
                    .map(PciAddress::toString).toList()))
                    .append(" could not be read; the verdict assumes no redirect there.\n");
        }
        if (!v.warnings().isEmpty()) {
            b.append('\n').append("kernel log (as the kernel prints it):\n");
            v.warnings().forEach(w -> b.append("  ").append(w).append('\n'));
        }
        return b.toString();
    }

    /// `host      kernel 6.12.117, IOMMU dmar0, boot: pci=disable_acs_redir=...`.
    static String hostLine(Topology t) {
        var h = t.host();
        List<String> parts = new java.util.ArrayList<>();
        if (h.kernelRelease() != null) parts.add("kernel " + h.kernelRelease());
        parts.add("IOMMU " + (h.iommu() == null ? "unknown" : h.iommu()));
        parts.add("boot: " + HostContext.bootParams(t).summary());
        return "host      " + String.join(", ", parts);
    }

    static String meaning(MapType t) {
        return switch (t) {
            case BUS_ADDR -> "peer-to-peer by PCI bus address, through the shared switch";
            case THRU_HOST_BRIDGE -> "allowed, routed through the host bridge";
            case NOT_SUPPORTED -> "the kernel refuses peer-to-peer DMA for this pair";
            case UNKNOWN, NONE -> "no decision";
        };
    }

    /// The path drawn hop by hop: up from the provider, the turn (common bridge or host bridge), down to the client.
    private static void path(Topology t, Verdict v, StringBuilder b) {
        List<PciAddress> path = v.path();
        PciAddress common = v.details().commonAncestor();
        int turn = common == null ? -1 : path.indexOf(common);
        int providerChain = common == null ? t.upstreamChain(t.require(v.provider())).size() : turn + 1;
        for (int i = 0; i < path.size(); i++) {
            PciAddress a = path.get(i);
            PciFunction f = t.require(a);
            String role;
            if (i == 0) role = "provider";
            else if (i == path.size() - 1) role = "client";
            else if (i == turn) role = "common";
            else role = i < providerChain ? "  up" : "  down";
            if (path.size() == 1) role = "self";
            if (common == null && i == providerChain) {
                b.append(String.format("  %-9s %s%n", "host", "-- through the host bridge"
                        + (t.rootBus(t.require(v.provider())).equals(t.rootBus(t.require(v.client()))) ? ""
                        : "s (" + t.rootBus(t.require(v.provider())) + " to " + t.rootBus(t.require(v.client())) + ")")
                        + " --"));
            }
            String acs = switch (f.acs()) {
                case Acs.Present pr -> "ACS " + Acs.hex(pr.control()) + (pr.redirects() ? " redirects" : "");
                case Acs.Absent ab -> "";
                case Acs.Unknown u -> "ACS unknown";
            };
            b.append(String.format("  %-9s %s  %-12s %-44s %s%n", role, a, f.kind(), clip(f.displayName(), 44),
                    acs).stripTrailing()).append('\n');
        }
    }

    static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "\u2026";
    }
}
