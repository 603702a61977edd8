package dev.p2pscope.core.model;

/// PCIe link state as sysfs prints it (`current_link_speed` "16.0 GT/s PCIe", `current_link_width` 16, ...).
/// Any component may be null when it was not available.
public record Link(String speed, Integer width, String maxSpeed, Integer maxWidth) {

    /// True when the link trained below what both ends can do (slower or narrower than the maximum).
    public boolean downgraded() {
        boolean narrower = width != null && maxWidth != null && width < maxWidth;
        boolean slower = speed != null && maxSpeed != null && gts(speed) < gts(maxSpeed);
        return narrower || slower;
    }

    /// Whether both comparisons behind [#downgraded] could be made: width and speed each read at both ends. When
    /// not, a link that is not known to be downgraded is not known to be at its maximum either.
    public boolean comparable() {
        return width != null && maxWidth != null && gts(speed) > 0 && gts(maxSpeed) > 0;
    }

    /// The numeric GT/s of a sysfs speed string such as "8.0 GT/s PCIe"; 0 when unknown.
    public static double gts(String speed) {
        if (speed == null) return 0;
        String t = speed.trim();
        int sp = t.indexOf(' ');
        try {
            return Double.parseDouble(sp < 0 ? t : t.substring(0, sp));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /// A short label such as `x16 16.0GT/s`.
    public String label() {
        StringBuilder b = new StringBuilder();
        if (width != null) b.append('x').append(width);
        if (speed != null) {
            if (!b.isEmpty()) b.append(' ');
            b.append(speed.replace(" PCIe", "").replace(" GT/s", "GT/s"));
        }
        return b.toString();
    }
}
