package dev.p2pscope.core.live;

import java.nio.file.Path;
import java.util.List;

/// A copy as `p2pmem-test` runs it: read `chunks` chunks of `chunkSize` from `source` into the buffer and write
/// them to `destination`, `threads` threads each owning one slice of the buffer and 1/threads of each device.
///
/// @param offset         byte offset into both source and destination; nothing is written outside
///                       [offset, offset + chunks × chunkSize) (with `overlap`, inside [offset, end of device))
/// @param durationSeconds run for this long (repeating the chunks), or -1 for one pass
/// @param check          verify the destination against the source's own content afterwards (per-chunk CRC32C and
///                       XOR parity). Unlike `p2pmem-test --check`, nothing is ever written to the source: only the
///                       destination the user named is written. Needs both the read and the write.
/// @param seed           kept for `p2pmem-test` compatibility and for the report; the check does not use it
/// @param allowWriteDevices block devices named by the user as writable
public record CopyOptions(Path source, Path destination, long chunkSize, long chunks, int threads, long offset,
                          double durationSeconds, boolean check, long seed, boolean skipRead, boolean skipWrite,
                          boolean overlap, List<Path> allowWriteDevices) {

    /// The seed when none is given (the check reads the source, so the seed only appears in reports).
    public static final long DEFAULT_SEED = 0;

    public CopyOptions {
        if (chunkSize <= 0 || chunkSize % 512 != 0) throw new IllegalArgumentException("chunk size must be a positive multiple of 512");
        if (chunks <= 0) throw new IllegalArgumentException("chunks must be positive");
        if (threads <= 0) throw new IllegalArgumentException("threads must be positive");
        if (chunks % threads != 0) {
            throw new IllegalArgumentException("threads must divide the number of chunks evenly (p2pmem-test's rule)");
        }
        if (!(durationSeconds > 0 || durationSeconds == -1)) {
            // p2pmem-test's -D: seconds to run, or -1 for one pass; anything else quietly meant one pass.
            throw new IllegalArgumentException("duration is seconds to run, or -1 for one pass; got " + durationSeconds);
        }
        if (offset < 0 || offset % 512 != 0) throw new IllegalArgumentException("offset must be a multiple of 512");
        if (check && (skipRead || skipWrite)) {
            throw new IllegalArgumentException("--check compares the destination with the source, so it needs both the "
                    + "read and the write: drop --skip-read/--skip-write, or drop --check");
        }
        if (check && chunks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--check keeps one sum per chunk: use at most " + Integer.MAX_VALUE + " chunks");
        }
        if (chunkSize > Long.MAX_VALUE / chunks) throw new IllegalArgumentException("chunks × chunk size is too large");
        allowWriteDevices = List.copyOf(allowWriteDevices);
    }

    public long total() {
        return chunkSize * chunks;
    }

    /// The buffer: one chunk per thread.
    public long bufferSize() {
        return chunkSize * threads;
    }
}
