package dev.p2pscope.core.topology.sysfs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/// Resolves symbolic links inside a [FileTree] by hand, component by component, so that nothing is ever followed
/// out of the tree's root and a loop ends after a bounded number of hops.
final class LinkResolver {

    /// Like the kernel's MAXSYMLINKS.
    static final int MAX_LINKS = 40;

    private LinkResolver() {
    }

    static Optional<String> resolve(FileTree tree, String path) {
        Deque<String> todo = new ArrayDeque<>(split(path));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.isEmpty() || c.equals(".")) continue;
            if (c.equals("..")) {
                if (done.isEmpty()) return Optional.empty();   // above the root
                done.removeLast();
                continue;
            }
            done.add(c);
            String current = String.join("/", done);
            if (tree.type(current) == FileTree.Type.LINK) {
                if (++links > MAX_LINKS) return Optional.empty();
                String target = tree.readLink(current).orElse("");
                if (target.startsWith("/") || target.isEmpty()) return Optional.empty();   // never leave the root
                done.removeLast();
                List<String> parts = split(target);
                for (int i = parts.size() - 1; i >= 0; i--) todo.addFirst(parts.get(i));
            }
        }
        return Optional.of(String.join("/", done));
    }

    private static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) out.add(s);
        }
        return out;
    }
}
