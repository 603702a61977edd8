package dev.p2pscope.core.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// A PCI function address `DDDD:BB:DD.F`. The domain may be wider than 16 bits: Linux prints it with at least
/// four hex digits, and VMD and Hyper-V hosts use domains such as `10000`.
///
/// @param domain   PCI segment (domain), 0 to 0x7fffffff
/// @param bus      0 to 0xff
/// @param device   0 to 0x1f
/// @param function 0 to 7
public record PciAddress(int domain, int bus, int device, int function) implements Comparable<PciAddress> {

    private static final Pattern SHORT = Pattern.compile("([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\\.([0-7])");

    public PciAddress {
        if (domain < 0) {
            throw new IllegalArgumentException("PCI domain out of range: " + Integer.toUnsignedString(domain, 16));
        }
        if (bus < 0 || bus > 0xff || device < 0 || device > 0x1f || function < 0 || function > 7) {
            throw new IllegalArgumentException("PCI address out of range: %x:%x:%x.%x"
                    .formatted(domain, bus, device, function));
        }
    }

    /// Written out: a load looks addresses up in maps some 200,000 times, and the record's generated methods,
    /// reached through an invokedynamic method handle chain, were a tenth of a tarball load's sequential part.
    @Override
    public boolean equals(Object o) {
        return o instanceof PciAddress p && p.domain == domain && p.bus == bus && p.device == device
                && p.function == function;
    }

    /// The address as one number, multiplied by an odd constant (a one-to-one mix) so every bit of it reaches the
    /// low bits a hash table indexes by: the record's default hash put the regular addresses of a large generated
    /// tree (device 0, function 0 on every bus) into long chains of a hash set's buckets.
    @Override
    public int hashCode() {
        return (((domain << 8 | bus) << 5 | device) << 3 | function) * 0x9E3779B9;
    }

    /// Parses the full form `DDDD:BB:DD.F` (what sysfs and the topology file use).
    ///
    /// @throws IllegalArgumentException when the text is not a PCI address
    public static PciAddress parse(String text) {
        // By hand, exactly what `([0-9a-fA-F]{1,8}):([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\.([0-7])` accepts
        // (PciAddressParseTest compares the two): a sysfs load reads ~20,000 names as addresses, and a matcher with
        // four groups and their substrings for each cost more than the rest of the parse.
        String t = text == null ? "" : text.trim();
        int n = t.length();
        int i = 0;
        long domain = 0;
        while (i < n && i < 9 && hex(t.charAt(i)) >= 0) domain = domain * 16 + hex(t.charAt(i++));
        int bus = -1, dev = -1, fn = -1;
        if (i >= 1 && i <= 8 && i < n && t.charAt(i) == ':') {
            int[] at = {i + 1};
            bus = field(t, at, ':');
            dev = bus < 0 ? -1 : field(t, at, '.');
            if (dev >= 0 && at[0] == n - 1 && t.charAt(n - 1) >= '0' && t.charAt(n - 1) <= '7') fn = t.charAt(n - 1) - '0';
        }
        if (fn < 0) throw new IllegalArgumentException("not a PCI address (DDDD:BB:DD.F): '" + text + "'");
        if (domain > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("PCI domain too large: '" + text + "'");
        }
        try {
            return new PciAddress((int) domain, bus, dev, fn);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a PCI address (DDDD:BB:DD.F): '" + text + "'", e);
        }
    }

    /// One or two hex digits at `at[0]` followed by `end`: their value, with `at[0]` moved past `end`; else -1.
    private static int field(String t, int[] at, char end) {
        int i = at[0];
        int v = 0;
        int digits = 0;
        while (i < t.length() && digits < 3 && hex(t.charAt(i)) >= 0) {
            v = v * 16 + hex(t.charAt(i++));
            digits++;
        }
        if (digits < 1 || digits > 2 || i >= t.length() || t.charAt(i) != end) return -1;
        at[0] = i + 1;
        return v;
    }

    /// The value of an ASCII hex digit, or -1.
    private static int hex(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    /// Parses `DDDD:BB:DD.F`, or the short form `BB:DD.F` (domain 0) that lspci prints and people type.
    public static PciAddress parseLenient(String text) {
        String t = text == null ? "" : text.trim();
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            return of(0, m.group(1), m.group(2), m.group(3), text);
        }
        return parse(t);
    }

    private static PciAddress of(int domain, String bus, String dev, String fn, String text) {
        try {
            return new PciAddress(domain, Integer.parseInt(bus, 16), Integer.parseInt(dev, 16),
                    Integer.parseInt(fn, 16));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a PCI address (DDDD:BB:DD.F): '" + text + "'", e);
        }
    }

    /// True when `text` is a well-formed full address.
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /// `devfn` as the kernel packs it: device in bits 7:3, function in bits 2:0.
    public int devfn() {
        return (device << 3) | function;
    }

    /// The key of the kernel's per-provider `map_types` xarray: `(domain << 16) | (bus << 8) | devfn`.
    public long cacheKey() {
        return ((long) domain << 16) | ((long) bus << 8) | devfn();
    }

    /// The bus this function sits on.
    public BusAddress busAddress() {
        return new BusAddress(domain, bus);
    }

    @Override
    public int compareTo(PciAddress o) {
        int c = Integer.compare(domain, o.domain);
        if (c == 0) c = Integer.compare(bus, o.bus);
        if (c == 0) c = Integer.compare(devfn(), o.devfn());
        return c;
    }

    /// `DDDD:BB:DD.F`, lower-case, as `pci_name()` prints it.
    @Override
    public String toString() {
        StringBuilder b = Hex.append(Hex.append(new StringBuilder(12), domain, 4).append(':'), bus, 2).append(':');
        return Hex.append(Hex.append(b, device, 2).append('.'), function, 1).toString();
    }

    /// `BB:DD.F` without the domain, as lspci prints domain 0.
    public String toShortString() {
        return Hex.append(Hex.append(Hex.append(new StringBuilder(7), bus, 2).append(':'), device, 2).append('.'),
                function, 1).toString();
    }
}
