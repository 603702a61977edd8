package dev.p2pscope.core.model;

import java.util.ArrayList;
import java.util.List;

/// What-if changes to the kernel's built-in host-bridge allowlist: entries added and vendor:device IDs removed.
/// Kept with the topology so an edited topology can be saved and reopened with the same verdicts.
public record AllowlistOverrides(List<AllowlistEntry> added, List<AllowlistEntry> removed) {

    public static final AllowlistOverrides NONE = new AllowlistOverrides(List.of(), List.of());

    public AllowlistOverrides {
        added = List.copyOf(added);
        removed = List.copyOf(removed);
    }

    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty();
    }

    /// Adds `entry` (replacing an added entry with the same ID, and cancelling an earlier removal of it).
    public AllowlistOverrides add(AllowlistEntry entry) {
        List<AllowlistEntry> a = new ArrayList<>(added);
        a.removeIf(entry::sameId);
        a.add(entry);
        List<AllowlistEntry> r = new ArrayList<>(removed);
        r.removeIf(entry::sameId);
        return new AllowlistOverrides(a, r);
    }

    /// Removes the entry with `entry`'s vendor:device, whether built in or added.
    public AllowlistOverrides remove(AllowlistEntry entry) {
        List<AllowlistEntry> a = new ArrayList<>(added);
        a.removeIf(entry::sameId);
        List<AllowlistEntry> r = new ArrayList<>(removed);
        r.removeIf(entry::sameId);
        r.add(new AllowlistEntry(entry.vendor(), entry.device(), false));
        return new AllowlistOverrides(a, r);
    }
}
