package dev.p2pscope.app.view;

import dev.p2pscope.core.engine.MapType;
import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.scene.shape.Rectangle;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/// The colours of immediate-mode drawing (large trees and matrices on a canvas) and of the SVG export, read from
/// the theme's style sheets: `app.css` (and `dark.css`) is the one palette. Each colour is a looked-up colour of
/// `.root` (`-p2p-edge`, ...); a probe shape per colour, styled `.palette-edge { -fx-fill: -p2p-edge; }`, reads it
/// back after CSS is applied, so painters and exports follow the theme the nodes show.
final class Palette {

    /// The colours, each named after its looked-up colour in the style sheets (`EDGE` is `-p2p-edge`).
    enum Key {
        BG, EDGE, TEXT, MUTED, ROOT_BUS_FILL, ROOT_BUS_STROKE, ON_PATH_FILL, ON_HOST_PATH_FILL, ON_REFUSED_PATH_FILL, BRIDGE_FILL, NODE, BORDER, ACCENT,
        CLIENT, X, P2PMEM, BUS, HB, X_CELL, CHANGED, SWITCH_FILL, SWITCH_STROKE, DOWNGRADED, NUMA_STROKE, ON_COLOUR;

        /// The style class of this colour's probe (`palette-root-bus-fill`).
        String probeClass() {
            return "palette-" + name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private static Map<List<String>, Palette> cache = Map.of();
    private final EnumMap<Key, Color> colours;

    private Palette(EnumMap<Key, Color> colours) {
        this.colours = colours;
    }

    Color get(Key k) {
        return colours.get(k);
    }

    /// The palette of the style sheets `node`'s scene uses (the light theme when it is in none). Must be called
    /// on the JavaFX thread; cached per list of style sheets.
    static Palette of(Node node) {
        List<String> sheets = node == null || node.getScene() == null ? List.of()
                : List.copyOf(node.getScene().getStylesheets());
        return of(sheets);
    }

    static synchronized Palette of(List<String> sheets) {
        List<String> effective = sheets.isEmpty()
                ? List.of(Palette.class.getResource(MainView.LIGHT).toExternalForm()) : sheets;
        Palette p = cache.get(effective);
        if (p != null) return p;
        Group probes = new Group();
        EnumMap<Key, Rectangle> shapes = new EnumMap<>(Key.class);
        for (Key k : Key.values()) {
            Rectangle r = new Rectangle(1, 1);
            r.getStyleClass().add(k.probeClass());
            shapes.put(k, r);
            probes.getChildren().add(r);
        }
        Scene scene = new Scene(probes);
        scene.getStylesheets().setAll(effective);
        probes.applyCss();
        EnumMap<Key, Color> colours = new EnumMap<>(Key.class);
        for (Key k : Key.values()) {
            Paint fill = shapes.get(k).getFill();
            colours.put(k, fill instanceof Color c ? c : Color.MAGENTA);
        }
        p = new Palette(colours);
        var next = new java.util.HashMap<>(cache);
        next.put(effective, p);
        cache = Map.copyOf(next);
        return p;
    }

    /// The colour of a verdict: green through a switch, orange through the host bridge, red refused.
    Color of(MapType t) {
        return switch (t) {
            case BUS_ADDR -> get(Key.BUS);
            case THRU_HOST_BRIDGE -> get(Key.HB);
            default -> get(Key.X);
        };
    }

    /// `#rrggbb` for SVG.
    String hex(Key k) {
        return hex(get(k));
    }

    static String hex(Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", Math.round(c.getRed() * 255), Math.round(c.getGreen() * 255),
                Math.round(c.getBlue() * 255));
    }
}
