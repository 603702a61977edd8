package dev.p2pscope.core.live;

import dev.p2pscope.core.engine.ProviderChoice;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.samples.Samples;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/// Real O_DIRECT copies through emulated and host buffers between files, and every safety rail.
@Tag("live")   // O_DIRECT copies on this machine's filesystem
class LiveCopyTest {

    @TempDir Path dir;

    /// O_DIRECT needs a filesystem that supports it (tmpfs does not): skip with a message where it is refused.
    void assumeODirect() {
        try {
            int fd = Libc.open(dir.resolve("probe").toString(), Libc.O_RDWR | Libc.O_CREAT | Libc.O_DIRECT, 0600);
            Libc.close(fd);
        } catch (Libc.ErrnoException e) {
            Assumptions.abort("the test filesystem refuses O_DIRECT (" + e.getMessage() + ")");
        }
    }

    Path file(String name, int bytes) throws IOException {
        byte[] b = new byte[bytes];
        new Random(1).nextBytes(b);
        Path p = dir.resolve(name);
        Files.write(p, b);
        return p;
    }

    CopyOptions options(Path src, Path dst, boolean check) {
        return new CopyOptions(src, dst, 65536, 32, 4, 0, -1, check, 42, false, false, false, List.of());
    }

    @Test
    void anEmulatedCopyWithCheckMatchesAndMovesEveryByte() throws Exception {
        assumeODirect();
        Path src = file("src", 2 << 20);
        Path dst = dir.resolve("dst");
        CopyOptions o = options(src, dst, true);
        try (DmaBuffer b = DmaBuffer.emulated(null, o.bufferSize())) {
            CopyResult r = new CopyEngine(o, new Safety(dir)).run(b, null);
            assertThat(r.bytesRead()).isEqualTo(o.total());
            assertThat(r.bytesWritten()).isEqualTo(o.total());
            assertThat(r.check().match()).isTrue();
            assertThat(r.check().mismatchedChunks()).isZero();
            assertThat(r.check().chunks()).isEqualTo(32);
        }
        assertThat(Files.readAllBytes(dst)).isEqualTo(Files.readAllBytes(src));
    }

    @Test
    void aHostBufferCopyIsTheControlRunAndAFileBackedEmulationWorksToo() throws Exception {
        assumeODirect();
        Path src = file("src", 2 << 20);
        for (DmaBuffer b : new DmaBuffer[] {DmaBuffer.host(4 * 65536), DmaBuffer.emulated(dir.resolve("pool"), 4 * 65536)}) {
            Path dst = dir.resolve("dst-" + b.kind());
            try (b) {
                new CopyEngine(options(src, dst, false), new Safety(dir)).run(b, null);
            }
            assertThat(Files.readAllBytes(dst)).isEqualTo(Files.readAllBytes(src));
        }
    }

    @Test
    void nothingIsWrittenOutsideTheRange() throws Exception {
        assumeODirect();
        Path src = file("src", 1 << 20);
        Path dst = file("dst", 1 << 20);
        byte[] before = Files.readAllBytes(dst);
        CopyOptions o = new CopyOptions(src, dst, 4096, 16, 2, 65536, -1, false, 1, false, false, false, List.of());
        try (DmaBuffer b = DmaBuffer.host(o.bufferSize())) {
            new CopyEngine(o, new Safety(dir)).run(b, null);
        }
        byte[] after = Files.readAllBytes(dst);
        byte[] s = Files.readAllBytes(src);
        for (int i = 0; i < after.length; i++) {
            boolean inside = i >= 65536 && i < 65536 + 16 * 4096;
            assertThat(after[i]).as("byte %d", i).isEqualTo(inside ? s[i] : before[i]);
        }
    }

    @Test
    void aSourceTooSmallIsRefusedBeforeAnythingIsWritten() throws Exception {
        assumeODirect();
        Path src = file("small", 4096);
        Path dst = file("dst", 4096);
        byte[] before = Files.readAllBytes(dst);
        CopyOptions o = options(src, dst, false);
        try (DmaBuffer b = DmaBuffer.host(o.bufferSize())) {
            CopyEngine.CopyException e = catchThrowableOfType(CopyEngine.CopyException.class,
                    () -> new CopyEngine(o, new Safety(dir)).run(b, null));
            assertThat(e.getMessage()).contains("holds 4096 bytes").contains("--overlap");
        }
        assertThat(Files.readAllBytes(dst)).isEqualTo(before);
        // A destination that does not exist yet is not created: the sizes are checked before anything is opened.
        Path fresh = dir.resolve("fresh");
        CopyEngine engine = new CopyEngine(options(src, fresh, true), new Safety(dir));
        assertThat(catchThrowableOfType(CopyEngine.CopyException.class, engine::extent)).hasMessageContaining("holds 4096");
        try (DmaBuffer b = DmaBuffer.host(o.bufferSize())) {
            catchThrowableOfType(CopyEngine.CopyException.class, () -> engine.run(b, null));
        }
        assertThat(fresh).doesNotExist();
    }

    @Test
    void checkNeverWritesTheSource() throws Exception {
        assumeODirect();
        Path src = file("precious.txt", 4 << 20);
        byte[] before = Files.readAllBytes(src);
        Path dst = dir.resolve("dst");
        CopyOptions o = new CopyOptions(src, dst, 65536, 16, 2, 65536, -1, true, 7, false, false, false, List.of());
        try (DmaBuffer b = DmaBuffer.emulated(null, o.bufferSize())) {
            CopyResult r = new CopyEngine(o, new Safety(dir)).run(b, null);
            assertThat(r.check().match()).isTrue();
            assertThat(r.check().chunks()).isEqualTo(16);
        }
        assertThat(Files.readAllBytes(src)).isEqualTo(before);
        byte[] out = Files.readAllBytes(dst);
        assertThat(out).hasSize(65536 + 16 * 65536);
        assertThat(java.util.Arrays.copyOfRange(out, 65536, out.length))
                .isEqualTo(java.util.Arrays.copyOfRange(before, 65536, 65536 + 16 * 65536));
    }

    @Test
    void aCheckFindsADestinationThatDiffersFromTheSource() throws Exception {
        assumeODirect();
        Path src = file("src", 1 << 20);
        Path dst = dir.resolve("dst");
        CopyOptions o = new CopyOptions(src, dst, 65536, 16, 1, 0, -1, true, 0, false, false, false, List.of());
        try (DmaBuffer b = DmaBuffer.host(o.bufferSize())) {
            // The last progress report comes after the copy and before the check: spoil chunk 5 of the destination.
            CopyResult r = new CopyEngine(o, new Safety(dir)).run(b, p -> {
                if (p.bytesMoved() == o.total()) {
                    try (var ch = java.nio.channels.FileChannel.open(dst, java.nio.file.StandardOpenOption.WRITE)) {
                        ch.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), 5 * 65536 + 100);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            assertThat(r.check().match()).isFalse();
            assertThat(r.check().mismatchedChunks()).isEqualTo(1);
            assertThat(r.check().chunks()).isEqualTo(16);
        }
    }

    @Test
    void overlapWithCheckWrapsReadsAndWritesAlikeAndNoFileGrows() throws Exception {
        assumeODirect();
        Path src = file("src", 4 << 20);
        byte[] before = Files.readAllBytes(src);
        Path dst = dir.resolve("dst");
        // 8 chunks of 1 MiB through a 4 MiB source: chunk i reads and writes slot i mod 4.
        for (int threads : new int[] {1, 2, 4}) {
            CopyOptions o = new CopyOptions(src, dst, 1 << 20, 8, threads, 0, -1, true, 1, false, false, true, List.of());
            try (DmaBuffer b = DmaBuffer.emulated(null, o.bufferSize())) {
                CopyResult r = new CopyEngine(o, new Safety(dir)).run(b, null);
                assertThat(r.check().match()).as("threads %d", threads).isTrue();
                assertThat(r.check().chunks()).isEqualTo(4);
                assertThat(r.bytesWritten()).isEqualTo(8L << 20);
            }
            assertThat(Files.size(src)).isEqualTo(4 << 20);
            assertThat(Files.size(dst)).isEqualTo(4 << 20);
            assertThat(Files.readAllBytes(src)).isEqualTo(before);
            assertThat(Files.readAllBytes(dst)).isEqualTo(before);
        }
    }

    @Test
    void theLastWriterOfEachDestinationSlotIsWhatTheCheckExpects() {
        Path p = dir.resolve("x");
        // 8 chunks, source wraps after 4 slots, destination after 3 (a smaller device), 2 threads of 4 chunks each.
        CopyOptions o = new CopyOptions(p, p, 4096, 8, 2, 0, -1, true, 1, false, false, true, List.of());
        CopyEngine.Extent e = new CopyEngine.Extent(4 * 4096, 3 * 4096, 4 * 4096, 3 * 4096);
        long[][] w = new CopyEngine(o, new Safety(dir)).lastWriters(e);
        // Thread 0 writes chunks 0..3 to slots 0,1,2,0; thread 1 writes 4..7 to slots 1,2,0,1.
        assertThat(w).hasDimensions(3, 2);
        assertThat(w[0]).containsExactly(3, 6);
        assertThat(w[1]).containsExactly(1, 7);
        assertThat(w[2]).containsExactly(2, 5);
        // Without --overlap every chunk has its own slot and one writer.
        CopyOptions plain = new CopyOptions(p, p, 4096, 8, 2, 0, -1, true, 1, false, false, false, List.of());
        long[][] one = new CopyEngine(plain, new Safety(dir)).lastWriters(
                new CopyEngine.Extent(8 * 4096, -1, Long.MAX_VALUE, Long.MAX_VALUE));
        assertThat(one).hasNumberOfRows(8);
        for (int i = 0; i < 8; i++) assertThat(one[i]).containsExactly(i);
    }

    @Test
    void checkWithoutTheReadOrTheWriteIsAUsageError() {
        Path p = dir.resolve("x");
        assertThatThrownBy(() -> new CopyOptions(p, p, 4096, 8, 1, 0, -1, true, 1, true, false, false, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--check").hasMessageContaining("--skip-read");
        assertThatThrownBy(() -> new CopyOptions(p, p, 4096, 8, 1, 0, -1, true, 1, false, true, false, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCopyThatFailsBeforeWritingRemovesTheDestinationItCreatedAndNamesTheChunk() throws Exception {
        assumeODirect();
        Path src = file("src", 1 << 20);
        Path dst = dir.resolve("dst");
        Path pool = dir.resolve("pool");
        CopyOptions o = new CopyOptions(src, dst, 65536, 16, 1, 0, -1, false, 1, false, false, false, List.of());
        try (DmaBuffer b = DmaBuffer.emulated(pool, o.bufferSize())) {
            // The buffer's backing goes away, as when a p2pmem provider is unbound: the kernel cannot DMA into it.
            try (var ch = java.nio.channels.FileChannel.open(pool, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            CopyEngine.CopyException e = catchThrowableOfType(CopyEngine.CopyException.class,
                    () -> new CopyEngine(o, new Safety(dir)).run(b, null));
            assertThat(e.getMessage()).contains("chunk 0 (pread from " + src + " at byte offset 0) failed")
                    .contains("removed");
        }
        assertThat(dst).doesNotExist();
    }

    /// A copy that fails midway, after writing chunks into a file it created, removes that file: no half-written
    /// file of its own is left behind.
    @Test
    void aCopyThatFailsAfterWritingRemovesThePartialFileItCreated() throws Exception {
        assumeODirect();
        Path src = file("src", 1 << 20);
        Path dst = dir.resolve("dst");
        CopyOptions o = new CopyOptions(src, dst, 65536, 16, 1, 0, -1, false, 1, false, false, false, List.of());
        CopyEngine engine = new CopyEngine(o, new Safety(dir));
        long[] writtenBefore = {-1};
        engine.hook = (chunk, reading) -> {
            if (chunk == 5 && !reading) {
                writtenBefore[0] = Files.size(dst);   // what the first five chunks put there
                throw new IOException("injected: the disk went away");
            }
        };
        try (DmaBuffer b = DmaBuffer.host(o.bufferSize())) {
            CopyEngine.CopyException e = catchThrowableOfType(CopyEngine.CopyException.class, () -> engine.run(b, null));
            assertThat(e.getMessage()).contains("chunk 5 (pwrite to " + dst + " at byte offset 327680) failed")
                    .contains("injected").contains("the 327680 bytes written before the failure")
                    .contains(dst + " (created by this copy) was removed");
        }
        assertThat(writtenBefore[0]).as("the copy had written into the file").isEqualTo(5 * 65536);
        assertThat(dst).doesNotExist();
    }

    /// The same failure with a destination that was there before: it is kept (never removed or truncated), and the
    /// message says what was written into it.
    @Test
    void aCopyThatFailsAfterWritingKeepsADestinationThatWasThereBefore() throws Exception {
        assumeODirect();
        Path src = file("src", 1 << 20);
        Path dst = dir.resolve("dst");
        byte[] was = new byte[2 << 20];
        java.util.Arrays.fill(was, (byte) 0x5a);
        Files.write(dst, was);
        CopyOptions o = new CopyOptions(src, dst, 65536, 16, 1, 0, -1, false, 1, false, false, false, List.of());
        CopyEngine engine = new CopyEngine(o, new Safety(dir));
        engine.hook = (chunk, reading) -> {
            if (chunk == 5 && !reading) throw new IOException("injected: the disk went away");
        };
        try (DmaBuffer b = DmaBuffer.host(o.bufferSize())) {
            CopyEngine.CopyException e = catchThrowableOfType(CopyEngine.CopyException.class, () -> engine.run(b, null));
            assertThat(e.getMessage()).contains(dst + " (there before this copy) holds the 327680 bytes written "
                    + "before the failure").doesNotContain("removed");
        }
        byte[] now = Files.readAllBytes(dst);
        assertThat(now).hasSize(was.length);
        assertThat(java.util.Arrays.copyOfRange(now, 0, 5 * 65536))
                .isEqualTo(java.util.Arrays.copyOfRange(Files.readAllBytes(src), 0, 5 * 65536));
        assertThat(java.util.Arrays.copyOfRange(now, 5 * 65536, now.length))
                .isEqualTo(java.util.Arrays.copyOfRange(was, 5 * 65536, was.length));
    }

    @Test
    void mountedHeldSwapAndUnnamedWriteDevicesAreRefused() throws Exception {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("proc/mounts"), "/dev/sdb1 /data ext4 rw 0 0\n");
        Files.writeString(root.resolve("proc/swaps"), "Filename Type Size Used Priority\n/dev/sdc partition 1 0 -2\n");
        Files.createDirectories(root.resolve("sys/class/block/sdb/sdb1"));
        Files.createDirectories(root.resolve("sys/class/block/sdb1"));
        Files.createDirectories(root.resolve("sys/class/block/sdd/holders/md0"));
        Files.createDirectories(root.resolve("sys/class/block/sde/holders"));
        Safety s = new Safety(root);
        assertThat(s.refusals(Path.of("/dev/sdb"), false, List.of())).containsExactly("/dev/sdb1 is mounted on /data");
        assertThat(s.refusals(Path.of("/dev/sdc"), false, List.of())).containsExactly("/dev/sdc is in use as swap");
        assertThat(s.refusals(Path.of("/dev/sdd"), false, List.of()))
                .containsExactly("/dev/sdd is held by md0 (RAID, LVM or device-mapper)");
        assertThat(s.refusals(Path.of("/dev/sde"), false, List.of())).isEmpty();
        assertThat(s.refusals(Path.of("/dev/sde"), true, List.of(Path.of("/dev/sdf"))))
                .containsExactly("writing to block device /dev/sde needs --allow-write-device /dev/sde (it overwrites "
                        + "the data there)");
        assertThat(s.refusals(Path.of("/dev/sde"), true, List.of(Path.of("/dev/sde")))).isEmpty();
    }

    @Test
    void theSameFileAsSourceAndDestinationIsRefused() throws Exception {
        Path f = file("same", 1 << 20);
        assertThat(new CopyEngine(options(f, f, false), new Safety(dir)).refusals())
                .contains("source and destination are the same file");
    }

    @Test
    void aPreflightOnANotSupportedPairRefuses() throws Exception {
        Topology t = Samples.load("qemu-q35-switch-cmb").topology();
        Preflight.Result ok = Preflight.check(t, PciAddress.parse("0000:03:00.0"), PciAddress.parse("0000:04:00.0"),
                PciAddress.parse("0000:03:00.0"));
        assertThat(ok.ok()).isTrue();
        assertThat(ok.verdicts()).hasSize(2);
        Preflight.Result refused = Preflight.check(t, PciAddress.parse("0000:05:00.0"), PciAddress.parse("0000:04:00.0"),
                PciAddress.parse("0000:03:00.0"));
        assertThat(refused.ok()).isFalse();
        assertThat(refused.refusals()).hasSize(2).allSatisfy(r -> assertThat(r).contains("NOT_SUPPORTED"));
        assertThat(Preflight.check(t, null, (PciAddress) null, null).notes()).first().asString().contains("no peer-to-peer DMA");
    }

    @Test
    void autoPicksTheProviderTheKernelWouldForTheSourceAndDestination() throws Exception {
        Topology t = Samples.load("qemu-q35-switch-cmb").topology();
        // Copying 04:00.0 to 03:00.0: both sit on the switch, 05:00.0 is across the unlisted host bridge. The two
        // on the switch tie at distance 4 (0 + 4), and the seeded tie-break makes the choice repeatable.
        ProviderChoice c = Preflight.autoProvider(t, PciAddress.parse("0000:04:00.0"), PciAddress.parse("0000:03:00.0"));
        assertThat(c.bestDistance()).isEqualTo(4);
        assertThat(c.closest()).containsExactlyInAnyOrder(PciAddress.parse("0000:03:00.0"), PciAddress.parse("0000:04:00.0"));
        assertThat(c.chosen()).isIn(c.closest());
        assertThat(Preflight.autoProvider(t, PciAddress.parse("0000:04:00.0"), PciAddress.parse("0000:03:00.0")).chosen())
                .isEqualTo(c.chosen());
        // A function outside the tree is not a client (the copy's file lives on some other device).
        ProviderChoice one = Preflight.autoProvider(t, PciAddress.parse("0000:05:00.0"), PciAddress.parse("0001:00:00.0"));
        assertThat(one.chosen()).isEqualTo(PciAddress.parse("0000:05:00.0"));
        // No client at all: the kernel's distance_many is -1 for zero clients, so nothing is chosen, and we say why.
        ProviderChoice none = Preflight.autoProvider(t, null, PciAddress.parse("0001:00:00.0"));
        assertThat(none.chosen()).isNull();
        assertThat(Preflight.autoRefusal(t, null, PciAddress.parse("0001:00:00.0"), none)).contains("no client");
    }

    @Test
    void anErrnoIsExplainedWithTheP2pdmaRules() {
        Libc.ErrnoException e = new Libc.ErrnoException("pread", Libc.EREMOTEIO);
        assertThat(CopyEngine.explain(e, null)).contains("FOLL_PCI_P2PDMA").contains("NOT_SUPPORTED");
    }
}
