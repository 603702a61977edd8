package dev.p2pscope.core.model;

import java.util.List;
import java.util.stream.Collectors;

/// A topology that breaks the model's rules (unknown parents, cycles, duplicate addresses...). Carries every
/// problem found, not only the first.
public final class InvalidTopologyException extends IllegalArgumentException {

    private final transient List<TopologyProblem> problems;

    public InvalidTopologyException(List<TopologyProblem> problems) {
        super(problems.stream().map(p -> (p.index() >= 0 ? "devices[" + p.index() + "]" : "topology")
                + (p.field() == null ? "" : "." + p.field()) + ": " + p.message())
                .collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<TopologyProblem> problems() {
        return problems;
    }
}
