package dev.p2pscope.app.view;

import dev.p2pscope.app.render.TreeLayout;
import dev.p2pscope.core.engine.Verdict;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;
import javafx.geometry.Point2D;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/// The canvas as SVG, written from the layout (not from the scene), so it is exact and scalable. Its colours are
/// the theme's ([Palette], read from the style sheets) and its route is the one the canvas draws.
final class SvgExport {

    private SvgExport() {
    }

    /// What to draw: the topology laid out, the verdict (or null), the route as the canvas draws it and the
    /// functions on it, in the palette of the theme on screen.
    record Drawing(Topology topology, TreeLayout.Layout layout, Verdict verdict, List<Point2D> route,
                   Set<PciAddress> onRoute, Palette palette) { }

    static String render(Drawing d) {
        Topology t = d.topology();
        TreeLayout.Layout layout = d.layout();
        Palette pal = d.palette();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n", layout.width() + 20, layout.height() + 20));
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"").append(pal.hex(Palette.Key.BG))
                .append("\"/>\n<g transform=\"translate(10,10)\">\n");
        for (TreeLayout.NumaGroup g : layout.numa()) {
            b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"9\" "
                    + "fill=\"none\" stroke=\"%s\"/>%n", g.x(), g.y(), g.w(), g.h(), pal.hex(Palette.Key.NUMA_STROKE)));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"14\" fill=\"%s\">NUMA node %d"
                    + "</text>%n", g.x() + 10, g.y() + 15, pal.hex(Palette.Key.MUTED), g.node()));
        }
        for (TreeLayout.SwitchGroup g : layout.switches()) {
            b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"7\" "
                    + "fill=\"%s\" stroke=\"%s\" stroke-dasharray=\"5 3\"/>%n", g.x(), g.y(), g.w(), g.h(),
                    pal.hex(Palette.Key.SWITCH_FILL), pal.hex(Palette.Key.SWITCH_STROKE)));
        }
        for (TreeLayout.Edge e : layout.edges()) {
            TreeLayout.Box f = layout.boxes().get(e.from());
            TreeLayout.Box to = layout.boxes().get(e.to());
            b.append("<polyline fill=\"none\" stroke=\"").append(pal.hex(Palette.Key.EDGE)).append("\" points=\"")
                    .append(points(TopologyCanvas.elbow(f, to))).append("\"/>\n");
        }
        if (d.verdict() != null && d.route().size() > 1) {
            double[] xy = new double[d.route().size() * 2];
            for (int i = 0; i < d.route().size(); i++) {
                xy[2 * i] = d.route().get(i).getX();
                xy[2 * i + 1] = d.route().get(i).getY();
            }
            b.append("<polyline class=\"route\" fill=\"none\" stroke-width=\"5\" stroke-opacity=\"0.6\" stroke=\"")
                    .append(Palette.hex(pal.of(d.verdict().mapType()))).append("\" points=\"").append(points(xy))
                    .append("\"/>\n");
        }
        for (TreeLayout.Box box : layout.boxes().values()) {
            String fill = pal.hex(Palette.Key.NODE);
            String stroke = pal.hex(Palette.Key.BORDER);
            String label;
            String sub;
            if (box.function() == null) {
                fill = pal.hex(Palette.Key.ROOT_BUS_FILL);
                stroke = pal.hex(Palette.Key.ROOT_BUS_STROKE);
                label = "Root bus " + box.rootBus();
                sub = "host bridge " + TopologyCanvas.hostId(t, box.rootBus());
            } else {
                PciFunction f = t.require(box.function());
                label = f.address() + "  " + f.kind().jsonName();
                sub = f.displayName();
                if (f.kind().isBridge()) fill = pal.hex(Palette.Key.BRIDGE_FILL);
                if (f.acs().redirects()) stroke = pal.hex(Palette.Key.X);
                else if (f.p2pmem() != null) stroke = pal.hex(Palette.Key.P2PMEM);
                if (d.onRoute().contains(f.address())) fill = pal.hex(Palette.Key.ON_PATH_FILL);
            }
            b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"6\" "
                    + "fill=\"%s\" stroke=\"%s\"/>%n", box.x(), box.y(), box.w(), box.h(), fill, stroke));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">%s</text>%n", box.x() + 6,
                    box.y() + 15, pal.hex(Palette.Key.TEXT), esc(label)));
            if (!sub.isEmpty()) {
                // SVG text does not wrap: the full name, with the box's width as the limit a viewer may clip at.
                b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\" textLength=\"%s\">%s"
                        + "<title>%s</title></text>%n", box.x() + 6, box.y() + 31, pal.hex(Palette.Key.MUTED),
                        sub.length() * 6.2 > box.w() - 12 ? String.format(Locale.ROOT, "%.0f", box.w() - 12) : "",
                        esc(sub), esc(sub)).replace(" textLength=\"\"", ""));
            }
        }
        return b.append("</g>\n</svg>\n").toString();
    }

    private static String points(double[] xy) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < xy.length; i += 2) {
            if (i > 0) b.append(' ');
            b.append(String.format(Locale.ROOT, "%.1f,%.1f", xy[i], xy[i + 1]));
        }
        return b.toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
