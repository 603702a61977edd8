package dev.p2pscope.core.topology.sysfs;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/// Resolves symbolic links inside a [FileTree] by hand, so that nothing is ever followed out of the tree's root
/// and a loop ends after a bounded number of hops. `..` is applied to the physical directory (after links), as
/// the kernel does. Every written prefix is remembered, so a tree of N files costs about N lookups, not N × depth.
final class LinkResolver {

    /// Like the kernel's MAXSYMLINKS.
    static final int MAX_LINKS = 40;

    private final FileTree tree;
    private final Map<String, Optional<String>> memo = new HashMap<>();

    LinkResolver(FileTree tree) {
        this.tree = tree;
    }

    synchronized Optional<String> resolve(String path) {
        return resolve(strip(path), 0);
    }

    private Optional<String> resolve(String path, int hops) {
        if (path.isEmpty()) return Optional.of("");
        Optional<String> cached = memo.get(path);
        if (cached != null) return cached;
        Optional<String> parent = resolve(FileTree.parent(path), hops);
        String name = FileTree.name(path);
        Optional<String> result;
        if (parent.isEmpty()) {
            result = Optional.empty();
        } else if (name.isEmpty() || name.equals(".")) {
            result = parent;
        } else if (name.equals("..")) {
            result = parent.get().isEmpty() ? Optional.empty() : Optional.of(FileTree.parent(parent.get()));   // above the root
        } else {
            String candidate = FileTree.join(parent.get(), name);
            if (tree.type(candidate) == FileTree.Type.LINK) {
                String target = tree.readLink(candidate).orElse("");
                if (hops >= MAX_LINKS || target.isEmpty() || target.startsWith("/")) {
                    result = Optional.empty();   // a loop, or an absolute link: never leave the root
                } else {
                    result = resolve(strip(FileTree.join(parent.get(), target)), hops + 1);
                }
            } else {
                result = Optional.of(candidate);
            }
        }
        if (hops == 0) memo.put(path, result);
        return result;
    }

    private static String strip(String path) {
        String p = path;
        while (p.startsWith("/")) p = p.substring(1);
        while (p.endsWith("/")) p = p.substring(0, p.length() - 1);
        return p.replaceAll("/+", "/");
    }
}
