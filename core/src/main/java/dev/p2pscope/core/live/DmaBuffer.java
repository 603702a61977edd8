package dev.p2pscope.core.live;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

/// The memory a copy stages its data in, mapped into this process: p2pmem (the sysfs `allocate` file, the NVMe
/// character device of the userspace series, or `/dev/p2pmemN`), host memory, or an emulated provider. The JVM never
/// copies it: the kernel reads into it and writes from it.
public final class DmaBuffer implements AutoCloseable {

    /// Where the memory comes from.
    public enum Kind { P2PMEM, HOST, EMULATED }

    private final Kind kind;
    private final String label;
    private final MemorySegment memory;
    private final int fd;

    private DmaBuffer(Kind kind, String label, MemorySegment memory, int fd) {
        this.kind = kind;
        this.label = label;
        this.memory = memory;
        this.fd = fd;
    }

    /// Maps `size` bytes of a p2pmem provider: MAP_SHARED at offset 0, as the allocate file requires.
    ///
    /// @param pool the provider's `p2pmem` sysfs directory (to tell an exhausted pool from a fragmented one), or null
    public static DmaBuffer p2pmem(Path allocateOrDevice, long size, Path pool) throws IOException {
        int fd;
        try {
            fd = Libc.open(allocateOrDevice.toString(), Libc.O_RDWR, 0);
        } catch (Libc.ErrnoException e) {
            throw explain(e, allocateOrDevice, size, pool, true);
        }
        try {
            MemorySegment m = Libc.mmap(size, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, 0);
            return new DmaBuffer(Kind.P2PMEM, allocateOrDevice.toString(), m, fd);
        } catch (IOException e) {
            Libc.close(fd);
            throw explain(e, allocateOrDevice, size, pool, false);
        }
    }

    static final int ENOENT = 2, EACCES = 13, ENOMEM = 12, EPERM = 1;

    /// The kernel's answers to opening and mapping a p2pmem source, with what they mean. Mirrors the allocate
    /// file's rules (MAP_SHARED and offset 0 or EINVAL; no p2pdma state: ENODEV; pool exhausted: ENOMEM; the file
    /// is removed with the pool when the provider is unbound; mode 0660).
    static IOException explain(IOException e, Path path, long size, Path pool, boolean opening) {
        if (!(e instanceof Libc.ErrnoException x)) return e;
        boolean allocate = path.getFileName() != null && path.getFileName().toString().equals("allocate");
        boolean nvme = path.getFileName() != null && BufferChoice.NVME_CHAR.matcher(path.getFileName().toString()).matches();
        String why = switch (x.errno) {
            case ENOENT -> allocate ? "there is no p2pmem/allocate file: it exists only while the provider is bound to "
                    + "a driver that registered p2pmem (unbinding the provider removes it) and only on kernels 6.2 "
                    + "and later" : "no such file or device node";
            case EACCES, EPERM -> "permission denied: " + (allocate ? "the allocate file is mode 0660 (root)" : "opening it "
                    + "needs root") + "; run as root";
            case Libc.EINVAL -> allocate ? "the allocate file needs MAP_SHARED at offset 0" : null;
            case Libc.ENODEV -> nvme ? "no mainline kernel maps p2pmem through the NVMe character device (that part of "
                    + "the userspace P2PDMA series was never merged); use /sys/bus/pci/devices/BDF/p2pmem/allocate "
                    + "(kernel 6.2 and later)" : "the provider has no p2pdma state (no pool)";
            case ENOMEM -> poolText(size, pool);
            default -> null;
        };
        String what = (opening ? "opening " : "mapping ") + path;
        return new IOException(what + ": " + e.getMessage() + (why == null ? "" : ": " + why), e);
    }

    /// ENOMEM from the allocate file: exhausted only when the pool has less free memory than was asked for.
    static String poolText(long size, Path pool) {
        long available = -1;
        try {
            if (pool != null && Files.isReadable(pool.resolve("available"))) {
                available = Long.parseLong(Files.readString(pool.resolve("available")).trim());
            }
        } catch (IOException | NumberFormatException ignored) {
            // unknown
        }
        if (available < 0) return "the kernel could not allocate " + size + " bytes from the p2pmem pool (how much "
                + "is free is not known)";
        if (available < size) return "the p2pmem pool is exhausted: " + size + " bytes asked, " + available
                + " available";
        return "the kernel could not allocate " + size + " contiguous bytes although " + available + " are available "
                + "(each mapping takes one contiguous chunk of the pool: it is fragmented, or the pages could not be "
                + "mapped)";
    }

    /// Page-aligned host memory (the control run, like p2pmem-test without a p2pmem argument).
    public static DmaBuffer host(long size) throws IOException {
        MemorySegment m = Libc.mmap(size, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0);
        return new DmaBuffer(Kind.HOST, "host memory", m, -1);
    }

    /// An emulated provider: a shared mapping of a file (or of anonymous memory when `file` is null). Everything
    /// runs as with real p2pmem, but the data goes through host RAM; every output says so.
    public static DmaBuffer emulated(Path file, long size) throws IOException {
        if (file == null) {
            MemorySegment m = Libc.mmap(size, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED | Libc.MAP_ANONYMOUS,
                    -1, 0);
            return new DmaBuffer(Kind.EMULATED, "emulated p2pmem (shared anonymous memory)", m, -1);
        }
        int fd = Libc.open(file.toString(), Libc.O_RDWR | Libc.O_CREAT, 0600);
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            if (ch.size() < size) ch.truncate(size);
            ch.write(java.nio.ByteBuffer.allocate(1), size - 1);
            MemorySegment m = Libc.mmap(size, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, 0);
            return new DmaBuffer(Kind.EMULATED, "emulated p2pmem (shared mapping of " + file + ")", m, fd);
        } catch (IOException e) {
            Libc.close(fd);
            throw e;
        }
    }

    public Kind kind() { return kind; }
    public String label() { return label; }
    public MemorySegment memory() { return memory; }
    public long size() { return memory.byteSize(); }

    /// A thread's slice of the buffer.
    public MemorySegment slice(int index, long chunk) {
        return memory.asSlice(index * chunk, chunk);
    }

    @Override
    public void close() {
        Libc.munmap(memory);
        if (fd >= 0) Libc.close(fd);
    }
}
