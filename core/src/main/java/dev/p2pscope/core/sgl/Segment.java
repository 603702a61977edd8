package dev.p2pscope.core.sgl;

import dev.p2pscope.core.model.PciAddress;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/// One scatterlist entry as the caller builds it: host RAM at a physical address, or a provider's p2pmem at an
/// offset into its pool (whose pages carry the provider's pagemap), and a length.
///
/// @param provider null for host memory
/// @param address  the host physical address, or the offset into the provider's p2pmem
/// @param length   bytes
public record Segment(PciAddress provider, long address, long length) {

    public Segment {
        if (length <= 0) throw new IllegalArgumentException("a segment has a positive length");
        if (address < 0) throw new IllegalArgumentException("a segment address is non-negative");
    }

    public static Segment host(long phys, long length) {
        return new Segment(null, phys, length);
    }

    public static Segment p2p(PciAddress provider, long offset, long length) {
        return new Segment(provider, offset, length);
    }

    public boolean isP2p() {
        return provider != null;
    }

    /// Parses `host:0x100000+4096,p2p:0000:03:00.0@0+8192` (numbers in hex with 0x, or decimal; k/M suffixes).
    public static List<Segment> parseList(String spec) {
        List<Segment> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            int plus = p.lastIndexOf('+');
            if (plus < 0) throw new IllegalArgumentException("segment '" + p + "' needs +LENGTH");
            long length = number(p.substring(plus + 1));
            if (p.startsWith("host:")) {
                out.add(host(number(p.substring(5, plus)), length));
            } else if (p.startsWith("p2p:")) {
                int at = p.indexOf('@');
                if (at < 0 || at > plus) throw new IllegalArgumentException("segment '" + p + "' is p2p:BDF@OFFSET+LENGTH");
                out.add(p2p(PciAddress.parseLenient(p.substring(4, at)), number(p.substring(at + 1, plus)), length));
            } else {
                throw new IllegalArgumentException("segment '" + p + "' starts with host: or p2p:");
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException("no segments");
        return out;
    }

    static long number(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        long mul = 1;
        if (t.endsWith("k")) { mul = 1024; t = t.substring(0, t.length() - 1); }
        else if (t.endsWith("m")) { mul = 1024 * 1024; t = t.substring(0, t.length() - 1); }
        try {
            return (t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t)) * mul;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: '" + s + "'", e);
        }
    }

    @Override
    public String toString() {
        return isP2p() ? String.format(Locale.ROOT, "p2p:%s@0x%x+%d", provider, address, length)
                : String.format(Locale.ROOT, "host:0x%x+%d", address, length);
    }
}
