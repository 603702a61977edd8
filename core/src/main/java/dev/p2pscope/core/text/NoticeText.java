package dev.p2pscope.core.text;

import dev.p2pscope.core.topology.LoadProblem;

import java.util.ArrayList;
import java.util.List;

/// Problems and notices of a load as the lines a terminal shows: the first few in full, then how many more,
/// so 300,000 problems print a screenful, not 139 MB.
public final class NoticeText {

    /// How many problems a refusal prints in full.
    public static final int PROBLEMS_SHOWN = 50;
    /// How many notices a load prints in full.
    public static final int NOTICES_SHOWN = 5;

    private NoticeText() {
    }

    /// The problems of a refused load, one per line, capped at [#PROBLEMS_SHOWN].
    public static List<String> problems(List<LoadProblem> problems) {
        List<String> out = new ArrayList<>();
        int n = Math.min(problems.size(), PROBLEMS_SHOWN);
        for (int i = 0; i < n; i++) out.add(problems.get(i).toString());
        if (problems.size() > n) {
            out.add("... and " + (problems.size() - n) + " more problems (" + problems.size() + " in all)");
        }
        return out;
    }

    /// The notices of a successful load: a count line, then the first [#NOTICES_SHOWN]; nothing when there are none.
    public static List<String> notices(List<LoadProblem> notices) {
        List<String> out = new ArrayList<>();
        if (notices.isEmpty()) return out;
        out.add(notices.size() == 1 ? "1 notice while loading:"
                : notices.size() + " notices while loading" + (notices.size() > NOTICES_SHOWN
                ? " (the first " + NOTICES_SHOWN + "; --quiet hides them):" : ":"));
        for (int i = 0; i < Math.min(NOTICES_SHOWN, notices.size()); i++) out.add("  " + notices.get(i));
        return out;
    }
}
