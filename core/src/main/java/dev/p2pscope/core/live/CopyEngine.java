package dev.p2pscope.core.live;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/// Runs a copy the way `p2pmem-test` does: O_DIRECT `pread` from the source into a buffer slice, then `pwrite`
/// from the slice to the destination, by chunks, one thread per slice. The buffer (p2pmem, host or emulated) is
/// never touched by the JVM during the copy: the kernel DMAs into and out of it.
public final class CopyEngine {

    /// A live view of the copy, about once a second.
    public record Progress(long bytesMoved, long totalBytes, double seconds, double lastSecondMBs) { }

    private final CopyOptions options;
    private final Safety safety;
    private final AtomicBoolean stop = new AtomicBoolean();

    public CopyEngine(CopyOptions options, Safety safety) {
        this.options = options;
        this.safety = safety;
    }

    /// Asks a running copy to stop after the chunks in flight.
    public void stop() {
        stop.set(true);
    }

    /// Everything that would make this copy unsafe, before anything is opened (empty when it may run).
    public List<String> refusals() throws IOException {
        List<String> out = new ArrayList<>();
        boolean srcWritten = options.check() && !options.skipRead();
        if (DeviceMap.isBlockDevice(options.source())) {
            out.addAll(safety.refusals(options.source(), srcWritten, options.allowWriteDevices()));
        } else if (!Files.isRegularFile(options.source())) {
            out.add(options.source() + " is neither a regular file nor a block device");
        }
        if (DeviceMap.isBlockDevice(options.destination())) {
            out.addAll(safety.refusals(options.destination(), !options.skipWrite(), options.allowWriteDevices()));
        } else if (Files.exists(options.destination()) && !Files.isRegularFile(options.destination())) {
            out.add(options.destination() + " is neither a regular file nor a block device");
        }
        if (options.source().toAbsolutePath().normalize().equals(options.destination().toAbsolutePath().normalize())
                && !options.skipRead() && !options.skipWrite()) {
            out.add("source and destination are the same file");
        }
        return out;
    }

    /// Runs the copy with `buffer`.
    ///
    /// @throws CopyException when the copy cannot start or fails midway (with the reason)
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
        boolean srcDev = DeviceMap.isBlockDevice(options.source());
        boolean dstDev = DeviceMap.isBlockDevice(options.destination());
        int src = -1;
        int dst = -1;
        try {
            boolean writeSrc = options.check() && !options.skipRead();
            src = Libc.open(options.source().toString(), (writeSrc ? Libc.O_RDWR : Libc.O_RDONLY) | Libc.O_DIRECT
                    | (srcDev ? Libc.O_EXCL : 0), 0);
            dst = Libc.open(options.destination().toString(), (options.check() ? Libc.O_RDWR : Libc.O_WRONLY)
                    | Libc.O_DIRECT | (dstDev ? Libc.O_EXCL : Libc.O_CREAT), 0644);
            long srcSize = srcDev ? Libc.blockDeviceSize(src) : Files.size(options.source());
            long end = options.offset() + options.total();
            if (!options.overlap() && !options.skipRead() && srcSize < end && !(writeSrc && !srcDev)) {
                throw new CopyException(options.source() + " holds " + srcSize + " bytes; the copy needs " + end
                        + " (use --overlap to wrap around)");
            }
            long dstSize = dstDev ? Libc.blockDeviceSize(dst) : Long.MAX_VALUE;
            if (dstDev && !options.overlap() && dstSize < end) {
                throw new CopyException(options.destination() + " holds " + dstSize + " bytes; the copy needs " + end);
            }
            long wrapSrc = options.overlap() ? Math.max(options.chunkSize(), srcSize - options.offset()) : Long.MAX_VALUE;
            long wrapDst = options.overlap() ? Math.max(options.chunkSize(), Math.min(dstSize, srcSize) - options.offset())
                    : Long.MAX_VALUE;
            if (options.check()) seed(src);
            CopyResult r = copy(buffer, src, dst, wrapSrc, wrapDst, progress);
            if (!options.check()) return r;
            return new CopyResult(r.bytesRead(), r.bytesWritten(), r.seconds(), r.perSecondMBs(), verify(dst));
        } catch (Libc.ErrnoException e) {
            throw new CopyException(explain(e, buffer));
        } catch (IOException e) {
            throw new CopyException(e.getMessage());
        } finally {
            if (src >= 0) Libc.close(src);
            if (dst >= 0) Libc.close(dst);
        }
    }

    /// Position of chunk `i` (0-based) in a device, wrapping inside [offset, offset + wrap) when asked.
    long position(long i, long wrap) {
        long rel = i * options.chunkSize();
        if (wrap != Long.MAX_VALUE) rel = rel % (wrap / options.chunkSize() * options.chunkSize());
        return options.offset() + rel;
    }

    private CopyResult copy(DmaBuffer buffer, int src, int dst, long wrapSrc, long wrapDst, Consumer<Progress> progress)
            throws IOException {
        int threads = options.threads();
        long perThread = options.chunks() / threads;
        long chunk = options.chunkSize();
        AtomicLong read = new AtomicLong();
        AtomicLong written = new AtomicLong();
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
                                full(true, src, slice, position(i, wrapSrc), state);
                                read.addAndGet(chunk);
                            }
                            if (!options.skipWrite()) {
                                full(false, dst, slice, position(i, wrapDst), state);
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

    /// The seeded content of chunk `i`.
    private void fill(MemorySegment m, long i) {
        SplittableRandom r = new SplittableRandom(options.seed() * 0x9E3779B97F4A7C15L + i);
        for (long o = 0; o < m.byteSize(); o += 8) m.set(ValueLayout.JAVA_LONG_UNALIGNED, o, r.nextLong());
    }

    /// Writes seeded data over the source range the copy reads (the check's first step, as p2pmem-test does).
    private void seed(int src) throws IOException {
        try (DmaBuffer host = DmaBuffer.host(options.chunkSize()); Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newState(arena);
            for (long i = 0; i < options.chunks(); i++) {
                fill(host.memory(), i);
                full(false, src, host.memory(), position(i, Long.MAX_VALUE), state);
            }
        }
    }

    /// Reads every chunk of the destination back and compares it with what was seeded.
    private CopyResult.Check verify(int dst) throws IOException {
        long expected = 0;
        long actual = 0;
        long bad = 0;
        long chunks = options.skipWrite() ? 0 : options.chunks();
        try (DmaBuffer want = DmaBuffer.host(options.chunkSize()); DmaBuffer got = DmaBuffer.host(options.chunkSize());
             Arena arena = Arena.ofConfined()) {
            MemorySegment state = Libc.newState(arena);
            for (long i = 0; i < chunks; i++) {
                fill(want.memory(), i);
                full(true, dst, got.memory(), position(i, Long.MAX_VALUE), state);
                long pw = parity(want.memory());
                long pg = parity(got.memory());
                expected ^= pw;
                actual ^= pg;
                if (pw != pg || crc(want.memory()) != crc(got.memory())) bad++;
            }
        }
        return new CopyResult.Check(bad == 0 && expected == actual, expected, actual, bad, chunks);
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

    /// What an errno from the kernel means here.
    static String explain(Libc.ErrnoException e, DmaBuffer buffer) {
        String base = e.getMessage();
        return switch (e.errno) {
            case Libc.EREMOTEIO -> base + ": the kernel refused to DMA between this device and the p2pmem. O_DIRECT pins "
                    + "the buffer with FOLL_PCI_P2PDMA only for queues that advertise P2PDMA (NVMe PCI), and the "
                    + "mapping fails when the P2PDMA verdict for provider and device is NOT_SUPPORTED (see the "
                    + "preflight above)";
            case Libc.EINVAL -> base + ": O_DIRECT needs the offset, length and buffer aligned to the device's logical "
                    + "block size (use a chunk size that is a multiple of 4096), and tmpfs refuses O_DIRECT";
            case Libc.EFAULT, Libc.ENODEV, Libc.ENXIO -> buffer.kind() == DmaBuffer.Kind.P2PMEM
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
