package dev.p2pscope.core.topology.sysfs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/// The shortcuts DiskTree takes for speed (kept listings, a reused read buffer) answer as plain lookups would.
class DiskTreeTest {

    @TempDir
    Path root;

    @Test
    void readsAreCappedWhetherTheyFitTheReusedBufferOrNot() throws IOException {
        byte[] big = new byte[20_000];
        for (int i = 0; i < big.length; i++) big[i] = (byte) i;
        Files.write(root.resolve("big"), big);
        Files.write(root.resolve("small"), new byte[] {1, 2, 3});
        Files.write(root.resolve("exact"), Arrays.copyOf(big, 8192));
        DiskTree t = new DiskTree(root);
        assertThat(t.read("big", 100_000)).isEqualTo(big);
        assertThat(t.read("big", 10_000)).isEqualTo(Arrays.copyOf(big, 10_000));
        assertThat(t.read("big", 4096)).isEqualTo(Arrays.copyOf(big, 4096));
        assertThat(t.read("small", 4096)).containsExactly(1, 2, 3);
        assertThat(t.read("small", 2)).containsExactly(1, 2);
        assertThat(t.read("small", 0)).isEmpty();
        assertThat(t.read("exact", 8192)).isEqualTo(Arrays.copyOf(big, 8192));
        assertThat(t.read("exact", 9000)).isEqualTo(Arrays.copyOf(big, 8192));
    }

    @Test
    void absentNamesLinksAndDirectoriesAreToldApartThroughAKeptListing() throws IOException {
        Files.createDirectories(root.resolve("d/sub"));
        Files.writeString(root.resolve("d/file"), "x");
        Files.createSymbolicLink(root.resolve("d/link"), Path.of("sub"));
        Files.createSymbolicLink(root.resolve("d/out"), Path.of("../../etc"));
        DiskTree t = new DiskTree(root);
        assertThat(t.type("d/file")).isEqualTo(FileTree.Type.FILE);
        assertThat(t.type("d/sub")).isEqualTo(FileTree.Type.DIRECTORY);
        assertThat(t.type("d/link")).isEqualTo(FileTree.Type.LINK);
        assertThat(t.type("d/absent")).isEqualTo(FileTree.Type.MISSING);
        assertThat(t.type("d/file/below")).isEqualTo(FileTree.Type.MISSING);
        assertThat(t.readLink("d/link")).contains("sub");
        assertThat(t.readLink("d/file")).isEmpty();
        assertThat(t.readLink("d/absent")).isEmpty();
        assertThat(t.resolve("d/link")).contains("d/sub");
        assertThat(t.resolve("d/out")).isEmpty();
        assertThat(t.resolve("d/out/passwd")).isEmpty();
        assertThatThrownBy(() -> t.read("d/out/passwd", 10)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> t.read("d/absent", 10)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> t.read("d/sub", 10)).isInstanceOf(IOException.class);
    }

    @org.junit.jupiter.api.BeforeAll
    static void systemCallsThroughFfm() throws InterruptedException {
        // The tests run with native access for the core module, as ./p2pscope does: once it is ready (it is got
        // ready on a thread of its own), the FFM path is the one these tests run.
        assertThat(DiskTree.awaitNative()).isTrue();
    }

    @Test
    void readsInABatchRelativeToTheOpenDirectoryAnswerAsPlainReads() throws IOException {
        Files.createDirectories(root.resolve("a/b"));
        Files.createDirectories(root.resolve("c"));
        Files.writeString(root.resolve("a/b/vendor"), "0x8086\n");
        Files.writeString(root.resolve("c/vendor"), "0x15b3\n");
        Files.createSymbolicLink(root.resolve("a/b/driver"), Path.of("../../c"));
        DiskTree t = new DiskTree(root);
        String[] got = t.batch(() -> {
            try {
                return new String[] {new String(t.read("a/b/vendor", 100)), new String(t.read("c/vendor", 100)),
                        new String(t.read("a/b/vendor", 100)), t.readLink("a/b/driver").orElseThrow(),
                        t.batch(() -> t.text("a/b/driver/vendor", 100).orElseThrow())};
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(got).containsExactly("0x8086\n", "0x15b3\n", "0x8086\n", "../../c", "0x15b3");
        assertThat(t.read("a/b/vendor", 3)).containsExactly('0', 'x', '8');
        assertThat(t.list("a/b")).containsExactly("driver", "vendor");
    }

    @Test
    void namesInTheOpenBatchDirectoryAnswerAsOutsideABatch() throws Exception {
        // Once a batch has a directory open, look-ups of the names directly in it are answered from its listing
        // (no path walk): links in it must still be followed (or refused) as the resolver would.
        Files.createDirectories(root.resolve("f/sub"));
        Files.createDirectories(root.resolve("other"));
        Files.writeString(root.resolve("f/vendor"), "0x8086\n");
        Files.writeString(root.resolve("other/device"), "0x1234\n");
        Files.createSymbolicLink(root.resolve("f/device"), Path.of("../other/device"));
        Files.createSymbolicLink(root.resolve("f/class"), Path.of("../../etc/passwd"));
        Files.createSymbolicLink(root.resolve("f/loop"), Path.of("loop"));
        Files.createSymbolicLink(root.resolve("f/dangling"), Path.of("nowhere"));
        new ProcessBuilder("mkfifo", root.resolve("f/config").toString()).start().waitFor();
        String[] names = {"vendor", "device", "class", "loop", "dangling", "config", "sub", "absent", ".", "..",
                "sub/", "vendor/x"};
        java.util.function.Function<DiskTree, java.util.List<String>> ask = t -> {
            java.util.List<String> out = new java.util.ArrayList<>();
            for (String n : names) {
                String p = "f/" + n;
                String read;
                try {
                    read = new String(t.read(p, 100));
                } catch (IOException e) {
                    read = "refused";
                }
                out.add(n + ": " + t.type(p) + " " + t.resolve(p) + " " + t.readLink(p) + " " + t.text(p, 100)
                        + " " + t.exists(p) + " " + t.isDirectory(p) + " " + read);
            }
            return out;
        };
        java.util.List<String> plain = ask.apply(new DiskTree(root));
        DiskTree t = new DiskTree(root);
        java.util.List<String> batched = t.batch(() -> {
            assertThat(t.text("f/vendor", 100)).contains("0x8086");   // opens f/ for the batch
            return ask.apply(t);
        });
        assertThat(batched).isEqualTo(plain);
        assertThat(plain).contains("device: LINK Optional[other/device] Optional[../other/device] Optional[0x1234] "
                + "true false 0x1234\n", "class: LINK Optional.empty Optional[../../etc/passwd] Optional.empty false "
                + "false refused", "absent: MISSING Optional[f/absent] Optional.empty Optional.empty false false refused",
                "config: OTHER Optional[f/config] Optional.empty Optional.empty true false refused");
    }

    @Test
    void aFifoIsOtherAndIsNeverWaitedOn() throws Exception {
        Path fifo = root.resolve("config");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        DiskTree t = new DiskTree(root);
        assertThat(t.type("config")).isEqualTo(FileTree.Type.OTHER);
        assertThatThrownBy(() -> t.read("config", 10)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a regular file");
    }

    /// A text attribute whose first read comes back short with exactly one line is the whole attribute (no read
    /// to confirm the end); anything else is read on. Shown on a FIFO kept open for writing, where a read past the
    /// data fails at once (EAGAIN) instead of returning the end of file.
    @Test
    void aShortFirstReadOfOneLineIsTheWholeAttributeAndAnythingElseIsReadOn() throws Exception {
        Path fifo = root.resolve("fifo");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        byte[] top = root.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int dir = NativeFs.openDirectory(top, "");
        try (java.io.RandomAccessFile writer = new java.io.RandomAccessFile(fifo.toFile(), "rw")) {
            writer.write("0x1de5\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(new String(NativeFs.readLineAt(dir, "fifo", "fifo", 4096), java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("0x1de5\n");
            for (String notOneLine : new String[] {"0x1de5", "a\nb\n"}) {
                writer.write(notOneLine.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                assertThatThrownBy(() -> NativeFs.readLineAt(dir, "fifo", "fifo", 4096)).as(notOneLine)
                        .isInstanceOf(IOException.class);
            }
            writer.write("0x1de5\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThatThrownBy(() -> NativeFs.readAt(dir, "fifo", "fifo", 4096)).as("binary reads read on")
                    .isInstanceOf(IOException.class);
        } finally {
            NativeFs.close(dir);
        }
    }

    @Test
    void pathsAreStrippedOfLeadingTrailingAndRepeatedSlashes() {
        assertThat(LinkResolver.strip("a/b")).isEqualTo("a/b");
        assertThat(LinkResolver.strip("//a//b///c/")).isEqualTo("a/b/c");
        assertThat(LinkResolver.strip("///")).isEmpty();
        assertThat(LinkResolver.strip("")).isEmpty();
        assertThat(LinkResolver.strip("/a")).isEqualTo("a");
    }
}
