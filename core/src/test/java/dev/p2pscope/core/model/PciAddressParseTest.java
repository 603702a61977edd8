package dev.p2pscope.core.model;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/// [PciAddress#parse] is written by hand for speed; it accepts and refuses exactly what the pattern it replaced
/// does, with the same messages, on every string built from the characters an address is made of and a few others.
class PciAddressParseTest {

    static final Pattern FULL = Pattern.compile("([0-9a-fA-F]{1,8}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\\.([0-7])");

    /// The parse as it was, by the pattern.
    static String reference(String text) {
        Matcher m = FULL.matcher(text == null ? "" : text.trim());
        if (!m.matches()) return "error: not a PCI address (DDDD:BB:DD.F): '" + text + "'";
        long domain = Long.parseLong(m.group(1), 16);
        if (domain > Integer.MAX_VALUE) return "error: PCI domain too large: '" + text + "'";
        try {
            return new PciAddress((int) domain, Integer.parseInt(m.group(2), 16), Integer.parseInt(m.group(3), 16),
                    Integer.parseInt(m.group(4), 16)).toString();
        } catch (IllegalArgumentException e) {
            return "error: not a PCI address (DDDD:BB:DD.F): '" + text + "'";
        }
    }

    static String actual(String text) {
        try {
            return PciAddress.parse(text).toString();
        } catch (IllegalArgumentException e) {
            return "error: " + e.getMessage();
        }
    }

    @Test
    void acceptsAndRefusesExactlyWhatThePatternDid() {
        String alphabet = "0123456789abcdefABCDEFg:.. 7:";
        Random r = new Random(2026);
        for (int i = 0; i < 300_000; i++) {
            StringBuilder b = new StringBuilder();
            int len = r.nextInt(20);
            for (int k = 0; k < len; k++) b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            check(b.toString());
        }
        for (int i = 0; i < 100_000; i++) {   // near-addresses: each field 0-9 digits wide
            String s = hex(r, r.nextInt(10)) + ":" + hex(r, r.nextInt(4)) + ":" + hex(r, r.nextInt(4)) + "."
                    + (r.nextBoolean() ? String.valueOf(r.nextInt(10)) : hex(r, r.nextInt(3)));
            check(r.nextInt(8) == 0 ? " " + s + " " : s);
        }
        for (String s : new String[] {"", " ", null, "0000:00:00.0", "ffffffff:ff:1f.7", "7fffffff:ff:1f.7",
            "80000000:00:00.0", "10000:03:00.1", "0:0:0.0", "0000:00:20.0", "0000:100:00.0", "0000:00:00.8",
            "0000:00:00.0 ", "0000:00:00.07", "000000000:00:00.0", "0000:00:00.", "0000:00.0"}) {
            check(s);
        }
    }

    private static void check(String s) {
        assertThat(actual(s)).as("'%s'", s).isEqualTo(reference(s));
    }

    private static String hex(Random r, int digits) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < digits; i++) b.append("0123456789abcdefABCDEF".charAt(r.nextInt(22)));
        return b.toString();
    }
}
