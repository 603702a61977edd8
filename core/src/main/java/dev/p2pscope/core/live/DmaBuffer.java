package dev.p2pscope.core.live;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
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
    public static DmaBuffer p2pmem(Path allocateOrDevice, long size) throws IOException {
        int fd = Libc.open(allocateOrDevice.toString(), Libc.O_RDWR, 0);
        try {
            MemorySegment m = Libc.mmap(size, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_SHARED, fd, 0);
            return new DmaBuffer(Kind.P2PMEM, allocateOrDevice.toString(), m, fd);
        } catch (IOException e) {
            Libc.close(fd);
            throw explain(e, allocateOrDevice);
        }
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

    /// The allocate file's own error texts, with what they mean.
    static IOException explain(IOException e, Path path) {
        if (e instanceof Libc.ErrnoException x) {
            String why = switch (x.errno) {
                case Libc.EINVAL -> "the allocate file needs MAP_SHARED at offset 0";
                case Libc.ENODEV -> "the device has no p2pdma pool";
                case 12 -> "the p2pmem pool is exhausted (ENOMEM)";
                case 2 -> "no such file: p2pmem/allocate exists from kernel 6.2 on, only for devices with p2pmem";
                default -> null;
            };
            if (why != null) return new IOException(e.getMessage() + ": " + why + " (" + path + ")", e);
        }
        return e;
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
