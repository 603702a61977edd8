package dev.p2pscope.core.topology.sysfs;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/// The lean tar reader reads what commons-compress writes in each of its long-name modes, and refuses broken or
/// oversized headers with a reason instead of misreading them.
class TarReaderTest {

    private static final String LONG = "sys/devices/pci0000:00/0000:00:01.0/0000:01:00.0/0000:02:03.0/0000:03:00.0/"
            + "0000:04:00.0/0000:05:00.0/config";

    private static byte[] tar(int longFileMode) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
            t.setLongFileMode(longFileMode);
            t.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
            t.putArchiveEntry(new TarArchiveEntry("sys/"));
            t.closeArchiveEntry();
            byte[] content = new byte[700];
            for (int i = 0; i < content.length; i++) content[i] = (byte) i;
            TarArchiveEntry f = new TarArchiveEntry(LONG);
            f.setSize(content.length);
            t.putArchiveEntry(f);
            t.write(content);
            t.closeArchiveEntry();
            TarArchiveEntry l = new TarArchiveEntry("sys/bus/pci/devices/0000:05:00.0", TarArchiveEntry.LF_SYMLINK);
            l.setLinkName("../../../" + LONG.substring(4, LONG.length() - "/config".length()));
            t.putArchiveEntry(l);
            t.closeArchiveEntry();
            TarArchiveEntry small = new TarArchiveEntry("sys/vendor");
            small.setSize(7);
            t.putArchiveEntry(small);
            t.write("0x8086\n".getBytes(StandardCharsets.US_ASCII));
            t.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private record Read(String name, String link, char type, byte[] content) { }

    private static List<Read> readAll(InputStream in) throws IOException {
        TarReader r = new TarReader(in);
        List<Read> out = new ArrayList<>();
        byte[] buf = new byte[4096];
        for (TarReader.Header h; (h = r.next()) != null; ) {
            int n = h.isFile() ? r.content(buf, buf.length) : 0;
            out.add(new Read(h.name(), h.link(), h.type(), Arrays.copyOf(buf, n)));
        }
        return out;
    }

    @Test
    void readsGnuAndPaxLongNamesLinksDirectoriesAndContent() throws IOException {
        for (int mode : new int[] {TarArchiveOutputStream.LONGFILE_GNU, TarArchiveOutputStream.LONGFILE_POSIX}) {
            List<Read> all = readAll(new ByteArrayInputStream(tar(mode)));
            assertThat(all).extracting(Read::name).containsExactly("sys/", LONG, "sys/bus/pci/devices/0000:05:00.0",
                    "sys/vendor");
            assertThat(all.get(1).content()).hasSize(700);
            assertThat(all.get(1).content()[699]).isEqualTo((byte) 699);
            assertThat(all.get(2).type()).isEqualTo('2');
            assertThat(all.get(2).link()).startsWith("../../../devices/pci0000:00/").endsWith("0000:05:00.0");
            assertThat(new String(all.get(3).content(), StandardCharsets.US_ASCII)).isEqualTo("0x8086\n");
        }
    }

    @Test
    void aContentReadIsCappedAndTheRestIsSkipped() throws IOException {
        TarReader r = new TarReader(new ByteArrayInputStream(tar(TarArchiveOutputStream.LONGFILE_POSIX)));
        r.next();
        assertThat(r.next().size()).isEqualTo(700);
        byte[] buf = new byte[100];
        assertThat(r.content(buf, 100)).isEqualTo(100);
        assertThat(r.next().name()).isEqualTo("sys/bus/pci/devices/0000:05:00.0");
        assertThat(r.next().name()).isEqualTo("sys/vendor");
        assertThat(r.next()).isNull();
    }

    @Test
    void aWrongChecksumIsRefusedNotMisread() throws IOException {
        byte[] t = tar(TarArchiveOutputStream.LONGFILE_GNU);
        t[5] ^= 0x20;   // a byte of the first header's name
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(t))).isInstanceOf(IOException.class)
                .hasMessageContaining("checksum of header 1");
    }

    @Test
    void anArchiveCutInsideAnEntryIsTruncated() throws IOException {
        byte[] t = tar(TarArchiveOutputStream.LONGFILE_GNU);
        byte[] cut = Arrays.copyOf(t, 512 * 4 + 100);   // inside the long-named file's content
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(cut))).isInstanceOf(EOFException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void longNamesAndPaxRecordsOfOneEntryAreBoundedBeforeTheyAreRead() {
        byte[] header = HostileHeader.of("././@LongLink", 'L', 2L << 20);
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(header))).isInstanceOf(IOException.class)
                .hasMessageContaining("larger than 1 MiB");
    }

    @Test
    void aMalformedPaxRecordIsRefused() throws IOException {
        byte[] records = "99 path=x\n".getBytes(StandardCharsets.US_ASCII);   // says 99 bytes, has 10
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(HostileHeader.of("PaxHeaders/x", 'x', records.length));
        b.write(Arrays.copyOf(records, 512));
        b.write(HostileHeader.of("x", '0', 0));
        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(b.toByteArray()))).isInstanceOf(IOException.class)
                .hasMessageContaining("malformed pax record");
    }

    @Test
    void decompressingAheadGivesTheSameBytesAndTheSourcesFailureWhereItHappened() throws IOException {
        byte[] data = new byte[ArchiveTree.Ahead.CHUNK * 20 + 123];
        new java.util.Random(7).nextBytes(data);
        try (ArchiveTree.Ahead a = new ArchiveTree.Ahead(new ByteArrayInputStream(data))) {
            assertThat(a.readAllBytes()).isEqualTo(data);
        }
        InputStream failing = new InputStream() {
            int left = ArchiveTree.Ahead.CHUNK * 3;

            @Override
            public int read() throws IOException {
                if (left-- > 0) return 1;
                throw new EOFException("cut");
            }
        };
        try (ArchiveTree.Ahead a = new ArchiveTree.Ahead(failing)) {
            assertThat(a.readNBytes(ArchiveTree.Ahead.CHUNK * 3)).hasSize(ArchiveTree.Ahead.CHUNK * 3);
            assertThatThrownBy(a::read).isInstanceOf(EOFException.class).hasMessage("cut");
        }
    }

    @Test
    void aGzippedSnapshotLoadsAsBefore() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream o = new GZIPOutputStream(gz)) {
            o.write(tar(TarArchiveOutputStream.LONGFILE_POSIX));
        }
        ArchiveTree t = ArchiveTree.read(new ByteArrayInputStream(gz.toByteArray()), "test.tar.gz");
        assertThat(t.type(LONG)).isEqualTo(FileTree.Type.FILE);
        assertThat(t.read(LONG, 4096)).hasSize(700);
        assertThat(t.resolve("sys/bus/pci/devices/0000:05:00.0/config")).contains(LONG);
        assertThat(t.text("sys/vendor", 100)).contains("0x8086");
    }

    /// Entries of one directory need not come together: each lands in its own directory whatever came before it,
    /// and a file's trailing zeros are dropped whatever its length (the reader trims them 64 bytes at a time).
    /// A tar of `files` (name, then content) in that order, then `links` (name, then target).
    private static byte[] tar(Object[][] files, String[][] links) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
            for (Object[] f : files) {
                byte[] data = f[1] instanceof byte[] b ? b : ((String) f[1]).getBytes(StandardCharsets.US_ASCII);
                TarArchiveEntry e = new TarArchiveEntry((String) f[0]);
                e.setSize(data.length);
                t.putArchiveEntry(e);
                t.write(data);
                t.closeArchiveEntry();
            }
            for (String[] l : links) {
                TarArchiveEntry e = new TarArchiveEntry(l[0], TarArchiveEntry.LF_SYMLINK);
                e.setLinkName(l[1]);
                t.putArchiveEntry(e);
                t.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void entriesLandInTheirDirectoriesInAnyOrder() throws IOException {
        byte[] config = new byte[4096];
        config[0] = 0x34;
        config[200] = 7;
        byte[] archive = tar(new Object[][] {{"a/x", "a/x"}, {"a/b/y", "a/b/y"}, {"a/z", "a/z"}, {"c/w", "c/w"},
            {"a/b/v", "a/b/v"}, {"top", "top"}, {"a/b/config", config}}, new String[0][]);
        ArchiveTree t = ArchiveTree.read(new ByteArrayInputStream(archive), "order.tar");
        assertThat(t.list("")).containsExactly("a", "c", "top");
        assertThat(t.list("a")).containsExactly("b", "x", "z");
        assertThat(t.list("a/b")).containsExactly("config", "v", "y");
        assertThat(t.list("c")).containsExactly("w");
        assertThat(t.text("a/z", 10)).contains("a/z");
        byte[] read = t.read("a/b/config", 4096);
        assertThat(read).hasSize(4096);
        assertThat(read[0]).isEqualTo((byte) 0x34);
        assertThat(read[200]).isEqualTo((byte) 7);
        assertThat(Arrays.copyOfRange(read, 201, 4096)).containsOnly((byte) 0);
    }

    /// Inside a batch on a directory the link walk proved, a snapshot answers every read and text as outside one:
    /// files, a link in and one out of the tree, a subdirectory, an absent name, `.` and `..`.
    @Test
    void readsInABatchAnswerAsOutsideOne() throws IOException {
        byte[] archive = tar(new Object[][] {{"sys/devices/p/f/vendor", "0x1de5\n"}, {"sys/devices/p/f/config", "\1\2"},
            {"sys/devices/p/f/sub/x", "x"}, {"sys/devices/other", "o\n"}},
                new String[][] {{"sys/bus/f", "../devices/p/f"}, {"sys/devices/p/f/in", "../../other"},
                    {"sys/devices/p/f/out", "../../../../etc/passwd"}});
        ArchiveTree t = ArchiveTree.read(new ByteArrayInputStream(archive), "batch.tar");
        assertThat(t.resolve("sys/bus/f")).contains("sys/devices/p/f");   // the walk proves the directory
        String dir = "sys/devices/p/f";
        java.util.List<String> names = java.util.List.of("vendor", "config", "sub", "sub/x", "in", "out", "absent",
                ".", "..", "");
        java.util.function.Supplier<java.util.List<String>> answers = () -> names.stream().map(n -> {
            String p = dir + "/" + n;
            String read;
            try {
                read = Arrays.toString(t.read(p, 100));
            } catch (IOException e) {
                read = "refused";
            }
            return n + ": " + t.text(p, 100) + " " + read;
        }).toList();
        java.util.List<String> plain = answers.get();
        assertThat(t.batch(dir, answers)).isEqualTo(plain);
        assertThat(plain).contains("vendor: Optional[0x1de5] [48, 120, 49, 100, 101, 53, 10]", "in: Optional[o] [111, 10]",
                "out: Optional.empty refused", "absent: Optional.empty refused");
    }

    /// A ustar header written by hand, for what commons-compress will not write.
    private static final class HostileHeader {
        static byte[] of(String name, char type, long size) {
            byte[] h = new byte[512];
            put(h, 0, name);
            put(h, 100, "0000644");
            put(h, 124, String.format("%011o", size));
            h[156] = (byte) type;
            put(h, 257, "ustar");
            put(h, 263, "00");
            Arrays.fill(h, 148, 156, (byte) ' ');
            int sum = 0;
            for (byte b : h) sum += b & 0xff;
            put(h, 148, String.format("%06o", sum));
            h[154] = 0;
            return h;
        }

        static void put(byte[] h, int at, String s) {
            byte[] b = s.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(b, 0, h, at, b.length);
        }
    }
}
