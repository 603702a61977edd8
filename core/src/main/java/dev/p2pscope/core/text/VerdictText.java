package dev.p2pscope.core.text;

import dev.p2pscope.core.engine.DmaClient;
import dev.p2pscope.core.engine.HostBridgeCheck;
import dev.p2pscope.core.engine.Hop;
import dev.p2pscope.core.engine.KernelMessage;
import dev.p2pscope.core.engine.ManyResult;
import dev.p2pscope.core.engine.MapType;
import dev.p2pscope.core.engine.P2pdmaEngine;
import dev.p2pscope.core.engine.ProviderChoice;
import dev.p2pscope.core.engine.Reason;
import dev.p2pscope.core.engine.TraceStep;
import dev.p2pscope.core.engine.Verdict;
import dev.p2pscope.core.host.HostContext;
import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// The one place a verdict is put into words: `check`'s text, the window's Verdict tab and its Copy text,
/// find-provider's answer and the matrix legends all come from here, so they cannot disagree.
///
/// Everything said rests on the verdict's facts ([Verdict#why()], [Verdict#route()]) and the topology; nothing is
/// decided again here.
public final class VerdictText {

    private VerdictText() {
    }

    // ---- The whole verdict ---------------------------------------------------------------------------------

    /// The full text: summary, the route hop by hop, why, notes, and the kernel's own log lines. `check` prints
    /// it and the window's Copy text copies it.
    public static String render(Topology t, Verdict v) {
        StringBuilder b = new StringBuilder();
        PciFunction p = t.require(v.provider());
        PciFunction c = t.require(v.client());
        b.append("provider  ").append(v.provider()).append("  ").append(p.displayName()).append('\n');
        b.append("client    ").append(v.client()).append("  ").append(c.displayName()).append('\n');
        b.append("kernel    ").append(kernelLine(t, v)).append('\n');
        if (!t.host().isEmpty()) b.append(hostLine(t)).append('\n');
        for (String w : cautions(t)) b.append("warning:  ").append(w).append('\n');
        b.append('\n');
        b.append("map type  ").append(v.mapType()).append("  (").append(meaning(v.mapType())).append(")\n");
        b.append("distance  ").append(v.distance());
        if (v.distance() != v.calcDistance()) b.append("  (the kernel counted ").append(v.calcDistance())
                .append(" hops)");
        b.append('\n');
        if (!v.acsRedirect().isEmpty()) {
            b.append("ACS       redirecting: ").append(join(v.acsRedirect())).append('\n');
        }
        b.append('\n').append("route, hop by hop (where the data goes):\n");
        route(t, v, b);
        String kernelPath = kernelPath(v);
        if (!kernelPath.isEmpty()) b.append(kernelPath).append('\n');
        b.append('\n').append("why: ").append(reason(v)).append('\n');
        for (String s : HostContext.explain(t, v)) b.append("boot:     ").append(s).append('\n');
        for (String n : notes(t, v)) b.append("note: ").append(n).append('\n');
        if (!v.warnings().isEmpty()) {
            b.append('\n').append("kernel log (as the kernel prints it):\n");
            v.warnings().forEach(w -> b.append("  ").append(w).append('\n'));
        }
        return b.toString();
    }

    /// What `check` prints for a provider and its clients, and what the window's Copy text copies for the same
    /// selection: one client's full verdict, or, for several, `pci_p2pdma_distance_many()` (verbose, as `check`
    /// runs it: every client's verdict and route, then the sum). Empty when there is no provider or no client.
    public static String check(Topology t, PciAddress provider, List<PciAddress> clients) {
        if (t == null || provider == null || clients.isEmpty()) return "";
        P2pdmaEngine engine = new P2pdmaEngine(t);
        if (clients.size() == 1) return render(t, engine.decide(provider, clients.getFirst(), true));
        return renderMany(t, engine.distanceMany(provider, clients.stream().map(DmaClient::pci).toList(), true),
                clients.size());
    }

    /// `check` with several clients (`pci_p2pdma_distance_many()`): each verdict, then the sum.
    public static String renderMany(Topology t, ManyResult r, int clients) {
        StringBuilder b = new StringBuilder();
        for (Verdict v : r.verdicts()) b.append(render(t, v)).append("----\n");
        return b.append("distance_many  ").append(r.distance()).append(r.distance() < 0
                ? "  (at least one client is NOT_SUPPORTED)" : "  (sum over " + clients + " clients)").append('\n')
                .toString();
    }

    /// One line on `distance_many` for the window: the sum, or where the kernel stops.
    public static String distanceMany(ManyResult r, int clients) {
        return "distance_many: " + r.distance() + (r.distance() < 0 && !r.verdicts().isEmpty()
                ? " (the kernel stops at " + r.verdicts().getLast().client() + ", which cannot use this provider)"
                : r.distance() < 0 ? "" : " (the sum over " + clients + " clients)");
    }

    /// Presentation mode's caption for one pair: the pair, its map type and distance, then why.
    public static String caption(Verdict v) {
        return captionLine(v) + "\n" + reason(v);
    }

    /// Presentation mode's caption for several clients (`pci_p2pdma_distance_many()`): a line per client the
    /// kernel examined, then the sum or where it stopped, so the room sees every client, not only the last.
    public static String caption(ManyResult r, int clients) {
        StringBuilder b = new StringBuilder();
        for (Verdict v : r.verdicts()) b.append(captionLine(v)).append('\n');
        return b.append(distanceMany(r, clients)).toString();
    }

    private static String captionLine(Verdict v) {
        return v.provider().toShortString() + " \u2192 " + v.client().toShortString() + ":  " + v.mapType()
                + ", distance " + v.distance();
    }

    /// `0000:03:00.0 → 0000:04:00.0   distance 4   kernel newest`.
    public static String distanceLine(Verdict v) {
        return v.provider() + " \u2192 " + v.client() + "   distance " + v.distance()
                + (v.distance() != v.calcDistance() ? " (the kernel counted " + v.calcDistance() + " hops)" : "")
                + "   kernel " + v.details().profile();
    }

    /// What a map type means for the data.
    public static String meaning(MapType t) {
        return switch (t) {
            case BUS_ADDR -> "peer-to-peer by PCI bus address, not through the host bridge";
            case THRU_HOST_BRIDGE -> "allowed, routed through the host bridge";
            case NOT_SUPPORTED -> "the kernel refuses peer-to-peer DMA for this pair";
            case UNKNOWN, NONE -> "no decision";
        };
    }

    /// One decision step as the window lists it: the function, then what was found.
    public static String step(TraceStep s) {
        return (s.function() == null ? "" : s.function() + "  ") + stepText(s);
    }

    /// What a decision step found, in plain words.
    public static String stepText(TraceStep s) {
        return switch (s.fact()) {
            case TraceStep.AcsSeen a -> switch (a.acs()) {
                case Acs.Present p when p.redirects() -> "ACS Control " + Acs.hex(p.control()) + " ("
                        + Acs.bitNames(p.control()) + ") " + (a.counts() ? "redirects peer-to-peer traffic"
                        : "would redirect, but with no shared bridge the traffic crosses the host bridge anyway: it "
                          + "changes nothing here");
                case Acs.Present p -> "ACS Control " + Acs.hex(p.control()) + " (" + Acs.bitNames(p.control())
                        + "): no RR, CR or EC, no redirect";
                case Acs.Absent ab -> "no ACS capability, no redirect";
                case Acs.Unknown u -> "ACS unknown (config space not readable): assumed not to redirect";
            };
            case TraceStep.ChainsMeet m -> m.clientItself() ? "the client itself is on the provider's chain"
                    : m.common() + " is the lowest upstream bridge the two share (" + m.upFromProvider()
                      + " hop(s) up from the provider, " + m.upFromClient() + " from the client)";
            case TraceStep.ChainsApart c -> "the chains meet only above the root buses: provider chain "
                    + c.providerChain() + " + client chain " + c.clientChain() + " = "
                    + (c.providerChain() + c.clientChain()) + " hops, through the host bridge";
            case TraceStep.CpuRuleSeen c -> c.cpu() + (c.applies() ? ": AMD Zen or later, the allowlist is skipped"
                    : ": the AMD Zen rule does not apply, so the host bridges must be on the allowlist");
            case TraceStep.HostBridgeSeen h -> switch (h.check().outcome()) {
                case NO_HOST_DEVICE -> "root bus " + h.rootBus() + ": no first device at 00.0"
                        + (h.profile().id().equals("newest") ? " and none that is a root port" : "")
                        + ", so no host bridge to allow";
                case REQUIRES_SAME_HOST_BRIDGE -> h.check().device().id() + " is allowlisted only for transfers "
                        + "within one host bridge (REQ_SAME_HOST_BRIDGE)";
                case ALLOWED -> h.check().device().id() + " is on the allowlist (entry " + h.check().entry() + ")";
                case NOT_LISTED -> h.check().undecidable()
                        ? "its vendor:device ID was not read (" + h.check().device().id() + " stands in): whether it is "
                          + "on the allowlist cannot be decided"
                        : h.check().device().id() + " is not on the allowlist";
            };
            case TraceStep.Result r -> r.mapType() + ", distance " + r.distance();
        };
    }

    /// The kernel's lines, one per line, or a sentence saying it prints nothing.
    public static String kernelLog(Verdict v) {
        if (v.warnings().isEmpty()) return "(the kernel prints nothing for this pair)";
        return String.join("\n", v.warnings().stream().map(KernelMessage::toString).toList());
    }

    /// How to lift the redirect at boot, or empty when nothing redirects.
    public static String suggestion(Verdict v) {
        return v.details().acsList().isEmpty() ? ""
                : "To lift the redirect at boot: pci=disable_acs_redir=" + v.details().acsList()
                  + (v.mapType() == MapType.NOT_SUPPORTED ? "  (then the pair would use bus addresses)" : "");
    }

    // ---- Why -----------------------------------------------------------------------------------------------

    /// The decision in plain words, from the verdict's [Reason].
    public static String reason(Verdict v) {
        Reason r = v.why();
        if (v.mapType() == MapType.BUS_ADDR) return busReason(r);
        StringBuilder b = new StringBuilder();
        if (!r.chainsMeet()) {
            b.append("Provider and client share no upstream bridge, so the traffic crosses ")
                    .append(r.crossesHostBridges() ? "the host bridges of root buses " + r.providerRootBus()
                            + " and " + r.clientRootBus() : "the host bridge of root bus " + r.providerRootBus());
        } else {
            b.append(r.meeting() == Reason.Meeting.SAME_FUNCTION ? "Provider and client are the same function"
                    : capital(kindWords(r.commonKind())) + " " + r.common() + " is a common upstream bridge")
                    .append(", but ACS redirect on ").append(join(r.redirecting()))
                    .append(" sends the traffic up through the host bridge");
        }
        switch (r.hostPath()) {
            case CPU_RULE -> b.append("; it is allowed because the CPU (").append(r.cpu()).append(") is AMD Zen or "
                    + "later (family 0x17+), which the kernel trusts for any host bridges");
            case ALLOWLISTED -> {
                List<String> ids = new ArrayList<>();
                List<String> entries = new ArrayList<>();
                for (HostBridgeCheck h : r.hostChecks()) {
                    ids.add(h.device().id() + " (root bus " + h.rootBus() + ")");
                    if (!entries.contains(h.entry().toString())) entries.add(h.entry().toString());
                }
                b.append("; it is allowed because host bridge").append(ids.size() > 1 ? "s " : " ")
                        .append(String.join(" and ", ids)).append(ids.size() > 1 ? " are" : " is")
                        .append(" on the kernel's P2PDMA allowlist (entr").append(entries.size() > 1 ? "ies " : "y ")
                        .append(String.join(", ", entries)).append(')');
            }
            default -> {
                b.append("; the CPU (").append(r.cpu()).append(") is not AMD Zen or later and ");
                HostBridgeCheck failed = r.failedCheck();
                switch (r.hostPath()) {
                    case NO_HOST_DEVICE -> b.append("root bus ").append(failed.rootBus())
                            .append(" has no device the kernel accepts as its host bridge (none at 00.0")
                            .append(v.details().profile().id().equals("newest") ? " and the first is no root port)"
                                    : ")");
                    case SAME_HOST_BRIDGE_REQUIRED -> b.append("host bridge ").append(failed.device().id())
                            .append(" is allowlisted (entry ").append(failed.entry())
                            .append(") only within one host bridge, and the pair spans root buses ")
                            .append(r.providerRootBus()).append(" and ").append(r.clientRootBus());
                    case NOT_LISTED -> {
                        if (failed != null && failed.undecidable()) {
                            // An ID that was never read could be an allowlisted one: say so rather than refuse.
                            return b.append("the vendor:device ID of the host bridge of root bus ").append(failed.rootBus())
                                    .append(" was not read, so whether it is on the kernel's P2PDMA allowlist cannot be ")
                                    .append("decided. If it is, the kernel allows this pair through the host bridge; ")
                                    .append("if not, it refuses. P2PScope shows the refusal, with the stand-in ID ")
                                    .append(failed.device().id()).append(".").toString();
                        }
                        b.append("host bridge ").append(failed == null ? "?" : failed.device().id())
                                .append(failed == null ? "" : " (root bus " + failed.rootBus() + ")")
                                .append(" is not on the kernel's P2PDMA allowlist");
                    }
                    default -> b.append("no host bridge allows it");
                }
                return b.append(". The kernel refuses: peer-to-peer DMA is not supported.").toString();
            }
        }
        return b.append(". Data flows through the host bridge.").toString();
    }

    private static String busReason(Reason r) {
        String noRedirect = "no function the kernel examines redirects peer-to-peer requests (ACS RR/CR/EC)";
        return switch (r.meeting()) {
            case SAME_FUNCTION -> "Provider and client are the same function: the client uses its own memory, by "
                    + "bus address, and its ACS does not redirect.";
            case PROVIDER_IS_BRIDGE -> "The client sits below the provider, " + kindWords(r.commonKind()) + " "
                    + r.common() + ", which is itself their common upstream bridge; " + noRedirect
                    + ", so the client reaches the provider's memory by PCI bus address without going through the "
                    + "host bridge.";
            case CLIENT_IS_BRIDGE -> "The provider sits below the client, " + kindWords(r.commonKind()) + " "
                    + r.common() + ", which is itself their common upstream bridge; " + noRedirect
                    + ", so the client reaches the provider's memory by PCI bus address without going through the "
                    + "host bridge.";
            default -> capital(kindWords(r.commonKind())) + " " + r.common() + " is the lowest upstream bridge the "
                    + "two share and " + noRedirect + ", so the client reaches the provider's memory by PCI bus "
                    + "address, turning at " + turnWords(r.commonKind()) + " instead of going through the host "
                    + "bridge.";
        };
    }

    /// Where a `BUS_ADDR` transfer turns back down, in words that fit the bridge it turns at: "through the switch
    /// (turning at its upstream port 0000:02:00.0)", "through the root port 0000:00:01.0", or, for one function,
    /// "within the device".
    /// Empty for any other map type.
    public static String busTurn(Verdict v) {
        if (v.mapType() != MapType.BUS_ADDR) return "";
        Reason r = v.why();
        if (r.meeting() == Reason.Meeting.SAME_FUNCTION) return "within the device (its own memory)";
        DeviceKind k = r.commonKind();
        if (k == DeviceKind.SWITCH_UP || k == DeviceKind.SWITCH_DOWN) {
            return "through the switch (turning at its " + (k == DeviceKind.SWITCH_UP ? "upstream" : "downstream")
                    + " port " + r.common() + ")";
        }
        return "through the " + kindWords(k) + " " + r.common();
    }

    static String kindWords(DeviceKind k) {
        if (k == null) return "function";
        return switch (k) {
            case ROOT_PORT -> "root port";
            case SWITCH_UP -> "switch upstream port";
            case SWITCH_DOWN -> "switch downstream port";
            case PCIE_TO_PCI_BRIDGE -> "PCIe-to-PCI bridge";
            case PCI_BRIDGE -> "PCI-to-PCI bridge";
            case HOST_BRIDGE -> "host bridge";
            case ENDPOINT, RCIEP, VF -> "function";
        };
    }

    private static String turnWords(DeviceKind k) {
        if (k == null) return "that function";
        return switch (k) {
            case SWITCH_UP, SWITCH_DOWN -> "the switch";
            case ROOT_PORT -> "the root port";
            default -> "that bridge";
        };
    }

    // ---- Notes and cautions --------------------------------------------------------------------------------

    /// Notes on what the verdict rests on that was not read: unknown ACS that could change it, ACS derived from
    /// the host's IOMMU state, and a host-bridge device chosen by an inferred kind.
    public static List<String> notes(Topology t, Verdict v) {
        List<String> out = new ArrayList<>();
        if (v.dependsOnUnknownAcs()) {
            out.add("the ACS of " + join(v.details().unknownAcs()) + " could not be read; the verdict assumes no "
                    + "redirect there (a redirect would send the pair through the host bridge)"
                    + (HostContext.iommuKnown(t) ? "." : "; the IOMMU state was not captured either, so it cannot be "
                    + "derived."));
        }
        List<PciAddress> derived = new ArrayList<>();
        List<PciAddress> examined = new ArrayList<>(v.path());
        for (PciAddress a : examined) {
            if (t.function(a).map(f -> f.inferred().contains("acs-derived")).orElse(false)) derived.add(a);
        }
        if (!derived.isEmpty()) {
            out.add("the ACS of " + join(derived) + " is derived from " + iommuWords(t)
                    + " and the boot parameters, not read.");
        }
        for (HostBridgeCheck h : v.details().hostBridgeChecks()) {
            PciFunction first = t.firstDeviceOnRootBus(h.rootBus()).orElse(null);
            if (first == null || first.address().devfn() == 0 || !first.inferred().contains("kind")) continue;
            out.add(h.device() != null
                    ? "the kernel takes " + first.address() + " as root bus " + h.rootBus() + "'s host-bridge device "
                      + "because it is a root port; that kind is inferred from its class code, not read."
                    : "root bus " + h.rootBus() + " has no host-bridge device because its first function "
                      + first.address() + " is not at 00.0 and is taken as no root port; that kind is inferred "
                      + "from its class code, not read.");
        }
        return out;
    }

    private static String iommuWords(Topology t) {
        String iommu = t.host().iommu();
        if (HostContext.iommuActive(t)) return "the active IOMMU (" + iommu + ")";
        return iommu == null || HostContext.bootParams(t).iommuOff() ? "the IOMMU switched off at boot"
                : "the absence of an IOMMU";
    }

    /// Warnings about the source as a whole that bear on every verdict: a capture without a PCI hierarchy.
    public static List<String> cautions(Topology t) {
        List<String> out = new ArrayList<>();
        if (isFlat(t)) {
            out.add("this capture has no PCI hierarchy: no function has a parent bridge, so each of its "
                    + t.rootBuses().size() + " buses is taken as its own root bus with its own host bridge. The "
                    + "bridges were probably not captured; verdicts between buses may not be what this machine "
                    + "does.");
        }
        return out;
    }

    /// True for a capture whose buses all hang from nowhere: several buses, some beyond bus 0, and no function
    /// with a parent bridge (a real machine with buses beyond its root buses has bridges leading to them).
    public static boolean isFlat(Topology t) {
        if (t.rootBuses().size() < 2) return false;
        boolean anyParent = false;
        boolean beyondZero = false;
        for (PciFunction f : t.functions()) {
            if (f.parent() != null) anyParent = true;
            if (f.address().bus() != 0) beyondZero = true;
        }
        return !anyParent && beyondZero;
    }

    /// `newest, GenuineIntel family 0x6` plus what is known of the running kernel: its release, a release that
    /// predates P2PDMA, or that none is known and the profile's rules are assumed.
    public static String kernelLine(Topology t, Verdict v) {
        String profile = v == null ? t.kernel().id() : v.details().profile().id();
        String release = t.host().kernelRelease();
        String about;
        if (release == null) {
            about = " (no kernel release known: the " + profile + " kernel's rules are assumed)";
        } else if (predatesP2pdma(release)) {
            about = " (the source's kernel " + release + " predates P2PDMA, added in 4.20: it has no peer-to-peer "
                    + "DMA at all; shown is what the " + profile + " rules would decide)";
        } else {
            about = " (release " + release + ")";
        }
        return profile + about + ", " + t.cpu();
    }

    private static final Pattern RELEASE = Pattern.compile("^(\\d{1,4})\\.(\\d{1,4})");

    /// True when a kernel release such as `4.14.0-115.el7a` is older than 4.20, which added P2PDMA.
    public static boolean predatesP2pdma(String release) {
        Matcher m = RELEASE.matcher(release.trim());
        if (!m.find()) return false;
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        return major < 4 || (major == 4 && minor < 20);
    }

    /// `host      kernel 6.12.117, IOMMU dmar0, boot: pci=disable_acs_redir=...`. What was not captured is said
    /// to be unknown, never "none".
    public static String hostLine(Topology t) {
        var h = t.host();
        List<String> parts = new ArrayList<>();
        if (h.kernelRelease() != null) parts.add("kernel " + h.kernelRelease());
        parts.add("IOMMU " + (h.iommu() == null ? "unknown" : h.iommu()));
        parts.add("boot: " + (h.cmdline() == null ? "unknown (no command line captured)"
                : HostContext.bootParams(t).summary()));
        return "host      " + String.join(", ", parts);
    }

    // ---- The route -----------------------------------------------------------------------------------------

    /// The route hop by hop: up from the provider, the turn (common bridge) or the host bridge(s), down to the
    /// client. A function's ACS is said to redirect only where its redirect is part of this verdict.
    private static void route(Topology t, Verdict v, StringBuilder b) {
        List<Hop> route = v.route();
        for (int i = 0; i < route.size(); i++) {
            Hop h = route.get(i);
            if (h.role() == Hop.Role.HOST_BRIDGE) {
                b.append(String.format("  %-9s %s", "host", hostHop(t, v, h, i == route.size() - 1)).stripTrailing())
                        .append('\n');
                continue;
            }
            PciFunction f = t.require(h.function());
            String role = switch (h.role()) {
                case SELF -> "self";
                case PROVIDER -> "provider";
                case CLIENT -> "client";
                case TURN -> "common";
                case UP -> "  up";
                case DOWN -> "  down";
                case HOST_BRIDGE -> "host";
            };
            String acs = switch (f.acs()) {
                case Acs.Present pr -> "ACS " + Acs.hex(pr.control())
                        + (v.acsRedirect().contains(f.address()) ? " redirects" : "");
                case Acs.Absent ab -> "";
                case Acs.Unknown u -> "ACS unknown";
            };
            b.append(String.format("  %-9s %s  %-12s %-44s %s", role, h.function(), f.kind(),
                    clip(f.displayName(), 44), acs).stripTrailing()).append('\n');
        }
    }

    private static String hostHop(Topology t, Verdict v, Hop h, boolean last) {
        StringBuilder b = new StringBuilder("-- host bridge of root bus ").append(h.rootBus());
        if (h.function() != null) b.append(": ").append(h.function()).append(' ').append(t.require(h.function()).id());
        b.append(" --");
        for (HostBridgeCheck c : v.details().hostBridgeChecks()) {
            if (!c.rootBus().equals(h.rootBus())) continue;
            b.append("  ").append(switch (c.outcome()) {
                case ALLOWED -> "on the allowlist (" + c.entry() + ")";
                case NOT_LISTED -> c.undecidable() ? "ID not read: allowlist cannot be decided" : "not on the allowlist";
                case REQUIRES_SAME_HOST_BRIDGE -> "allowlisted only within one host bridge";
                case NO_HOST_DEVICE -> "no device the kernel accepts as host bridge";
            });
            break;
        }
        if (v.why().hostPath() == Reason.HostPath.CPU_RULE) b.append("  (AMD Zen CPU rule)");
        if (last && v.mapType() == MapType.NOT_SUPPORTED) b.append("  <- refused here");
        return b.toString();
    }

    /// The kernel's own path when the data does not take it (ACS redirect): the kernel still counts its
    /// distance along it.
    private static String kernelPath(Verdict v) {
        if (v.details().commonAncestor() == null || v.mapType() == MapType.BUS_ADDR) return "";
        List<String> parts = new ArrayList<>();
        for (PciAddress a : v.path()) parts.add(a.equals(v.details().commonAncestor()) ? "[" + a + "]" : a.toString());
        return "  kernel's path (distance " + v.calcDistance() + ", via common bridge " + v.details().commonAncestor()
                + "): " + String.join(" > ", parts);
    }

    // ---- find-provider -------------------------------------------------------------------------------------

    /// find-provider's answer as lines: every candidate with its distance, then the choice.
    public static List<String> providerChoice(Topology t, ProviderChoice c, Long seed) {
        List<String> out = new ArrayList<>();
        out.add("clients: " + String.join(", ", c.clients().stream().map(DmaClient::name).toList()));
        if (c.candidates().isEmpty()) {
            out.add("no function publishes p2pmem in this topology: the kernel finds no provider");
            return out;
        }
        out.add("");
        out.add(String.format(Locale.ROOT, "  %-14s %-9s %s", "provider", "distance", "name"));
        for (ProviderChoice.Candidate x : c.candidates()) {
            out.add(String.format(Locale.ROOT, "  %-14s %-9s %s%s", x.provider(), x.distance() < 0 ? "-1 (no)"
                    : x.distance(), t.require(x.provider()).displayName(),
                    c.closest().contains(x.provider()) ? "   <- closest" : ""));
        }
        out.add("");
        out.add(chosen(c, seed));
        return out;
    }

    /// The one-line answer: which provider the kernel would pick, and how.
    public static String chosen(ProviderChoice c, Long seed) {
        if (c.chosen() == null) {
            return c.candidates().isEmpty() ? "chosen: none (no function publishes p2pmem)"
                    : "chosen: none (every provider is NOT_SUPPORTED for at least one client)";
        }
        return "chosen: " + c.chosen() + (c.closest().size() > 1 ? "  (random pick among " + c.closest().size()
                + " tied at distance " + c.bestDistance()
                + (seed == null ? "; --seed makes it repeatable)" : ", seed " + seed + ")")
                : "  (distance " + c.bestDistance() + ")");
    }

    // ---- The matrix ----------------------------------------------------------------------------------------

    /// A matrix cell: `SELF` (own memory), `BUS n`, `HB n`, `X`.
    public static String cell(MapType type, int distance) {
        return switch (type) {
            case BUS_ADDR -> distance == 0 ? "SELF" : "BUS " + distance;
            case THRU_HOST_BRIDGE -> "HB " + distance;
            case NOT_SUPPORTED -> "X";
            default -> "?";
        };
    }

    /// The legend's title, for both matrices (CLI and window).
    public static String matrixLegendTitle() {
        return "Legend (row = provider, column = client; the number is the kernel's distance):";
    }

    /// The legend of both matrices (CLI and window): each cell symbol and what it means.
    public static List<Map.Entry<String, String>> matrixLegendEntries() {
        return List.of(
                Map.entry("SELF", "the function's own memory (BUS_ADDR, distance 0)"),
                Map.entry("BUS n", "BUS_ADDR: a shared bridge (switch, root port or other), no ACS redirect; "
                        + "peer-to-peer by bus address"),
                Map.entry("HB n", "THRU_HOST_BRIDGE: allowed, but the traffic goes up through the host bridge"),
                Map.entry("X", "NOT_SUPPORTED: the kernel refuses (no shared bridge or ACS redirect, and neither the "
                        + "AMD Zen CPU rule nor the host-bridge allowlist permits it)"));
    }

    /// The legend as the CLI prints it: the title, then `  SYM   = meaning` lines.
    public static List<String> matrixLegend() {
        List<String> out = new ArrayList<>();
        out.add(matrixLegendTitle());
        for (Map.Entry<String, String> e : matrixLegendEntries()) {
            out.add(String.format(Locale.ROOT, "  %-5s = %s", e.getKey(), e.getValue()));
        }
        return out;
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    static String join(List<PciAddress> list) {
        return String.join(", ", list.stream().map(PciAddress::toString).toList());
    }

    public static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "\u2026";
    }

    private static String capital(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /// The boot parameters that decided this pair, one sentence each (empty when none did).
    public static List<String> bootLines(Topology t, Verdict v) {
        return HostContext.explain(t, v);
    }
}
