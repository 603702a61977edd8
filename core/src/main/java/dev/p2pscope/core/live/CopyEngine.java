package dev.p2pscope.core.live;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/// Runs a copy the way `p2pmem-test` does: O_DIRECT `pread` from the source into a buffer slice, then `pwrite`
/// from the slice to the destination, by chunks, one thread per slice. The buffer (p2pmem, host or emulated) is
/// never touched by the JVM during the copy: the kernel DMAs into and out of it.
///
/// Users' data first: the source is only ever opened read-only, the destination is written only inside the copy's
/// range, sizes are checked before anything is opened for writing, and a destination file this copy created is
/// removed again when the copy fails, whether or not it wrote into it (a destination that was there before is
/// never removed).
public final class CopyEngine {

    /// A live view of the copy, about once a second.
    public record Progress(long bytesMoved, long totalBytes, double seconds, double lastSecondMBs) { }

    /// The sizes a copy works with, found before anything is opened for writing.
    ///
    /// @param sourceSize      bytes in the source
    /// @param destinationSize bytes in a destination block device, or -1 for a file (which grows as written)
    /// @param wrapSource      with `--overlap`, the span of the source the chunks wrap inside; else [Long#MAX_VALUE]
    /// @param wrapDestination with `--overlap`, the span of the destination the chunks wrap inside
    public record Extent(long sourceSize, long destinationSize, long wrapSource, long wrapDestination) { }

    /// Called before each chunk's `pread` and `pwrite`: a test makes it throw to fail a copy midway.
    interface ChunkHook {
        void before(long chunk, boolean reading) throws IOException;
    }

    private final CopyOptions options;
    private final Safety safety;
    private final AtomicBoolean stop = new AtomicBoolean();
    ChunkHook hook = (chunk, reading) -> { };

    public CopyEngine(CopyOptions options, Safety safety) {
        this.options = options;
        this.safety = safety;
    }

    public CopyOptions options() {
        return options;
    }

    /// Asks a running copy to stop after the chunks in flight.
    public void stop() {
        stop.set(true);
    }

    /// Everything that would make this copy unsafe, before anything is opened (empty when it may run).
    public List<String> refusals() throws IOException {
        List<String> out = new ArrayList<>();
        // The source is never written, not even for --check: reading a device needs no permission beyond the rails.
        if (DeviceMap.isBlockDevice(options.source())) {
            out.addAll(safety.refusals(options.source(), false, options.allowWriteDevices()));
        } else if (!Files.isRegularFile(options.source())) {
            out.add(options.source() + " is neither a regular file nor a block device");
        }
        if (DeviceMap.isBlockDevice(options.destination())) {
            out.addAll(safety.refusals(options.destination(), !options.skipWrite(), options.allowWriteDevices()));
        } else if (Files.exists(options.destination()) && !Files.isRegularFile(options.destination())) {
            out.add(options.destination() + " is neither a regular file nor a block device");
        } else if (!options.skipWrite() && !Files.exists(options.destination())) {
            Path parent = options.destination().toAbsolutePath().getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                out.add("the directory of " + options.destination() + " does not exist");
            }
        }
        if (same(options.source(), options.destination()) && !options.skipRead() && !options.skipWrite()) {
            out.add("source and destination are the same file");
        }
        return out;
    }

    private static boolean same(Path a, Path b) {
        try {
            if (Files.exists(a) && Files.exists(b)) return Files.isSameFile(a, b);
        } catch (IOException e) {
            // fall back to the names
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }

    /// The sizes, and whether they fit the copy: opens devices read-only to ask their size, and never creates,
    /// truncates or writes anything.
    ///
    /// @throws CopyException when a size does not fit (the copy would read past the source's end or write past a
    ///                       device's end)
    public Extent extent() throws CopyException {
        Path s = options.source();
        Path d = options.destination();
        try {
            long srcSize = size(s);
            boolean dstDev = DeviceMap.isBlockDevice(d);
            long dstSize = dstDev ? size(d) : -1;
            long chunk = options.chunkSize();
            long off = options.offset();
            long end = off + options.total();
            if (options.overlap()) {
                if (!options.skipRead() && srcSize < off + chunk) {
                    throw new CopyException(s + " holds " + srcSize + " bytes; even with --overlap the copy needs "
                            + (off + chunk) + " (offset + one chunk)");
                }
                if (dstDev && !options.skipWrite() && dstSize < off + chunk) {
                    throw new CopyException(d + " holds " + dstSize + " bytes; even with --overlap the copy needs "
                            + (off + chunk) + " (offset + one chunk)");
                }
            } else {
                if (!options.skipRead() && srcSize < end) {
                    throw new CopyException(s + " holds " + srcSize + " bytes; the copy needs " + end
                            + " (offset + chunks × chunk size; use fewer or smaller chunks, or --overlap to wrap around)");
                }
                if (dstDev && !options.skipWrite() && dstSize < end) {
                    throw new CopyException(d + " holds " + dstSize + " bytes; the copy needs " + end
                            + " (offset + chunks × chunk size)");
                }
            }
            long wrapSrc = options.overlap() ? Math.max(chunk, srcSize - off) : Long.MAX_VALUE;
            long dstSpan = dstDev ? Math.min(dstSize, srcSize) : srcSize;
            long wrapDst = options.overlap() ? Math.max(chunk, dstSpan - off) : Long.MAX_VALUE;
            return new Extent(srcSize, dstSize, wrapSrc, wrapDst);
        } catch (Libc.ErrnoException e) {
            throw new CopyException(explain(e, null));
        } catch (IOException e) {
            throw new CopyException("cannot read the sizes: " + e.getMessage());
        }
    }

    /// A file's size, or a block device's (opened read-only and exclusive, then closed).
    private static long size(Path p) throws IOException {
        if (!DeviceMap.isBlockDevice(p)) return Files.size(p);
        int fd = Libc.open(p.toString(), Libc.O_RDONLY | Libc.O_EXCL, 0);
        try {
            return Libc.blockDeviceSize(fd);
        } finally {
            Libc.close(fd);
        }
    }

    /// Runs the copy with `buffer`.
    ///
    /// @throws CopyException when the copy cannot start or fails midway (with the reason, the chunk and offset, and
    ///                       what was left of the destination)
    public CopyResult run(DmaBuffer buffer, Consumer<Progress> progress) throws CopyException {
        if (buffer.size() < options.bufferSize()) {
            throw new CopyException("the buffer (" + buffer.size() + " bytes) is smaller than chunk size × threads ("
                    + options.bufferSize() + ")");
        }
        List<String> refused;
        try {
            refused = refusals();
        } catch (IOException e) {
            throw new CopyException("cannot check the devices: " + e.getMessage());
        }
        if (!refused.isEmpty()) throw new CopyException(String.join("; ", refused));
        Extent extent = extent();
        boolean srcDev = DeviceMap.isBlockDevice(options.source());
        boolean dstDev = DeviceMap.isBlockDevice(options.destination());
        int src = -1;
        int dst = -1;
        boolean created = false;
        AtomicLong written = new AtomicLong();
        try {
            src = Libc.open(options.source().toString(), Libc.O_RDONLY | Libc.O_DIRECT | (srcDev ? Libc.O_EXCL : 0), 0);
            Expected expected = options.check() ? expected(src, extent) : null;
            if (!options.skipWrite()) {
                int mode = (options.check() ? Libc.O_RDWR : Libc.O_WRONLY) | Libc.O_DIRECT;
                String d = options.destination().toString();
                if (dstDev) {
                    dst = Libc.open(d, mode | Libc.O_EXCL, 0);
                } else {
                    // Whether this copy creates the file is decided by the open itself (O_CREAT|O_EXCL), not by an
                    // earlier look: only a file this open created may be removed again when the copy fails.
                    try {
                        dst = Libc.open(d, mode | Libc.O_CREAT | Libc.O_EXCL, 0644);
                        created = true;
                    } catch (Libc.ErrnoException e) {
                        if (e.errno != Libc.EEXIST) throw e;
                        dst = Libc.open(d, mode, 0);
                    }
                }
            }
            CopyResult r = copy(buffer, src, dst, extent, progress, written);
            if (expected == null) return r;
            return new CopyResult(r.bytesRead(), r.bytesWritten(), r.seconds(), r.perSecondMBs(), verify(dst, expected));
        } catch (IOException e) {
            String why = e instanceof ChunkFailure f ? f.describe(options, buffer)
                    : e instanceof Libc.ErrnoException x ? explain(x, buffer) : e.getMessage();
            throw new CopyException(why + left(created, written.get()));
        } finally {
            if (src >= 0) Libc.close(src);
            if (dst >= 0) Libc.close(dst);
        }
    }

    /// What is left of the destination after a failure, in words. A file this copy created (decided when it was
    /// opened, with O_CREAT|O_EXCL) is removed, partial content and all: a failed copy leaves no half-written file
    /// of its own. A destination that was there before is kept; it holds what was written into it.
    private String left(boolean created, long written) {
        Path d = options.destination();
        if (options.skipWrite()) return "; " + d + " was not opened";
        if (created) {
            String what = written > 0 ? "the " + written + " bytes written before the failure" : "nothing was written";
            try {
                Files.deleteIfExists(d);
                return "; " + what + ", and " + d + " (created by this copy) was removed";
            } catch (IOException e) {
                return "; " + what + ", but " + d + " (created by this copy) could not be removed: " + e.getMessage();
            }
        }
        if (written > 0) return "; " + d + " (there before this copy) holds the " + written
                + " bytes written before the failure";
        return "; nothing was written to " + d;
    }

    /// Number of chunk slots a device range wraps inside (all chunks when it does not wrap).
    private long slots(long wrap) {
        return wrap == Long.MAX_VALUE ? options.chunks() : Math.max(1, wrap / options.chunkSize());
    }

    /// Position of chunk `i` (0-based) in a device, wrapping inside [offset, offset + wrap) when asked.
    long position(long i, long wrap) {
        return options.offset() + (i % slots(wrap)) * options.chunkSize();
    }

    private CopyResult copy(DmaBuffer buffer, int src, int dst, Extent extent, Consumer<Progress> progress,
                            AtomicLong written) throws IOException {
        int threads = options.threads();
        long perThread = options.chunks() / threads;
        long chunk = options.chunkSize();
        AtomicLong read = new AtomicLong();
        AtomicReference<IOException> failure = new AtomicReference<>();
        long t0 = System.nanoTime();
        long deadline = options.durationSeconds() > 0 ? t0 + (long) (options.durationSeconds() * 1e9) : Long.MIN_VALUE;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int ti = t;
            workers.add(Thread.ofPlatform().name("p2pscope-copy-" + t).start(() -> {
                MemorySegment slice = buffer.slice(ti, chunk);
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment state = Libc.newState(arena);
                    do {
                        for (long k = 0; k < perThread && !stop.get() && failure.get() == null; k++) {
                            long i = ti * perThread + k;
                            if (!options.skipRead()) {
                                long pos = position(i, extent.wrapSource());
                                try {
                                    hook.before(i, true);
                                    full(true, src, slice, pos, state);
                                } catch (IOException e) {
                                    throw new ChunkFailure(i, pos, true, e);
                                }
                                read.addAndGet(chunk);
                            }
                            if (!options.skipWrite()) {
                                long pos = position(i, extent.wrapDestination());
                                try {
                                    hook.before(i, false);
                                    full(false, dst, slice, pos, state);
                                } catch (IOException e) {
                                    throw new ChunkFailure(i, pos, false, e);
                                }
                                written.addAndGet(chunk);
                            }
                        }
                    } while (deadline != Long.MIN_VALUE && System.nanoTime() < deadline && !stop.get()
                            && failure.get() == null);
                } catch (IOException e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        List<Double> perSecond = new ArrayList<>();
        long last = 0;
        long lastT = t0;
        long total = options.durationSeconds() > 0 ? -1 : options.total();
        while (workers.stream().anyMatch(Thread::isAlive)) {
            try {
                workers.getFirst().join(200);
                for (Thread w : workers) w.join(1);
            } catch (InterruptedException e) {
                stop.set(true);
                Thread.currentThread().interrupt();
            }
            long now = System.nanoTime();
            if (now - lastT >= 1_000_000_000L) {
                long moved = Math.max(read.get(), written.get());
                double mbs = (moved - last) / ((now - lastT) / 1e9) / 1e6;
                perSecond.add(mbs);
                if (progress != null) progress.accept(new Progress(moved, total, (now - t0) / 1e9, mbs));
                last = moved;
                lastT = now;
            }
        }
        if (failure.get() != null) throw failure.get();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (progress != null) progress.accept(new Progress(Math.max(read.get(), written.get()), total, seconds, 0));
        return new CopyResult(read.get(), written.get(), seconds, perSecond, null);
    }

    /// A whole chunk, however many calls it takes (O_DIRECT reads can be short at the end of a file).
    private static void full(boolean reading, int fd, MemorySegment slice, long pos, MemorySegment state) throws IOException {
        long done = 0;
        long len = slice.byteSize();
        while (done < len) {
            MemorySegment part = slice.asSlice(done);
            long n = reading ? Libc.pread(fd, part, len - done, pos + done, state)
                    : Libc.pwrite(fd, part, len - done, pos + done, state);
            if (n == 0) {
                if (reading) {
                    part.fill((byte) 0);   // past the end of a file: the rest of the chunk reads as zeros
                    return;
                }
                throw new IOException("pwrite wrote nothing at offset " + (pos + done));
            }
            done += n;
        }
    }

    /// What the destination must hold, from the source's own content: for each destination slot, the source
    /// chunks that may have been written there last, and the CRC32C and parity of each source slot they read.
    private record Expected(long[][] candidates, long[] crc, long[] parity) { }

    /// Which chunks write each destination slot last. Chunk `i` is read from `position(i, wrapSource)` and written
    /// to `position(i, wrapDestination)`. Each thread walks its own share of the chunks in order, so within a thread
    /// the last chunk that maps to a slot wins; two threads can write the same slot (with `--overlap`) in either
    /// order, so each thread's last writer is a candidate and the slot is right when it holds one of them.
    long[][] lastWriters(Extent extent) {
        long slotsDst = Math.min(options.chunks(), slots(extent.wrapDestination()));
        long fullDst = slots(extent.wrapDestination());
        int threads = options.threads();
        long per = options.chunks() / threads;
        long[][] out = new long[Math.toIntExact(slotsDst)][];
        for (int s = 0; s < slotsDst; s++) {
            long[] c = new long[threads];
            int n = 0;
            for (int t = 0; t < threads; t++) {
                long a = t * per;
                long b = a + per - 1;
                long i = b - Math.floorMod(b - s, fullDst);   // the largest i <= b with i % slots == s
                if (i >= a) c[n++] = i;
            }
            out[s] = java.util.Arrays.copyOf(c, n);
        }
        return out;
    }

    /// Reads the source slots the check needs into host memory (never the p2pmem buffer) and sums them up.
    private Expected expected(int src, Extent extent) throws IOException {
        long[][] writers = lastWriters(extent);
        long slotsSrc = Math.min(options.chunks(), slots(extent.wrapSource()));
        long fullSrc = slots(extent.wrapSource());
        long[] crc = new long[Math.toIntExact(slotsSrc)];
        long[] parity = new long[crc.length];
        boolean[] need = new boolean[crc.length];
        for (long[] w : writers) for (long i : w) need[(int) (i % fullSrc)] = true;
        try (DmaBuffer host = DmaBuffer.host(options.chunkSize()); Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newState(arena);
            for (int s = 0; s < crc.length; s++) {
                if (!need[s]) continue;
                long pos = position(s, extent.wrapSource());
                try {
                    full(true, src, host.memory(), pos, state);
                } catch (IOException e) {
                    throw new IOException("reading the source for the check at offset " + pos + ": " + e.getMessage(), e);
                }
                crc[s] = crc(host.memory());
                parity[s] = parity(host.memory());
            }
        }
        long[][] bySlot = new long[writers.length][];
        for (int d = 0; d < writers.length; d++) {
            bySlot[d] = new long[writers[d].length];
            for (int k = 0; k < writers[d].length; k++) bySlot[d][k] = writers[d][k] % fullSrc;
        }
        return new Expected(bySlot, crc, parity);
    }

    /// Reads every destination slot the copy wrote and compares it with the source chunk written there.
    private CopyResult.Check verify(int dst, Expected want) throws IOException {
        long expected = 0;
        long actual = 0;
        long bad = 0;
        long n = want.candidates().length;
        try (DmaBuffer got = DmaBuffer.host(options.chunkSize()); Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newState(arena);
            for (int d = 0; d < n; d++) {
                full(true, dst, got.memory(), options.offset() + d * options.chunkSize(), state);
                long pg = parity(got.memory());
                long cg = crc(got.memory());
                long[] c = want.candidates()[d];
                long pw = want.parity()[(int) c[c.length - 1]];
                boolean ok = false;
                for (long s : c) {
                    if (want.crc()[(int) s] == cg && want.parity()[(int) s] == pg) {
                        ok = true;
                        pw = want.parity()[(int) s];
                        break;
                    }
                }
                expected ^= pw;
                actual ^= pg;
                if (!ok) bad++;
            }
        }
        return new CopyResult.Check(bad == 0 && expected == actual, expected, actual, bad, n);
    }

    private static long parity(MemorySegment m) {
        long x = 0;
        for (long o = 0; o < m.byteSize(); o += 8) x ^= m.get(ValueLayout.JAVA_LONG_UNALIGNED, o);
        return x;
    }

    private static long crc(MemorySegment m) {
        CRC32C c = new CRC32C();
        c.update(m.asByteBuffer());
        return c.getValue();
    }

    /// A chunk's `pread` or `pwrite` failed: which chunk, where, and why.
    static final class ChunkFailure extends IOException {
        final long chunk;
        final long offset;
        final boolean reading;

        ChunkFailure(long chunk, long offset, boolean reading, IOException cause) {
            super(cause.getMessage(), cause);
            this.chunk = chunk;
            this.offset = offset;
            this.reading = reading;
        }

        String describe(CopyOptions o, DmaBuffer buffer) {
            String where = "chunk " + chunk + " (" + (reading ? "pread from " + o.source() : "pwrite to " + o.destination())
                    + " at byte offset " + offset + ")";
            String why = getCause() instanceof Libc.ErrnoException x ? explain(x, buffer) : getMessage();
            return where + " failed: " + why;
        }
    }

    /// What an errno from the kernel means here.
    static String explain(Libc.ErrnoException e, DmaBuffer buffer) {
        String base = e.getMessage();
        boolean p2p = buffer != null && buffer.kind() == DmaBuffer.Kind.P2PMEM;
        return switch (e.errno) {
            case Libc.EREMOTEIO -> base + ": the kernel refused to DMA between this device and the p2pmem. O_DIRECT pins "
                    + "the buffer with FOLL_PCI_P2PDMA only for queues that advertise P2PDMA (NVMe PCI), and the "
                    + "mapping fails when the P2PDMA verdict for provider and device is NOT_SUPPORTED (see the "
                    + "preflight above)";
            case Libc.EINVAL -> base + ": O_DIRECT needs the offset, length and buffer aligned to the device's logical "
                    + "block size (use a chunk size that is a multiple of 4096), and tmpfs refuses O_DIRECT";
            case Libc.EFAULT, Libc.ENODEV, Libc.ENXIO -> p2p
                    ? base + ": the p2pmem mapping went away (was the provider unbound during the copy?); the copy "
                      + "stopped" : base;
            case Libc.EBUSY -> base + ": the device is in use (O_EXCL refused: mounted or held)";
            default -> base;
        };
    }

    /// A copy that could not start or failed.
    public static final class CopyException extends Exception {
        public CopyException(String message) {
            super(message);
        }
    }
}
