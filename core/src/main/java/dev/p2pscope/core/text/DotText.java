package dev.p2pscope.core.text;

import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.BusAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;

/// The topology as a Graphviz `dot` digraph: one cluster per root bus (host bridge), edges from each bridge to
/// what hangs below it, ACS-redirecting functions in red, p2pmem providers double-bordered.
public final class DotText {

    private DotText() {
    }

    public static String render(Topology t) {
        StringBuilder b = new StringBuilder("digraph pci {\n  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\"];\n");
        for (BusAddress bus : t.rootBuses()) {
            String hb = "hb_" + bus.toString().replace(':', '_');
            b.append("  ").append(hb).append(" [label=\"root bus ").append(bus).append("\", shape=house];\n");
            for (PciFunction f : t.rootBusFunctions(bus)) b.append("  ").append(hb).append(" -> ").append(id(f))
                    .append(";\n");
        }
        for (PciFunction f : t.functions()) {
            b.append("  ").append(id(f)).append(" [label=\"").append(f.address()).append("\\n")
                    .append(escape(f.displayName())).append("\\n").append(f.kind()).append('"');
            if (f.acs().redirects()) b.append(", color=red");
            if (f.acs() instanceof Acs.Unknown) b.append(", style=dashed");
            if (f.p2pmem() != null) b.append(", peripheries=2");
            b.append("];\n");
            if (f.parent() != null) {
                b.append("  ").append(id(t.require(f.parent()))).append(" -> ").append(id(f));
                if (f.link() != null && !f.link().label().isEmpty()) {
                    b.append(" [label=\"").append(escape(f.link().label())).append('"')
                            .append(f.link().downgraded() ? ", color=orange" : "").append(']');
                }
                b.append(";\n");
            }
        }
        return b.append("}\n").toString();
    }

    private static String id(PciFunction f) {
        return "\"" + f.address() + "\"";
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
