package dev.p2pscope.core.topology.sysfs;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/// The system calls a [DiskTree] load makes, called through the FFM API: `openat`, `getdents64`, `read`,
/// `readlinkat`, `close`.
///
/// Why: a sysfs load reads about 100,000 small files in 12,000 directories. Through `java.nio.file` every
/// directory listing cost seven system calls (`openat`, `fstat`, `fcntl` twice, `dup`, `getdents64`, `close`)
/// and gave names only, so the type of each name cost an `lstat` more (153,000 `statx` per load); every file
/// read built `Path` objects and a `FileChannel`. Here a listing is `open` + `getdents64` until empty + `close`
/// and gives each name's type with it (`d_type`, as the kernel fills it in for sysfs, ext4, tmpfs, ...), and a
/// read is `open` + `read` until end of file + `close` into a per-thread native buffer.
///
/// Available on Linux x86-64 and aarch64 when native access is enabled for this code; otherwise [#AVAILABLE]
/// is false and [DiskTree] uses `java.nio.file` (same answers, more system calls). Thread-safe: each thread
/// has its own buffers.
@SuppressWarnings("restricted")   // calling libc through the FFM linker is this class's whole purpose
final class NativeFs {

    private static final int O_RDONLY = 0;
    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;
    private static final boolean AARCH64 = System.getProperty("os.arch", "").contains("aarch64");
    private static final int O_DIRECTORY = AARCH64 ? 0x4000 : 0x10000;
    private static final int O_NOFOLLOW = AARCH64 ? 0x8000 : 0x20000;
    private static final int EINTR = 4;
    private static final int PATH_MAX = 4096;
    /// `getdents64` buffer: a 4,096-name directory in a few calls.
    private static final int DENTS_BYTES = 32 * 1024;
    /// `struct linux_dirent64`: `d_ino` (8), `d_off` (8), `d_reclen` (2), `d_type` (1), `d_name` (NUL-terminated).
    private static final int D_RECLEN = 16, D_TYPE = 18, D_NAME = 19;
    private static final int DT_UNKNOWN = 0, DT_DIR = 4, DT_REG = 8, DT_LNK = 10;

    private static final MethodHandle OPENAT, READ, CLOSE, GETDENTS64, READLINKAT;
    /// `AT_FDCWD`: a path for `openat`/`readlinkat` that is not relative to a directory descriptor.
    private static final int AT_FDCWD = -100;
    private static final StructLayout STATE;
    private static final VarHandle ERRNO;
    /// True when the calls below can be made (Linux x86-64/aarch64, native access enabled, libc has them).
    static final boolean AVAILABLE;

    static {
        MethodHandle open = null, read = null, close = null, dents = null, readlink = null;
        StructLayout state = null;
        VarHandle errno = null;
        boolean ok = false;
        String arch = System.getProperty("os.arch", "");
        if (System.getProperty("os.name", "").equals("Linux") && (arch.equals("amd64") || arch.equals("x86_64")
                || arch.equals("aarch64")) && NativeFs.class.getModule().isNativeAccessEnabled()
                && !Boolean.getBoolean("p2pscope.noNativeFs")) {
            try {
                Linker linker = Linker.nativeLinker();
                state = Linker.Option.captureStateLayout();
                errno = state.varHandle(MemoryLayout.PathElement.groupElement("errno"));
                Linker.Option capture = Linker.Option.captureCallState("errno");
                var lookup = linker.defaultLookup();
                open = linker.downcallHandle(lookup.find("openat").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                        Linker.Option.firstVariadicArg(3), capture);
                readlink = linker.downcallHandle(lookup.find("readlinkat").orElseThrow(),
                        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG), capture);
                read = linker.downcallHandle(lookup.find("read").orElseThrow(),
                        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), capture);
                close = linker.downcallHandle(lookup.find("close").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT, JAVA_INT));
                dents = linker.downcallHandle(lookup.find("getdents64").orElseThrow(),
                        FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), capture);
                ok = true;
            } catch (RuntimeException | LinkageError e) {
                ok = false;   // no such symbol, or FFM refused: DiskTree falls back to java.nio.file
            }
        }
        OPENAT = open;
        READLINKAT = readlink;
        READ = read;
        CLOSE = close;
        GETDENTS64 = dents;
        STATE = state;
        ERRNO = errno;
        AVAILABLE = ok;
    }

    /// One thread's native buffers: a path, file contents, directory entries, the captured errno.
    private static final class Buffers {
        final MemorySegment path;
        final MemorySegment data;
        final MemorySegment dents;
        final MemorySegment state;
        /// A name being read from a directory entry (a name is at most 255 bytes on Linux; grown if ever longer).
        byte[] name = new byte[256];

        Buffers() {
            Arena arena = Arena.ofAuto();   // freed with the thread's Buffers
            path = arena.allocate(PATH_MAX + 1);
            data = arena.allocate(DiskTree.SCRATCH_BYTES);
            dents = arena.allocate(DENTS_BYTES, 8);
            state = arena.allocate(STATE);
        }
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private NativeFs() {
    }

    /// Makes each call once, so that the first real one does not pay for linking it: lists `/`, reads from its
    /// descriptor (EISDIR: nothing is read) and reads a link that does not exist. True when all answered as expected.
    static boolean warmUp() {
        try {
            byte[] none = new byte[0];
            list(none, "", 1, true);
            int fd = openDirectory(none, "");
            try {
                readOpenWarm(fd);
            } finally {
                close(fd);
            }
            try {
                readLink(none, "\u0001p2pscope-no-such-link");
            } catch (IOException expected) {
                // ENOENT, as intended
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void readOpenWarm(int fd) {
        Buffers b = BUFFERS.get();
        try {
            long n = (long) READ.invokeExact(b.state, fd, b.data, 1L);
            assert n < 0;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /// The path as a NUL-terminated C string in the thread's path buffer.
    private static MemorySegment cPath(Buffers b, byte[] root, String rel) throws IOException {
        byte[] r = rel.getBytes(StandardCharsets.UTF_8);
        int n = root.length + (r.length == 0 ? 0 : 1 + r.length);
        if (n > PATH_MAX - 1) throw new IOException("path longer than PATH_MAX");
        MemorySegment.copy(root, 0, b.path, ValueLayout.JAVA_BYTE, 0, root.length);
        int at = root.length;
        if (r.length > 0) {
            b.path.set(ValueLayout.JAVA_BYTE, at++, (byte) '/');
            MemorySegment.copy(r, 0, b.path, ValueLayout.JAVA_BYTE, at, r.length);
            at += r.length;
        }
        if (at == 0) b.path.set(ValueLayout.JAVA_BYTE, at++, (byte) '/');   // the root is "/" itself
        b.path.set(ValueLayout.JAVA_BYTE, at, (byte) 0);
        return b.path;
    }

    /// A name relative to a directory descriptor, as a NUL-terminated C string in the thread's path buffer.
    private static MemorySegment cName(Buffers b, String name) throws IOException {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length > PATH_MAX - 1) throw new IOException("path longer than PATH_MAX");
        MemorySegment.copy(n, 0, b.path, ValueLayout.JAVA_BYTE, 0, n.length);
        b.path.set(ValueLayout.JAVA_BYTE, n.length, (byte) 0);
        return b.path;
    }

    private static IOException failure(Buffers b, String what) {
        int errno = (int) ERRNO.get(b.state, 0L);
        return new IOException(what + ": " + Errno.text(errno));
    }

    /// `openat(dirfd, path, flags)`, retried on EINTR; `what` names the file in an error.
    private static int openAt(Buffers b, int dirfd, MemorySegment path, String what, int flags) throws IOException {
        try {
            int fd;
            do {
                fd = (int) OPENAT.invokeExact(b.state, dirfd, path, flags | O_CLOEXEC, 0);
            } while (fd < 0 && (int) ERRNO.get(b.state, 0L) == EINTR);
            if (fd < 0) throw failure(b, what.isEmpty() ? "." : what);
            return fd;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static int open(Buffers b, byte[] root, String rel, int flags) throws IOException {
        return openAt(b, AT_FDCWD, cPath(b, root, rel), rel, flags);
    }

    /// Opens the directory `root/rel` (following links on the way) for [#readAt] and [#readLinkAt]; the caller
    /// closes it with [#close].
    static int openDirectory(byte[] root, String rel) throws IOException {
        return open(BUFFERS.get(), root, rel, O_RDONLY | O_DIRECTORY);
    }

    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);   // Linux releases the descriptor even when close fails
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /// The names in the directory `root/rel` (following links on the way, as a path lookup does) with their
    /// types (unknown where the file system did not say), at most `max` of them: when there are more, the first
    /// `max` when `truncate`, else null (so that a caller never keeps a partial listing by mistake).
    static Listing list(byte[] root, String rel, int max, boolean truncate) throws IOException {
        Buffers b = BUFFERS.get();
        Listing.Builder out = new Listing.Builder();
        int fd = open(b, root, rel, O_RDONLY | O_DIRECTORY);
        try {
            while (true) {
                long n = (long) GETDENTS64.invokeExact(b.state, fd, b.dents, (long) DENTS_BYTES);
                if (n < 0) {
                    if ((int) ERRNO.get(b.state, 0L) == EINTR) continue;
                    throw failure(b, rel);
                }
                if (n == 0) return out.build();
                for (int at = 0; at < n; ) {
                    int reclen = Short.toUnsignedInt(b.dents.get(ValueLayout.JAVA_SHORT_UNALIGNED, at + D_RECLEN));
                    if (reclen <= D_NAME || at + reclen > n) throw new IOException(rel + ": malformed directory entry");
                    int type = Byte.toUnsignedInt(b.dents.get(ValueLayout.JAVA_BYTE, at + D_TYPE));
                    // the name and its padding copied at once, then its end found in the copy (a byte-by-byte
                    // search of native memory was most of a listing's own time)
                    int limit = reclen - D_NAME;
                    if (limit > b.name.length) b.name = new byte[limit];
                    byte[] nameBytes = b.name;
                    MemorySegment.copy(b.dents, ValueLayout.JAVA_BYTE, at + D_NAME, nameBytes, 0, limit);
                    int len = 0;
                    while (len < limit && nameBytes[len] != 0) len++;
                    at += reclen;
                    if (len == 1 && nameBytes[0] == '.' || len == 2 && nameBytes[0] == '.' && nameBytes[1] == '.') {
                        continue;
                    }
                    if (out.size() >= max) return truncate ? out.build() : null;
                    FileTree.Type t = switch (type) {
                        case DT_DIR -> FileTree.Type.DIRECTORY;
                        case DT_REG -> FileTree.Type.FILE;
                        case DT_LNK -> FileTree.Type.LINK;
                        case DT_UNKNOWN -> null;
                        default -> FileTree.Type.OTHER;   // a FIFO, socket or device: never read
                    };
                    out.add(Listing.name(nameBytes, len), t);
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            close(fd);
        }
    }

    /// Up to `max` bytes of the file `root/rel`: opened without following a final link (a file swapped for a
    /// link since it was listed is refused) and without blocking (one swapped for a FIFO is not waited on).
    static byte[] read(byte[] root, String rel, int max) throws IOException {
        Buffers b = BUFFERS.get();
        return readOpen(b, open(b, root, rel, O_RDONLY | O_NOFOLLOW | O_NONBLOCK), rel, max, false);
    }

    /// Like [#read], for the file `name` in the directory open as `dirfd` (one path component for the kernel to
    /// walk, not the whole path); `what` names it in an error.
    static byte[] readAt(int dirfd, String name, String what, int max) throws IOException {
        Buffers b = BUFFERS.get();
        return readOpen(b, openAt(b, dirfd, cName(b, name), what, O_RDONLY | O_NOFOLLOW | O_NONBLOCK), what, max,
                false);
    }

    /// Like [#readAt], for a sysfs attribute of one line. sysfs hands an attribute's whole text to the first
    /// `read` (the kernel formats it once, into one page, and `read` copies what fits), and that text ends in its
    /// newline. So a first read that comes back short, holding exactly one line with its newline, is taken as the
    /// whole file, without the `read` that would return 0 to confirm it: a tenth of a 10,000-function load's
    /// system calls. Anything else (no newline, more than one line, a full buffer) is read on to end of file as
    /// usual, so a file system that cuts reads short elsewhere still reads whole.
    static byte[] readLineAt(int dirfd, String name, String what, int max) throws IOException {
        Buffers b = BUFFERS.get();
        return readOpen(b, openAt(b, dirfd, cName(b, name), what, O_RDONLY | O_NOFOLLOW | O_NONBLOCK), what, max,
                true);
    }

    /// The target of the link `root/rel`.
    static String readLink(byte[] root, String rel) throws IOException {
        Buffers b = BUFFERS.get();
        return readLinkAt(b, AT_FDCWD, cPath(b, root, rel), rel);
    }

    /// The target of the link `name` in the directory open as `dirfd`; `what` names it in an error.
    static String readLinkAt(int dirfd, String name, String what) throws IOException {
        Buffers b = BUFFERS.get();
        return readLinkAt(b, dirfd, cName(b, name), what);
    }

    private static String readLinkAt(Buffers b, int dirfd, MemorySegment path, String what) throws IOException {
        try {
            long n = (long) READLINKAT.invokeExact(b.state, dirfd, path, b.data, b.data.byteSize());
            if (n < 0) throw failure(b, what);
            // A target as long as the buffer may be cut short; the resolver refuses any longer than PATH_MAX anyway.
            return new String(b.data.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /// One `read(2)` into `into`, retried on EINTR: the bytes read, 0 at end of file.
    private static long readSome(Buffers b, int fd, MemorySegment into, long len, String rel) throws Throwable {
        while (true) {
            long n = (long) READ.invokeExact(b.state, fd, into, len);
            if (n >= 0) return n;
            if ((int) ERRNO.get(b.state, 0L) != EINTR) throw failure(b, rel);
        }
    }

    private static byte[] readOpen(Buffers b, int fd, String rel, int max, boolean oneLine) throws IOException {
        try {
            long cap = Math.min(max, b.data.byteSize());
            long got = 0;
            boolean eof = false;
            while (got < cap) {
                long n = readSome(b, fd, b.data.asSlice(got), cap - got, rel);
                if (n == 0) {
                    eof = true;
                    break;
                }
                got += n;
                if (oneLine && got == n && got < cap && isOneLine(b.data, got)) {
                    eof = true;   // see readLineAt
                    break;
                }
            }
            byte[] head = b.data.asSlice(0, got).toArray(ValueLayout.JAVA_BYTE);
            if (eof || got >= max) return head;
            // Larger than the buffer (rare: no sysfs attribute P2PScope reads is): grow on the heap up to max.
            byte[] out = java.util.Arrays.copyOf(head, (int) Math.min(max, 2L * head.length));
            int at = head.length;
            MemorySegment chunk = b.data;
            while (at < max) {
                long n = readSome(b, fd, chunk, Math.min(chunk.byteSize(), (long) max - at), rel);
                if (n == 0) break;
                if (at + n > out.length) out = java.util.Arrays.copyOf(out, (int) Math.min(max, Math.max(at + n, 2L * out.length)));
                MemorySegment.copy(chunk, ValueLayout.JAVA_BYTE, 0, out, at, (int) n);
                at += (int) n;
            }
            return at == out.length ? out : java.util.Arrays.copyOf(out, at);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            close(fd);
        }
    }

    /// True when the first `n` bytes of `data` are one line: a newline at the end and none before it.
    private static boolean isOneLine(MemorySegment data, long n) {
        if (data.get(ValueLayout.JAVA_BYTE, n - 1) != '\n') return false;
        for (long i = 0; i < n - 1; i++) {
            if (data.get(ValueLayout.JAVA_BYTE, i) == '\n') return false;
        }
        return true;
    }

    /// The system's words for an errno, as `java.nio.file` would put them.
    private static final class Errno {
        static String text(int errno) {
            return switch (errno) {
                case 1 -> "Operation not permitted";
                case 2 -> "No such file or directory";
                case 5 -> "Input/output error";
                case 6 -> "No such device or address";
                case 11 -> "Resource temporarily unavailable";
                case 13 -> "Permission denied";
                case 20 -> "Not a directory";
                case 21 -> "Is a directory";
                case 24 -> "Too many open files";
                case 36 -> "File name too long";
                case 40 -> "Too many levels of symbolic links";
                default -> "error " + errno;
            };
        }
    }
}
