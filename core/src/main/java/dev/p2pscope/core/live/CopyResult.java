package dev.p2pscope.core.live;

import java.util.List;
import java.util.Locale;

/// What a copy did.
///
/// @param bytesRead     bytes read from the source into the buffer
/// @param bytesWritten  bytes written from the buffer to the destination
/// @param seconds       elapsed wall time of the copy (not the check)
/// @param perSecondMBs  MB/s in each second of the copy
/// @param check         the data check, or null when not asked for
public record CopyResult(long bytesRead, long bytesWritten, double seconds, List<Double> perSecondMBs, Check check) {

    public CopyResult {
        perSecondMBs = List.copyOf(perSecondMBs);
    }

    /// The check: XOR parity of what was written to the source and of what the destination holds, like
    /// p2pmem-test, plus a per-chunk CRC32C comparison.
    public record Check(boolean match, long expectedParity, long actualParity, long mismatchedChunks, long chunks) { }

    /// The check in `p2pmem-test`'s words (`MATCH on data check, 0x… = 0x….`), or null without a check: what
    /// `copy` prints and the Live tab shows.
    public String checkLine() {
        if (check == null) return null;
        return String.format(Locale.ROOT, "%s on data check, 0x%016x %s 0x%016x%s.", check.match() ? "MATCH" : "MISMATCH",
                check.expectedParity(), check.match() ? "=" : "!=", check.actualParity(),
                check.mismatchedChunks() == 0 ? "" : " (" + check.mismatchedChunks() + " of " + check.chunks()
                        + " chunks differ)");
    }

    /// MB/s over the whole copy (bytes moved = the larger of read and written).
    public double rateMBs() {
        return seconds <= 0 ? 0 : Math.max(bytesRead, bytesWritten) / seconds / 1e6;
    }
}
