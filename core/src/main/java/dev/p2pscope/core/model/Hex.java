package dev.p2pscope.core.model;

/// Lower-case hex with a minimum width, as `%0Nx` prints an int (two's complement for a negative one), for the
/// addresses and IDs printed once per function: `String.format` parses its format string on every call, which
/// cost a 10,000-function `tree` ~30 ms.
public final class Hex {

    private Hex() {
    }

    /// `value` in lower-case hex, left-padded with zeros to at least `width` digits.
    public static String of(int value, int width) {
        return append(new StringBuilder(Math.max(width, 8)), value, width).toString();
    }

    /// Appends [#of(int, int)] to `out` and returns it.
    public static StringBuilder append(StringBuilder out, int value, int width) {
        String digits = Integer.toHexString(value);
        for (int i = digits.length(); i < width; i++) out.append('0');
        return out.append(digits);
    }
}
