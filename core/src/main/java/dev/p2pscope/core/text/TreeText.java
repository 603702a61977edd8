package dev.p2pscope.core.text;

import dev.p2pscope.core.model.BusAddress;
import dev.p2pscope.core.model.Hex;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/// The PCI hierarchy as text, drawn the way `lspci -tv` draws it: root buses `-[DDDD:BB]-`, devices `DD.F`,
/// bridges `DD.F-[SS-UU]--` followed by what hangs below them, then the ID or the name.
///
/// A bridge's bus range comes from its config space when it was read; otherwise it is the bus its children sit
/// on, and a bridge with nothing below it is drawn as a plain device (as lspci does without config space).
public final class TreeText {

    private final Topology topology;
    private final Function<PciFunction, String> label;
    private final StringBuilder out = new StringBuilder();

    private TreeText(Topology topology, Function<PciFunction, String> label) {
        this.topology = topology;
        this.label = label;
    }

    /// `lspci -tvn` style: IDs only.
    public static String numeric(Topology t) {
        return render(t, f -> f.id().toString());
    }

    /// `lspci -tv` style: names where known (else IDs), plus the kind of anything that is not an endpoint.
    public static String named(Topology t) {
        return render(t, f -> f.displayName());
    }

    public static String render(Topology t, Function<PciFunction, String> label) {
        return new TreeText(t, label).draw();
    }

    /// One step of the drawing. The drawing is a depth-first walk done with an explicit stack, not recursion, so
    /// a chain thousands of bridges deep draws like any other tree. A step's line is either given (the first
    /// item of a group continues its parent's line) or, when null, made when the step runs from the continuation
    /// prefix the previous line left (`pending`), cut to `prefixLength` — exactly what lspci's print_it does.
    private record Step(Kind kind, PciFunction function, List<PciFunction> group, StringBuilder line,
                        int prefixLength, String connector) { }

    private enum Kind { DEVICE, BUS }

    private final java.util.ArrayDeque<Step> todo = new java.util.ArrayDeque<>();

    private String draw() {
        List<BusAddress> roots = topology.rootBuses();
        StringBuilder line = new StringBuilder();
        if (roots.size() == 1) {
            BusAddress b = roots.getFirst();
            line.append(String.format(Locale.ROOT, "-[%s]-", b));
            todo.push(new Step(Kind.BUS, null, topology.rootBusFunctions(b), line, 0, ""));
        } else {
            line.append('-');
            int prefix = line.length();
            for (int i = roots.size() - 1; i >= 0; i--) {
                BusAddress b = roots.get(i);
                String connector = (i < roots.size() - 1 ? "+-" : "\\-") + String.format(Locale.ROOT, "[%s]-", b);
                todo.push(new Step(Kind.BUS, null, topology.rootBusFunctions(b), i == 0 ? line : null, prefix,
                        connector));
            }
        }
        while (!todo.isEmpty()) {
            Step s = todo.pop();
            StringBuilder l = s.line() != null ? s.line()
                    : new StringBuilder(pending.substring(0, Math.min(pending.length(), s.prefixLength())));
            l.append(s.connector());
            if (s.kind() == Kind.BUS) bus(s.group(), l);
            else device(s.function(), l);
        }
        return out.toString();
    }

    /// Devices of one bus, grouped by bus number (a bridge's children may, in broken trees, span buses).
    private void bus(List<PciFunction> devices, StringBuilder line) {
        if (devices.isEmpty()) {
            emit(line);
            return;
        }
        if (devices.size() == 1) {
            line.append("--");
            todo.push(new Step(Kind.DEVICE, devices.getFirst(), null, line, 0, ""));
            return;
        }
        int prefix = line.length();
        for (int i = devices.size() - 1; i >= 0; i--) {
            todo.push(new Step(Kind.DEVICE, devices.get(i), null, i == 0 ? line : null, prefix,
                    i < devices.size() - 1 ? "+-" : "\\-"));
        }
    }

    /// The continuation prefix left by the last emitted line (lspci's print_it rewrite).
    private String pending = "";

    private void device(PciFunction f, StringBuilder line) {
        Hex.append(Hex.append(line, f.address().device(), 2).append('.'), f.address().function(), 1);
        List<PciFunction> kids = topology.children(f.address());
        boolean knownRange = f.secondaryBus() != null && f.subordinateBus() != null && f.secondaryBus() > 0;
        if (f.kind().isBridge() && kids.isEmpty() && f.secondaryBus() != null && f.secondaryBus() == 0
                && f.subordinateBus() != null && f.subordinateBus() == 0) {
            // A bridge whose bus numbers were never assigned: lspci draws it as `DD.F--`.
            line.append("--");
            emit(line);
            return;
        }
        if (f.kind().isBridge() && kids.isEmpty() && knownRange) {
            // An empty bridge whose config space gave its bus range: lspci draws `-[SS]--` and nothing after.
            line.append(range(f.secondaryBus(), f.subordinateBus()));
            emit(line);
            return;
        }
        if (f.kind().isBridge() && !kids.isEmpty()) {
            int secondary = knownRange ? f.secondaryBus()
                    : kids.stream().mapToInt(k -> k.address().bus()).min().orElseThrow();
            // Without the bridge's own bus numbers, lspci (like us) knows only the bus its children sit on.
            int subordinate = knownRange ? f.subordinateBus() : secondary;
            line.append(range(secondary, subordinate));
            TreeMap<Integer, List<PciFunction>> byBus = new TreeMap<>();
            for (PciFunction k : kids) byBus.computeIfAbsent(k.address().bus(), x -> new ArrayList<>()).add(k);
            if (byBus.size() == 1) {
                todo.push(new Step(Kind.BUS, null, kids, line, 0, ""));
            } else {
                // Children on more than one bus (a bridge missing from the tree): one sub-root per bus.
                int prefix = line.length();
                List<Map.Entry<Integer, List<PciFunction>>> groups = new ArrayList<>(byBus.entrySet());
                for (int i = groups.size() - 1; i >= 0; i--) {
                    var e = groups.get(i);
                    String connector = (i < groups.size() - 1 ? "+-" : "\\-") + String.format(Locale.ROOT,
                            "[%04x:%02x]-", f.address().domain(), e.getKey());
                    todo.push(new Step(Kind.BUS, null, e.getValue(), i == 0 ? line : null, prefix, connector));
                }
            }
            return;
        }
        line.append("  ").append(label.apply(f));
        emit(line);
    }

    private static String range(int secondary, int subordinate) {
        StringBuilder b = Hex.append(new StringBuilder(10).append("-["), secondary, 2);
        if (secondary != subordinate) Hex.append(b.append('-'), subordinate, 2);
        return b.append("]--").toString();
    }

    private void emit(StringBuilder line) {
        out.append(line).append('\n');
        pending = blank(line).toString();
    }

    /// lspci's print_it: what stays on the next line is `|` under every `+` or `|`, blanks elsewhere.
    private static StringBuilder blank(CharSequence line) {
        StringBuilder b = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            b.append(c == '+' || c == '|' ? '|' : ' ');
        }
        return b;
    }
}
