package dev.p2pscope.core.topology.sysfs;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/// Resolves symbolic links inside a [FileTree] by hand, so that nothing is ever followed out of the tree's root
/// and every resolution is bounded. `..` is applied to the physical directory (after links), as the kernel's
/// path walk does.
///
/// The walk is iterative, one component at a time, like the kernel's `link_path_walk()`: a link's target is
/// pushed in front of the components still to walk. Like the kernel, a whole resolution follows at most
/// [#MAX_LINKS] links (`MAXSYMLINKS`) — counted over the whole walk, so a link fanning out into several links
/// (`l1 -> l2/../l2/../l2`) costs linear, not exponential, time — and a link target longer than [#MAX_TARGET]
/// (`PATH_MAX`) is refused. Resolved prefixes of the paths asked for are remembered, so a tree of N files costs
/// about N lookups, not N × depth.
final class LinkResolver {

    /// Like the kernel's MAXSYMLINKS.
    static final int MAX_LINKS = 40;
    /// Like the kernel's PATH_MAX: a longer link target is `ENAMETOOLONG`.
    static final int MAX_TARGET = 4096;
    /// Prefixes remembered at most; past this the memo is cleared (it is only a cache).
    private static final int MEMO_MAX = 1 << 20;

    private final FileTree tree;
    private final Map<String, Optional<String>> memo = new HashMap<>();

    LinkResolver(FileTree tree) {
        this.tree = tree;
    }

    synchronized Optional<String> resolve(String path) {
        String p = strip(path);
        if (p.isEmpty()) return Optional.of("");
        Optional<String> cached = memo.get(p);
        if (cached != null) return cached;
        // The longest remembered prefix of the path as written.
        String start = "";
        int from = 0;
        for (int i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
            Optional<String> c = memo.get(p.substring(0, i));
            if (c != null) {
                if (c.isEmpty()) return remember(p, Optional.empty());
                start = c.get();
                from = i + 1;
                break;
            }
        }
        // Walk the written components one by one, remembering each written prefix (links met on the way are
        // expanded in a nested walk that shares the link budget).
        String[] parts = p.substring(from).split("/");
        String cur = start;
        int[] links = {0};
        StringBuilder written = new StringBuilder(p.substring(0, Math.max(0, from - 1)));
        for (String part : parts) {
            if (!written.isEmpty()) written.append('/');
            written.append(part);
            Optional<String> next = walk(cur, part, links);
            if (next.isEmpty()) return remember(written.toString(), Optional.empty());
            cur = next.get();
            remember(written.toString(), next);
        }
        return Optional.of(cur);
    }

    private Optional<String> remember(String path, Optional<String> result) {
        if (memo.size() >= MEMO_MAX) memo.clear();
        memo.put(path, result);
        return result;
    }

    /// From the resolved directory `dir`, walks `first` and then whatever links expand into, iteratively.
    private Optional<String> walk(String dir, String first, int[] links) {
        Deque<String> todo = new ArrayDeque<>();
        todo.push(first);
        String cur = dir;
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (name.isEmpty() || name.equals(".")) continue;
            if (name.equals("..")) {
                if (cur.isEmpty()) return Optional.empty();   // above the root
                cur = FileTree.parent(cur);
                continue;
            }
            String candidate = FileTree.join(cur, name);
            if (tree.type(candidate) != FileTree.Type.LINK) {
                cur = candidate;
                continue;
            }
            String target = tree.readLink(candidate).orElse("");
            if (++links[0] > MAX_LINKS || target.isEmpty() || target.startsWith("/") || target.length() > MAX_TARGET) {
                return Optional.empty();   // a loop, an absolute link (never leave the root), or too long
            }
            String[] t = target.split("/");
            for (int i = t.length - 1; i >= 0; i--) todo.push(t[i]);
        }
        return Optional.of(cur);
    }

    private static String strip(String path) {
        String p = path;
        while (p.startsWith("/")) p = p.substring(1);
        while (p.endsWith("/")) p = p.substring(0, p.length() - 1);
        return p.contains("//") ? p.replaceAll("/+", "/") : p;
    }
}
