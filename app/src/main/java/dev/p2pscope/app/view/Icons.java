package dev.p2pscope.app.view;

import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.PciFunction;
import javafx.scene.shape.SVGPath;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// Our own icons (the repository's `icons/` folder, copied into the jar): each SVG is one path on a 24×24 grid,
/// drawn here as an `SVGPath` so it scales and takes CSS colours.
final class Icons {

    private static final Pattern D = Pattern.compile("\\sd=\"([^\"]+)\"");
    private static final Map<String, String> CACHE = new HashMap<>();

    private Icons() {
    }

    /// The icon name for a function: by class code, else by kind.
    static String nameFor(PciFunction f) {
        int cls = f.classCode() == null ? -1 : f.classCode() >> 8;
        int base = cls >> 8;
        if (f.kind() == DeviceKind.HOST_BRIDGE) return "host";
        if (f.kind().isBridge()) return f.kind() == DeviceKind.ROOT_PORT ? "port" : "switch";
        if (cls == 0x0108 || "nvme".equals(f.driver())) return "nvme";
        if (base == 0x03 || base == 0x12) return "gpu";
        if (base == 0x02) return "nic";
        if (base == 0x0b || base == 0x10 || base == 0x11 || base == 0x08) return "accel";
        if (base == 0x01) return "storage";
        return "other";
    }

    static SVGPath icon(String name) {
        SVGPath p = new SVGPath();
        p.setContent(CACHE.computeIfAbsent(name, Icons::load));
        p.setFillRule(javafx.scene.shape.FillRule.EVEN_ODD);
        p.getStyleClass().addAll("icon", "icon-" + name);
        return p;
    }

    private static String load(String name) {
        try (InputStream in = Icons.class.getResourceAsStream("/dev/p2pscope/app/icons/" + name + ".svg")) {
            if (in == null) return "M2 2h20v20H2z";
            Matcher m = D.matcher(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return m.find() ? m.group(1) : "M2 2h20v20H2z";
        } catch (IOException e) {
            return "M2 2h20v20H2z";
        }
    }
}
