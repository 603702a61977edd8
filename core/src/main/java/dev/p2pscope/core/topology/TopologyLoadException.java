package dev.p2pscope.core.topology;

import java.util.List;
import java.util.stream.Collectors;

/// A topology source that cannot be used: every problem found, each with its place. Nothing was loaded.
public final class TopologyLoadException extends Exception {

    private final transient List<LoadProblem> problems;

    public TopologyLoadException(List<LoadProblem> problems) {
        super(problems.stream().map(LoadProblem::toString).collect(Collectors.joining("\n")));
        if (problems.isEmpty()) throw new IllegalArgumentException("a load failure needs at least one problem");
        this.problems = List.copyOf(problems);
    }

    public TopologyLoadException(String source, String message) {
        this(List.of(new LoadProblem(source, "", 0, 0, message)));
    }

    public List<LoadProblem> problems() {
        return problems;
    }
}
