package dev.p2pscope.app.view;

import dev.p2pscope.app.render.TreeLayout;
import dev.p2pscope.core.engine.Hop;
import dev.p2pscope.core.engine.Verdict;
import dev.p2pscope.core.model.BusAddress;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;

import javafx.geometry.Point2D;
import javafx.scene.paint.Color;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/// The canvas as SVG, written from the layout (not from the scene), so it is exact and scalable.
final class SvgExport {

    private SvgExport() {
    }

    static String render(Topology t, TreeLayout.Layout layout, Verdict v) {
        // The route the data takes ([Verdict#route()]), the same hops the canvas draws and `check` prints.
        Set<PciAddress> path = new HashSet<>();
        Set<BusAddress> hostBridges = new HashSet<>();
        if (v != null) {
            for (Hop h : v.route()) {
                if (h.role() == Hop.Role.HOST_BRIDGE) hostBridges.add(h.rootBus());
                else path.add(h.function());
            }
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n", layout.width() + 20, layout.height() + 20));
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n<g transform=\"translate(10,10)\">\n");
        for (TreeLayout.Edge e : layout.edges()) {
            TreeLayout.Box f = layout.boxes().get(e.from());
            TreeLayout.Box to = layout.boxes().get(e.to());
            b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#8a94a6\"/>%n",
                    f.centerX(), f.y() + f.h(), to.centerX(), to.y()));
        }
        for (TreeLayout.Box box : layout.boxes().values()) {
            String fill = "#eef2f8";
            String label;
            String sub;
            if (box.function() == null) {
                fill = hostBridges.contains(box.rootBus()) ? "#dff5e3" : "#dde3ee";
                label = "root bus " + box.rootBus();
                sub = "";
            } else {
                PciFunction f = t.require(box.function());
                label = f.address() + "  " + f.kind().jsonName();
                sub = f.displayName();
                if (f.acs().redirects()) fill = "#fde2e1";
                if (path.contains(f.address())) fill = "#dff5e3";
            }
            b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"6\" "
                    + "fill=\"%s\" stroke=\"#5b6b86\"/>%n", box.x(), box.y(), box.w(), box.h(), fill));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">%s</text>%n", box.x() + 6, box.y() + 15,
                    esc(label)));
            if (!sub.isEmpty()) {
                b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#445\">%s</text>%n", box.x() + 6,
                        box.y() + 31, esc(sub.length() > 30 ? sub.substring(0, 29) + "\u2026" : sub)));
            }
        }
        if (v != null) {
            List<Point2D> pts = TopologyCanvas.routePoints(layout, v);
            StringBuilder points = new StringBuilder();
            for (Point2D p : pts) points.append(String.format(Locale.ROOT, "%.1f,%.1f ", p.getX(), p.getY()));
            Color c = Palette.of(v.mapType());
            b.append(String.format(Locale.ROOT, "<polyline class=\"route\" points=\"%s\" fill=\"none\" "
                    + "stroke=\"#%02x%02x%02x\" stroke-width=\"4\" stroke-opacity=\"0.8\"/>%n",
                    points.toString().strip(), Math.round(c.getRed() * 255), Math.round(c.getGreen() * 255),
                    Math.round(c.getBlue() * 255)));
        }
        return b.append("</g>\n</svg>\n").toString();
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
