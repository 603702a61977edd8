package dev.p2pscope.core.live;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/// The few libc calls live mode needs, through the FFM API (no JNI, no helper binaries): `open`, `close`,
/// `pread`, `pwrite`, `mmap`, `munmap`, `ioctl`, with `errno` captured per call. Linux x86-64 and aarch64.
@SuppressWarnings("restricted")   // calling libc through the FFM linker is this class's whole purpose
final class Libc {

    static final boolean AARCH64 = System.getProperty("os.arch", "").contains("aarch64");
    static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2;
    static final int O_CREAT = 0x40, O_EXCL = 0x80;
    static final int O_DIRECT = AARCH64 ? 0x10000 : 0x4000;
    static final int O_CLOEXEC = 0x80000;
    static final int PROT_READ = 1, PROT_WRITE = 2;
    static final int MAP_SHARED = 1, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20;
    /// `_IOR(0x12, 114, size_t)`: a block device's size in bytes.
    static final long BLKGETSIZE64 = 0x80081272L;
    static final int EEXIST = 17, EINVAL = 22, EFAULT = 14, EIO = 5, ENODEV = 19, EREMOTEIO = 121, EBUSY = 16, ENXIO = 6;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");

    private static final MethodHandle OPEN = handle("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2), CAPTURE);
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), CAPTURE);
    private static final MethodHandle PREAD = handle("pread", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS,
            JAVA_LONG, JAVA_LONG), CAPTURE);
    private static final MethodHandle PWRITE = handle("pwrite", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS,
            JAVA_LONG, JAVA_LONG), CAPTURE);
    private static final MethodHandle MMAP = handle("mmap", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT,
            JAVA_INT, JAVA_INT, JAVA_LONG), CAPTURE);
    private static final MethodHandle MUNMAP = handle("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG),
            CAPTURE);
    private static final MethodHandle IOCTL = handle("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG,
            ADDRESS), Linker.Option.firstVariadicArg(2), CAPTURE);
    private static final MethodHandle STRERROR = handle("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), fd, options);
    }

    /// A failed call: the function, its errno and the system's text for it.
    static final class ErrnoException extends java.io.IOException {
        final int errno;

        ErrnoException(String call, int errno) {
            super(call + ": " + strerror(errno) + " (errno " + errno + ")");
            this.errno = errno;
        }
    }

    static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "error " + errno;
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    static int open(String path, int flags, int mode) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(STATE);
            int fd = (int) OPEN.invokeExact(state, a.allocateFrom(path), flags | O_CLOEXEC, mode);
            if (fd < 0) throw new ErrnoException("open " + path, errno(state));
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /// `close`. Its result is not acted on: the copy's data went through `pwrite` (whose errors are reported), and
    /// Linux releases the descriptor even when `close` reports an error, so there is nothing to retry.
    static void close(int fd) {
        try (Arena a = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(a.allocate(STATE), fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /// `pread`; retried on EINTR-free short reads by the caller. Returns bytes read.
    static long pread(int fd, MemorySegment buf, long count, long offset, MemorySegment state) throws ErrnoException {
        try {
            long n = (long) PREAD.invokeExact(state, fd, buf, count, offset);
            if (n < 0) throw new ErrnoException("pread", errno(state));
            return n;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static long pwrite(int fd, MemorySegment buf, long count, long offset, MemorySegment state) throws ErrnoException {
        try {
            long n = (long) PWRITE.invokeExact(state, fd, buf, count, offset);
            if (n < 0) throw new ErrnoException("pwrite", errno(state));
            return n;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static MemorySegment newState(Arena arena) {
        return arena.allocate(STATE);
    }

    static MemorySegment mmap(long length, int prot, int flags, int fd, long offset) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(STATE);
            MemorySegment p = (MemorySegment) MMAP.invokeExact(state, MemorySegment.NULL, length, prot, flags, fd, offset);
            if (p.address() == -1L) throw new ErrnoException("mmap", errno(state));
            return p.reinterpret(length);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void munmap(MemorySegment p) {
        try (Arena a = Arena.ofConfined()) {
            int r = (int) MUNMAP.invokeExact(a.allocate(STATE), p, p.byteSize());
            assert r == 0 || r == -1;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /// A block device's size (`BLKGETSIZE64`).
    static long blockDeviceSize(int fd) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = a.allocate(STATE);
            MemorySegment out = a.allocate(ValueLayout.JAVA_LONG);
            int r = (int) IOCTL.invokeExact(state, fd, BLKGETSIZE64, out);
            if (r < 0) throw new ErrnoException("ioctl BLKGETSIZE64", errno(state));
            return out.get(ValueLayout.JAVA_LONG, 0);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
