package dev.p2pscope.app.view;

import dev.p2pscope.core.engine.MapType;
import javafx.scene.paint.Color;

/// The colours of immediate-mode drawing (large trees and matrices on a canvas), the same as `app.css` gives the
/// node-based views, so both modes read alike.
final class Palette {

    static final Color BACKGROUND = Color.web("#f6f7fb");
    static final Color EDGE = Color.web("#9aa5ba");
    static final Color TEXT = Color.web("#1f2633");
    static final Color MUTED = Color.web("#5e6a80");
    static final Color ROOT_BUS_FILL = Color.web("#dfe5f1");
    static final Color ROOT_BUS_STROKE = Color.web("#8793ab");
    static final Color ON_PATH_FILL = Color.web("#e6f7ea");
    static final Color BRIDGE_FILL = Color.web("#f1f3f8");
    static final Color FUNCTION_FILL = Color.WHITE;
    static final Color FUNCTION_STROKE = Color.web("#7d8aa3");
    static final Color PROVIDER = Color.web("#3b5bdb");
    static final Color CLIENT = Color.web("#0ca678");
    static final Color REDIRECT = Color.web("#d6336c");
    static final Color P2PMEM = Color.web("#7048e8");
    static final Color BUS_ADDR = Color.web("#2f9e44");
    static final Color THRU_HOST_BRIDGE = Color.web("#e8890c");
    static final Color NOT_SUPPORTED = Color.web("#d6336c");
    static final Color NOT_SUPPORTED_CELL = Color.web("#e9ecef");
    static final Color CHANGED = Color.web("#f59f00");
    static final Color SWITCH_FILL = Color.web("#e7ecf7");
    static final Color SWITCH_STROKE = Color.web("#aab6cf");

    private Palette() {
    }

    /// The colour of a verdict: green through a switch, orange through the host bridge, red refused.
    static Color of(MapType t) {
        return switch (t) {
            case BUS_ADDR -> BUS_ADDR;
            case THRU_HOST_BRIDGE -> THRU_HOST_BRIDGE;
            default -> NOT_SUPPORTED;
        };
    }
}
