package dev.p2pscope.core.topology.sysfs;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/// Resolves symbolic links inside a [FileTree] by hand, so that nothing is ever followed out of the tree's root
/// and every resolution is bounded. `..` is applied to the physical directory (after links), as the kernel's
/// path walk does.
///
/// The walk is iterative, one component at a time, like the kernel's `link_path_walk()`: a link's target is
/// pushed in front of the components still to walk. Like the kernel, a whole resolution follows at most
/// [#MAX_LINKS] links (`MAXSYMLINKS`) — counted over the whole walk, so a link fanning out into several links
/// (`l1 -> l2/../l2/../l2`) costs linear, not exponential, time — and a link target longer than [#MAX_TARGET]
/// (`PATH_MAX`) is refused. Resolved directories (every component but the last of the paths asked for) are
/// remembered, so a tree of N files costs about N lookups, not N × depth; the last component is walked each time,
/// which keeps the memo to about one entry per directory rather than one per attribute file read.
final class LinkResolver {

    /// Like the kernel's MAXSYMLINKS.
    static final int MAX_LINKS = 40;
    /// Like the kernel's PATH_MAX: a longer link target is `ENAMETOOLONG`.
    static final int MAX_TARGET = 4096;
    /// Prefixes remembered at most; past this the memo is cleared (it is only a cache).
    private static final int MEMO_MAX = 1 << 16;

    private final FileTree tree;
    /// Shared by the threads of a load: a concurrent map, and no lock around a resolution (whose lookups may
    /// be system calls). Two threads may walk the same prefix at once; both find the same answer.
    private final Map<String, Optional<String>> memo = new ConcurrentHashMap<>();
    /// Resolved paths known to be directories all the way down (every component a directory, none a link), met
    /// while walking. A link target of the usual sysfs form (`../../../devices/pci0000:00/0000:00:01.0/X`: `..`s,
    /// then names) is taken from its longest such prefix instead of component by component: walking through a
    /// directory that is not a link only lands in it, so the answer is the same. 10,000 `bus/pci/devices` links
    /// then cost a look-up or two each, not a walk down the whole hierarchy each.
    private final java.util.Set<String> directories = ConcurrentHashMap.newKeySet();

    LinkResolver(FileTree tree) {
        this.tree = tree;
    }

    Optional<String> resolve(String path) {
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
                if (c.isEmpty()) return c;   // a directory above it dangles or leaves the tree
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
        for (int i = 0; i < parts.length; i++) {
            boolean last = i == parts.length - 1;
            if (!written.isEmpty()) written.append('/');
            written.append(parts[i]);
            Optional<String> next = walk(cur, parts[i], links);
            if (next.isEmpty()) return last ? next : remember(written.toString(), next);
            cur = next.get();
            if (!last) remember(written.toString(), next);
        }
        return Optional.of(cur);
    }

    private Optional<String> remember(String path, Optional<String> result) {
        if (memo.size() >= MEMO_MAX) memo.clear();   // racing threads may clear twice: it is only a cache
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
                // Like the kernel, `..` is taken from a directory only: after a name that is missing or a file
                // (`missing/..`, `config/..`) the walk fails instead of climbing back out.
                if (tree.type(cur) != FileTree.Type.DIRECTORY) return Optional.empty();
                cur = FileTree.parent(cur);
                continue;
            }
            String candidate = FileTree.join(cur, name);
            FileTree.Type type = tree.type(candidate);
            if (type != FileTree.Type.LINK) {
                // cur has no link in it (links are expanded as met), so a directory here is one all the way down
                if (type == FileTree.Type.DIRECTORY) knownDirectory(candidate);
                cur = candidate;
                continue;
            }
            String target = tree.readLink(candidate).orElse("");
            if (++links[0] > MAX_LINKS || target.isEmpty() || target.startsWith("/") || target.length() > MAX_TARGET) {
                return Optional.empty();   // a loop, an absolute link (never leave the root), or too long
            }
            String[] t = target.split("/");
            int ups = 0;
            while (ups < t.length && t[ups].equals("..")) ups++;
            String from = ups < t.length && namesOnly(t, ups) ? up(cur, ups) : null;
            if (from == null) {   // any other form (or above the root, which the walk refuses): component by component
                for (int i = t.length - 1; i >= 0; i--) todo.push(t[i]);
                continue;
            }
            // `..`s from a path without links are its parents; then the longest known-directory prefix of the names
            String full = from;
            for (int i = ups; i < t.length; i++) full = FileTree.join(full, t[i]);
            int left = 0;   // names after the prefix, still to walk
            String prefix = full;
            while (!directories.contains(prefix)) {
                if (++left == t.length - ups) {
                    prefix = from;
                    break;
                }
                prefix = FileTree.parent(prefix);
            }
            cur = prefix;
            for (int i = t.length - 1; i >= t.length - left; i--) todo.push(t[i]);
        }
        return Optional.of(cur);
    }

    /// True when `t[from..]` are all plain names (no `.`, `..` or empty component).
    private static boolean namesOnly(String[] t, int from) {
        for (int i = from; i < t.length; i++) {
            if (t[i].isEmpty() || t[i].equals(".") || t[i].equals("..")) return false;
        }
        return true;
    }

    /// `path` with its last `ups` components removed, or null when that climbs above the root.
    private static String up(String path, int ups) {
        String p = path;
        for (int i = 0; i < ups; i++) {
            if (p.isEmpty()) return null;
            p = FileTree.parent(p);
        }
        return p;
    }

    /// True when `path` was met walking as a directory with no link in it (an answer from the cache only: false
    /// says nothing).
    boolean isKnownDirectory(String path) {
        return directories.contains(path);
    }

    private void knownDirectory(String path) {
        if (directories.size() >= MEMO_MAX) directories.clear();   // only a cache, like the memo
        directories.add(path);
    }

    /// The path without leading, trailing or repeated slashes (by hand: a regex here was a third of a load's time).
    static String strip(String path) {
        int from = 0;
        int to = path.length();
        while (from < to && path.charAt(from) == '/') from++;
        while (to > from && path.charAt(to - 1) == '/') to--;
        int dup = path.indexOf("//", from);
        if (dup < 0 || dup >= to) return from == 0 && to == path.length() ? path : path.substring(from, to);
        StringBuilder b = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = path.charAt(i);
            if (c != '/' || path.charAt(i - 1) != '/') b.append(c);
        }
        return b.toString();
    }
}
