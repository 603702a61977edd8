package dev.p2pscope.core.engine;

import dev.p2pscope.core.model.PciAddress;

import java.util.AbstractList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Consumer;

/// The pairs whose verdict (map type or distance) differs between two matrices, such as a what-if against the
/// topology as loaded, held compactly: one bit per ordered pair of the first matrix's devices (2.2 MB for 4,224
/// devices, where an allowlist edit's 17.7 million [VerdictMatrix.PairChange] objects took about 2 GB) with a
/// running count per row. So the count is known at once, whether a pair changed is one lookup, and the k-th
/// changed pair (provider-major, the order [VerdictMatrix#diff] lists them in) is made only when asked.
///
/// Immutable; safe to hand from a background task to the UI thread.
public final class ChangedPairs {

    private static final ChangedPairs NONE = new ChangedPairs(null, null, null, 0, new long[0], new long[0]);

    private final VerdictMatrix before;
    private final VerdictMatrix after;
    /// Index in `after` of each of `before`'s devices (-1: not there), or null when both have the same devices.
    private final int[] toAfter;
    /// Longs per row of `bits`.
    private final int words;
    /// Bit `j` of row `i` (word `i * words + j / 64`): the pair (provider i, client j) of `before` changed.
    private final long[] bits;
    /// `rowEnd[i]`: how many pairs changed in rows 0 to i.
    private final long[] rowEnd;

    private ChangedPairs(VerdictMatrix before, VerdictMatrix after, int[] toAfter, int words, long[] bits,
                         long[] rowEnd) {
        this.before = before;
        this.after = after;
        this.toAfter = toAfter;
        this.words = words;
        this.bits = bits;
        this.rowEnd = rowEnd;
    }

    /// No changed pair.
    public static ChangedPairs none() {
        return NONE;
    }

    /// The pairs that differ between `before` and `after`, over the devices both contain (pairs are named by
    /// `before`'s devices).
    public static ChangedPairs between(VerdictMatrix before, VerdictMatrix after) {
        int n = before.size();
        int words = (n + 63) >>> 6;
        long[] bits = new long[Math.multiplyExact(n, words)];
        int[] toAfter = null;
        if (before.devices().equals(after.devices())) {
            VerdictMatrix.scan(before, after, (i, j) -> bits[i * words + (j >>> 6)] |= 1L << j);
        } else {
            toAfter = new int[n];
            for (int i = 0; i < n; i++) toAfter[i] = after.indexOf(before.devices().get(i));
            for (int i = 0; i < n; i++) {
                int ai = toAfter[i];
                if (ai < 0) continue;
                for (int j = 0; j < n; j++) {
                    int aj = toAfter[j];
                    if (aj < 0) continue;
                    if (before.mapType(i, j) != after.mapType(ai, aj) || before.distance(i, j) != after.distance(ai, aj)) {
                        bits[i * words + (j >>> 6)] |= 1L << j;
                    }
                }
            }
        }
        long[] rowEnd = new long[n];
        long total = 0;
        for (int i = 0; i < n; i++) {
            for (int w = i * words, end = w + words; w < end; w++) total += Long.bitCount(bits[w]);
            rowEnd[i] = total;
        }
        return new ChangedPairs(before, after, toAfter, words, bits, rowEnd);
    }

    /// How many ordered pairs changed.
    public long count() {
        return rowEnd.length == 0 ? 0 : rowEnd[rowEnd.length - 1];
    }

    public boolean isEmpty() {
        return count() == 0;
    }

    /// Whether the pair (provider `i`, client `j`), as indices of the first matrix's devices, changed.
    public boolean contains(int i, int j) {
        int n = rowEnd.length;
        if (i < 0 || j < 0 || i >= n || j >= n) return false;
        return (bits[i * words + (j >>> 6)] & (1L << j)) != 0;
    }

    /// Whether the pair `provider` → `client` changed (false for a function the matrices do not show).
    public boolean contains(PciAddress provider, PciAddress client) {
        return before != null && contains(before.indexOf(provider), before.indexOf(client));
    }

    /// The functions at either end of at least one changed pair (what a tree view marks), found from the bits
    /// without making a single pair.
    public Set<PciAddress> ends() {
        int n = rowEnd.length;
        long[] columns = new long[words];
        Set<PciAddress> out = new HashSet<>();
        for (int i = 0; i < n; i++) {
            if (rowEnd[i] == (i == 0 ? 0 : rowEnd[i - 1])) continue;
            out.add(before.devices().get(i));
            for (int w = 0; w < words; w++) columns[w] |= bits[i * words + w];
        }
        for (int w = 0; w < words; w++) {
            for (long c = columns[w]; c != 0; c &= c - 1) out.add(before.devices().get((w << 6) + Long.numberOfTrailingZeros(c)));
        }
        return out;
    }

    /// The `k`-th changed pair, provider-major (0 ≤ k < [#count()]), made now.
    ///
    /// @throws IndexOutOfBoundsException outside that range
    public VerdictMatrix.PairChange get(long k) {
        if (k < 0 || k >= count()) throw new IndexOutOfBoundsException("pair " + k + " of " + count());
        // The row: the first whose running count passes k.
        int lo = 0;
        int hi = rowEnd.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (rowEnd[mid] > k) hi = mid;
            else lo = mid + 1;
        }
        int i = lo;
        long r = k - (i == 0 ? 0 : rowEnd[i - 1]);
        for (int w = 0; w < words; w++) {
            long word = bits[i * words + w];
            int c = Long.bitCount(word);
            if (r >= c) {
                r -= c;
                continue;
            }
            for (; r > 0; r--) word &= word - 1;   // drop the lowest set bits before the one wanted
            return change(i, (w << 6) + Long.numberOfTrailingZeros(word));
        }
        throw new IllegalStateException("row counts disagree with the bits");
    }

    /// Every changed pair in order, made one at a time (none is kept).
    public void forEach(Consumer<VerdictMatrix.PairChange> action) {
        for (int i = 0; i < rowEnd.length; i++) {
            if (rowEnd[i] == (i == 0 ? 0 : rowEnd[i - 1])) continue;
            for (int w = 0; w < words; w++) {
                long word = bits[i * words + w];
                while (word != 0) {
                    action.accept(change(i, (w << 6) + Long.numberOfTrailingZeros(word)));
                    word &= word - 1;
                }
            }
        }
    }

    /// Every changed pair in order, made as the iteration reaches it.
    public Iterator<VerdictMatrix.PairChange> iterator() {
        return new Iterator<>() {
            private int row = -1;
            private int word = -1;
            private long rest;

            @Override
            public boolean hasNext() {
                while (rest == 0) {
                    if (row >= rowEnd.length) return false;
                    if (++word >= words || row < 0) {
                        // The next row with a change.
                        do row++; while (row < rowEnd.length && rowEnd[row] == (row == 0 ? 0 : rowEnd[row - 1]));
                        if (row >= rowEnd.length) {
                            row = rowEnd.length;
                            return false;
                        }
                        word = 0;
                    }
                    rest = bits[row * words + word];
                }
                return true;
            }

            @Override
            public VerdictMatrix.PairChange next() {
                if (!hasNext()) throw new NoSuchElementException();
                int j = (word << 6) + Long.numberOfTrailingZeros(rest);
                rest &= rest - 1;
                return change(row, j);
            }
        };
    }

    /// A read-only list over the changed pairs whose elements are made when read: as large as [#count()] but
    /// holding nothing besides this object.
    ///
    /// @throws ArithmeticException when more pairs changed than a list can index (over 2^31 - 1)
    public List<VerdictMatrix.PairChange> asList() {
        int size = Math.toIntExact(count());
        return new AbstractList<>() {
            @Override
            public VerdictMatrix.PairChange get(int index) {
                return ChangedPairs.this.get(index);
            }

            @Override
            public int size() {
                return size;
            }

            @Override
            public Iterator<VerdictMatrix.PairChange> iterator() {
                return ChangedPairs.this.iterator();
            }
        };
    }

    private VerdictMatrix.PairChange change(int i, int j) {
        return toAfter == null ? VerdictMatrix.PairChange.of(before, after, i, j, i, j)
                : VerdictMatrix.PairChange.of(before, after, i, j, toAfter[i], toAfter[j]);
    }
}
