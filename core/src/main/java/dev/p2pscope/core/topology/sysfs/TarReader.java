package dev.p2pscope.core.topology.sysfs;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/// Reads a tar stream (POSIX ustar and pax, GNU long names, old V7 headers) header by header, for [ArchiveTree].
///
/// Why not commons-compress's `TarArchiveInputStream`: reading a 10,000-function snapshot (120,000 entries,
/// most with a GNU or pax long name) through it allocated two fresh 8 KiB skip buffers per entry and header, 5 GB
/// in all, and the collections that followed were a quarter of the load's CPU. This reader reuses one header
/// block and reads only what [ArchiveTree] keeps: name, link target, type and up to a cap of the content.
///
/// Bounded like the rest of the loader: the long name, long link name and pax records that go with one entry
/// take at most [ArchiveTree#MAX_HEADER_BYTES] together; sizes are checked before anything is read; a header
/// whose checksum is wrong, a malformed number or pax record, and a stream that ends inside an entry are errors
/// naming the entry's position. The decompressed byte budget and bomb detection are the caller's stream's.
final class TarReader {

    static final int BLOCK = 512;

    /// One entry: its name and link target as recorded (long names and pax records applied), its type flag and
    /// the size of its content.
    record Header(String name, String link, char type, long size) {
        boolean isDirectory() {
            return type == '5' || (isRegularType() && name.endsWith("/"));
        }

        boolean isFile() {
            return isRegularType() && !name.endsWith("/");
        }

        boolean isSymbolicLink() {
            return type == '2';
        }

        boolean isHardLink() {
            return type == '1';
        }

        private boolean isRegularType() {
            return type == '0' || type == '\0' || type == '7';
        }
    }

    private final InputStream in;
    private final byte[] block = new byte[BLOCK];
    private long remaining;   // content of the current entry not read yet
    private long padding;     // after it, up to the next block
    private long entries;     // headers read, for messages

    TarReader(InputStream in) {
        this.in = in;
    }

    /// The next entry's header, positioned at its content; null at the end of the archive.
    Header next() throws IOException {
        skip(remaining + padding);
        remaining = 0;
        padding = 0;
        String longName = null;
        String longLink = null;
        String paxPath = null;
        String paxLink = null;
        long paxSize = -1;
        long metadata = 0;
        while (true) {
            if (!readBlock()) return null;   // the end of the stream where a header would start: the end
            if (isZero(block)) return null;   // the end-of-archive marker
            entries++;
            checkSum();
            char type = (char) (block[156] & 0xff);
            long size = number(124, 12, "size");
            if (type == 'L' || type == 'K' || type == 'x' || type == 'g') {
                metadata += BLOCK + size;
                if (size > Integer.MAX_VALUE || metadata > ArchiveTree.MAX_HEADER_BYTES) {
                    throw new IOException("a tar header (with its long name or PAX records) is larger than "
                            + (ArchiveTree.MAX_HEADER_BYTES >> 20) + " MiB (entry " + entries + ")");
                }
                byte[] data = readFully((int) size);
                skip(pad(size));
                switch (type) {
                    case 'L' -> longName = cString(data, 0, data.length);
                    case 'K' -> longLink = cString(data, 0, data.length);
                    case 'x' -> {
                        Pax p = pax(data);
                        if (p.path != null) paxPath = p.path;
                        if (p.link != null) paxLink = p.link;
                        if (p.size >= 0) paxSize = p.size;
                    }
                    default -> { }   // a global pax header: nothing in it changes what P2PScope reads
                }
                continue;
            }
            metadata += BLOCK;
            if (metadata > ArchiveTree.MAX_HEADER_BYTES) {
                throw new IOException("a tar header (with its long name or PAX records) is larger than "
                        + (ArchiveTree.MAX_HEADER_BYTES >> 20) + " MiB (entry " + entries + ")");
            }
            String name = paxPath != null ? paxPath : longName != null ? longName : ustarName();
            String link = paxLink != null ? paxLink : longLink != null ? longLink : cString(block, 157, 100);
            long contentSize = paxSize >= 0 ? paxSize : size;
            remaining = contentSize;
            padding = pad(contentSize);
            return new Header(name, link, type, contentSize);
        }
    }

    /// Up to `max` bytes of the current entry's content into `buf` (from its start); returns how many.
    int content(byte[] buf, int max) throws IOException {
        int want = (int) Math.min(remaining, Math.min(max, buf.length));
        int got = 0;
        while (got < want) {
            int n = in.read(buf, got, want - got);
            if (n < 0) throw truncated();
            got += n;
        }
        remaining -= got;
        return got;
    }

    private static long pad(long size) {
        long r = size % BLOCK;
        return r == 0 ? 0 : BLOCK - r;
    }

    /// The name of a ustar header: `prefix/name` when the POSIX ustar magic says there is a prefix (GNU and V7
    /// headers use those bytes for other things).
    private String ustarName() {
        String name = cString(block, 0, 100);
        boolean posix = block[257] == 'u' && block[258] == 's' && block[259] == 't' && block[260] == 'a'
                && block[261] == 'r' && block[262] == 0;
        if (posix && block[345] != 0) return cString(block, 345, 155) + "/" + name;
        return name;
    }

    /// False at a clean end of stream before the block; an end inside it is truncation.
    private boolean readBlock() throws IOException {
        int got = 0;
        while (got < BLOCK) {
            int n = in.read(block, got, BLOCK - got);
            if (n < 0) {
                if (got == 0) return false;
                throw truncated();
            }
            got += n;
        }
        return true;
    }

    private byte[] readFully(int size) throws IOException {
        byte[] out = new byte[size];
        int got = 0;
        while (got < size) {
            int n = in.read(out, got, size - got);
            if (n < 0) throw truncated();
            got += n;
        }
        return out;
    }

    private void skip(long n) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) throw truncated();
                s = 1;
            }
            left -= s;
        }
    }

    private EOFException truncated() {
        return new EOFException("the archive ends inside entry " + entries + " (the file is truncated)");
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    /// The header checksum: the sum of its bytes with the checksum field counted as spaces, as unsigned bytes
    /// (POSIX) or signed ones (some old tar programs). The unsigned sum is taken eight bytes at a time (it was a
    /// tenth of a snapshot's load byte by byte).
    private void checkSum() throws IOException {
        long unsigned = 0;
        for (int i = 0; i < BLOCK; i += 8) {
            long w = (long) LONGS.get(block, i);
            long pairs = (w & 0x00ff00ff00ff00ffL) + ((w >>> 8) & 0x00ff00ff00ff00ffL);   // four 16-bit sums
            unsigned += (pairs & 0xffff) + ((pairs >>> 16) & 0xffff) + ((pairs >>> 32) & 0xffff) + (pairs >>> 48);
        }
        for (int i = 148; i < 156; i++) unsigned += ' ' - (block[i] & 0xff);
        long stored = number(148, 8, "checksum");
        if (stored == unsigned) return;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) signed += i >= 148 && i < 156 ? ' ' : block[i];
        if (stored != signed) {
            throw new IOException("not a valid tar archive: the checksum of header " + entries + " is wrong");
        }
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /// A numeric field: octal digits (leading spaces, ending at a space or NUL), or GNU's base-256 when its first
    /// byte has the high bit set.
    private long number(int at, int len, String what) throws IOException {
        if ((block[at] & 0x80) != 0) {
            if ((block[at] & 0x40) != 0) throw malformed(what);   // negative
            long v = block[at] & 0x3f;
            for (int i = 1; i < len; i++) {
                if (v > (Long.MAX_VALUE >> 8)) throw malformed(what);
                v = (v << 8) | (block[at + i] & 0xff);
            }
            return v;
        }
        int i = at;
        int end = at + len;
        while (i < end && (block[i] == ' ' || block[i] == 0)) i++;
        if (i == end) return 0;
        long v = 0;
        for (; i < end; i++) {
            byte b = block[i];
            if (b == ' ' || b == 0) break;
            if (b < '0' || b > '7' || v > (Long.MAX_VALUE >> 3)) throw malformed(what);
            v = (v << 3) | (b - '0');
        }
        for (; i < end; i++) if (block[i] != ' ' && block[i] != 0) throw malformed(what);
        return v;
    }

    private IOException malformed(String what) {
        return new IOException("not a valid tar archive: the " + what + " field of header " + entries
                + " is not a number");
    }

    /// Bytes up to the first NUL, as UTF-8.
    private static String cString(byte[] b, int at, int len) {
        int end = at;
        while (end < at + len && b[end] != 0) end++;
        return new String(b, at, end - at, StandardCharsets.UTF_8);
    }

    private record Pax(String path, String link, long size) { }

    /// pax extended header records, `LENGTH KEY=VALUE\n` (POSIX.1-2001): `path`, `linkpath` and `size`.
    private Pax pax(byte[] data) throws IOException {
        String path = null;
        String link = null;
        long size = -1;
        int at = 0;
        while (at < data.length) {
            if (data[at] == 0) break;   // some writers pad the records with NULs
            int len = 0;
            int i = at;
            while (i < data.length && data[i] >= '0' && data[i] <= '9' && len < 1 << 24) len = len * 10 + (data[i++] - '0');
            if (i == at || i >= data.length || data[i] != ' ' || len <= i - at + 1 || at + len > data.length
                    || data[at + len - 1] != '\n') {
                throw new IOException("not a valid tar archive: malformed pax record in header " + entries);
            }
            int eq = i + 1;
            while (eq < at + len - 1 && data[eq] != '=') eq++;
            if (eq >= at + len - 1) throw new IOException("not a valid tar archive: malformed pax record in header "
                    + entries);
            String key = new String(data, i + 1, eq - i - 1, StandardCharsets.UTF_8);
            String value = new String(data, eq + 1, at + len - 1 - (eq + 1), StandardCharsets.UTF_8);
            switch (key) {
                case "path" -> path = value;
                case "linkpath" -> link = value;
                case "size" -> {
                    try {
                        size = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        size = -2;
                    }
                    if (size < 0) throw new IOException("not a valid tar archive: pax size '" + clip(value)
                            + "' in header " + entries);
                }
                default -> { }
            }
            at += len;
        }
        return new Pax(path, link, size);
    }

    /// A hostile value is never echoed in full.
    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
