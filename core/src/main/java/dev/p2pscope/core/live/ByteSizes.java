package dev.p2pscope.core.live;

import java.util.Locale;

/// Byte counts as `p2pmem-test`'s `-s` and `-o` take them (its `suffix_binary_parse`): `4096`, `4k`, `2M`, `1G`,
/// `1T`, also `KiB`/`MiB`/…, and `0x` hex. One parser for `copy`'s options and the Live tab's fields.
public final class ByteSizes {

    private ByteSizes() {
    }

    /// @throws IllegalArgumentException when the text is not a size or is out of range
    public static long parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.endsWith("ib")) v = v.substring(0, v.length() - 2);
        else if (v.endsWith("b") && v.length() > 1 && !v.startsWith("0x")) v = v.substring(0, v.length() - 1);
        int shift = 0;
        if (!v.isEmpty() && !v.startsWith("0x")) {
            shift = switch (v.charAt(v.length() - 1)) {
                case 'k' -> 10;
                case 'm' -> 20;
                case 'g' -> 30;
                case 't' -> 40;
                default -> 0;
            };
            if (shift > 0) v = v.substring(0, v.length() - 1);
        }
        long n;
        try {
            n = v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a size (e.g. 4096, 4k, 2M, 1G)");
        }
        if (n < 0 || (shift > 0 && n > (Long.MAX_VALUE >> shift))) {
            throw new IllegalArgumentException("'" + value + "' is out of range");
        }
        return n << shift;
    }
}
