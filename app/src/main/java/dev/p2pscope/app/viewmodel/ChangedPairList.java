package dev.p2pscope.app.viewmodel;

import dev.p2pscope.core.engine.ChangedPairs;
import dev.p2pscope.core.engine.VerdictMatrix;
import javafx.collections.ObservableListBase;

import java.util.Iterator;

/// The what-if's changed pairs as an observable list whose rows are made only when read: its size is the count
/// at once, and a list view shows millions of them by asking for the few rows on screen. Swapping in a new
/// [ChangedPairs] is one change event, whatever the count; nothing is copied.
final class ChangedPairList extends ObservableListBase<VerdictMatrix.PairChange> {

    private ChangedPairs pairs = ChangedPairs.none();
    private int size;

    ChangedPairs pairs() {
        return pairs;
    }

    /// Shows `next` in place of the pairs shown so far (one replace, add or remove event; none when both are
    /// empty). The removed rows are handed to listeners as a list that is made as it is read, too.
    void set(ChangedPairs next) {
        ChangedPairs old = pairs;
        int oldSize = size;
        pairs = next;
        size = Math.toIntExact(next.count());
        if (oldSize == 0 && size == 0) return;
        beginChange();
        if (oldSize == 0) nextAdd(0, size);
        else if (size == 0) nextRemove(0, old.asList());
        else nextReplace(0, size, old.asList());
        endChange();
    }

    @Override
    public VerdictMatrix.PairChange get(int index) {
        if (index < 0 || index >= size) throw new IndexOutOfBoundsException("row " + index + " of " + size);
        return pairs.get(index);
    }

    /// In order, without looking each row up again (a consumer that walks every pair).
    @Override
    public Iterator<VerdictMatrix.PairChange> iterator() {
        return pairs.iterator();
    }

    @Override
    public int size() {
        return size;
    }
}
