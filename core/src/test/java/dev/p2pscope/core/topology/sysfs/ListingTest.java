package dev.p2pscope.core.topology.sysfs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/// A kept listing answers as the directory does: every name with its type (sorted the way [FileTree#list]
/// promises, whatever order the file system gave), nothing else, and types learnt later.
class ListingTest {

    static final FileTree.Type[] TYPES = {FileTree.Type.FILE, FileTree.Type.DIRECTORY, FileTree.Type.LINK,
        FileTree.Type.OTHER, null};

    @Test
    void answersEveryNameWithItsTypeAndNoOtherAtEverySize() {
        Random r = new Random(7);
        for (int size : new int[] {0, 1, 2, 14, 64, 65, 300, 5000}) {
            for (boolean oneType : new boolean[] {false, true}) {
                Listing.Builder b = new Listing.Builder();
                List<String> names = new ArrayList<>();
                java.util.Map<String, FileTree.Type> types = new java.util.HashMap<>();
                for (int i = 0; i < size; i++) {
                    String name = "n" + Integer.toString(r.nextInt(1 << 20), 36) + "_" + i;
                    FileTree.Type t = oneType ? FileTree.Type.LINK : TYPES[r.nextInt(TYPES.length)];
                    b.add(name, t);
                    names.add(name);
                    types.put(name, t);
                }
                Listing l = b.build();
                names.sort(null);
                assertThat(l.names()).as("size %d", size).containsExactlyElementsOf(names);
                assertThat(l.size()).isEqualTo(size);
                for (String n : names) {
                    FileTree.Type want = types.get(n) == null ? DiskTree.UNKNOWN_TYPE : types.get(n);
                    assertThat(l.type(n)).as(n).isEqualTo(want);
                }
                assertThat(l.type("absent")).isNull();
                assertThat(l.type("n")).isNull();
            }
        }
    }

    @Test
    void aNameAddedTwiceIsListedOnceWithItsLastType() {
        for (int size : new int[] {3, 80}) {   // both sort paths
            Listing.Builder b = new Listing.Builder();
            b.add("\uFFFD", FileTree.Type.FILE);
            for (int i = 0; i < size; i++) b.add("n" + i, FileTree.Type.DIRECTORY);
            b.add("\uFFFD", FileTree.Type.LINK);
            Listing l = b.build();
            assertThat(l.names()).doesNotHaveDuplicates().hasSize(size + 1);
            assertThat(l.type("\uFFFD")).isEqualTo(FileTree.Type.LINK);
        }
    }

    @Test
    void namesThatAreNotUtf8AreListedOnceOnDisk(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // \xff and \xfe both decode to U+FFFD
        new ProcessBuilder("bash", "-c", "mkdir d && touch d/$'\\xff' d/$'\\xfe' d/ok").directory(dir.toFile())
                .start().waitFor();
        assertThat(DiskTree.awaitNative()).isTrue();
        assertThat(new DiskTree(dir).list("d")).doesNotHaveDuplicates().contains("ok");
    }

    @Test
    void aTypeLearntLaterIsKeptForThatNameOnly() {
        Listing.Builder b = new Listing.Builder();
        b.add("vendor", null);
        b.add("device", null);
        Listing l = b.build();
        l.learn("vendor", FileTree.Type.FILE);
        l.learn("absent", FileTree.Type.DIRECTORY);
        assertThat(l.type("vendor")).isEqualTo(FileTree.Type.FILE);
        assertThat(l.type("device")).isEqualTo(DiskTree.UNKNOWN_TYPE);
        assertThat(l.type("absent")).isNull();
    }

    @Test
    void commonSysfsNamesAreOneSharedStringAndOthersAreDecodedAsUtf8() {
        byte[] config = "config".getBytes(StandardCharsets.US_ASCII);
        assertThat(Listing.name(config, config.length)).isSameAs(Listing.name(config.clone(), config.length))
                .isEqualTo("config");
        byte[] buf = "vendorXYZ".getBytes(StandardCharsets.US_ASCII);
        assertThat(Listing.name(buf, 6)).isEqualTo("vendor");
        byte[] other = "0000:03:00.0".getBytes(StandardCharsets.US_ASCII);
        assertThat(Listing.name(other, other.length)).isEqualTo("0000:03:00.0");
        byte[] utf8 = "café".getBytes(StandardCharsets.UTF_8);
        assertThat(Listing.name(utf8, utf8.length)).isEqualTo("café");
        byte[] prefix = "confi".getBytes(StandardCharsets.US_ASCII);
        assertThat(Listing.name(prefix, prefix.length)).isEqualTo("confi");
    }
}
