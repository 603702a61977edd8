package dev.p2pscope.core.topology;

import dev.p2pscope.core.model.Topology;

import java.util.List;

/// A loaded topology and the notices met on the way (unknown keys, inferred facts, skipped files).
public record LoadResult(Topology topology, List<LoadProblem> notices) {
    public LoadResult {
        notices = List.copyOf(notices);
    }
}
