package dev.p2pscope.core.topology;

import dev.p2pscope.core.text.NoticeText;

import java.util.List;

/// A topology source that cannot be used: every problem found, each with its place. Nothing was loaded.
///
/// The exception's message holds the first [NoticeText#PROBLEMS_SHOWN] problems and a count of the rest;
/// [#problems] holds them all.
public final class TopologyLoadException extends Exception {

    private final transient List<LoadProblem> problems;

    public TopologyLoadException(List<LoadProblem> problems) {
        super(String.join("\n", NoticeText.problems(requireSome(problems))));
        this.problems = List.copyOf(problems);
    }

    public TopologyLoadException(String source, String message) {
        this(List.of(new LoadProblem(source, "", 0, 0, message)));
    }

    private static List<LoadProblem> requireSome(List<LoadProblem> problems) {
        if (problems.isEmpty()) throw new IllegalArgumentException("a load failure needs at least one problem");
        return problems;
    }

    public List<LoadProblem> problems() {
        return problems;
    }
}
