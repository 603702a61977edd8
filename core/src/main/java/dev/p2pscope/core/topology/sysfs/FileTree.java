package dev.p2pscope.core.topology.sysfs;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/// A read-only tree of files, directories and symbolic links, addressed by `/`-separated paths relative to its
/// root: a directory on disk or a tarball read in place.
///
/// Symbolic links are resolved by the tree itself, one component at a time, and never outside the root: an
/// absolute link, or a relative one that climbs above the root, is refused rather than followed.
public interface FileTree {

    /// What a path is, without following a final symbolic link.
    enum Type { MISSING, FILE, DIRECTORY, LINK, OTHER }

    /// A description of the tree for messages (the file or directory it was opened from).
    String describe();

    Type type(String path);

    /// The target of the link at `path`, as stored.
    Optional<String> readLink(String path);

    /// Names in the directory `path` (after resolving links), sorted; empty when not a directory.
    List<String> list(String path);

    /// Up to `max` bytes of the regular file at `path` (after resolving links).
    ///
    /// @throws IOException when it is missing, not a regular file, unreadable, or reached through a link out of
    ///                     the tree
    byte[] read(String path, int max) throws IOException;

    /// `path` with every symbolic link resolved, inside the tree, or empty when a link dangles, loops or leaves it.
    Optional<String> resolve(String path);

    /// Runs `work`, which reads several files of one directory after another on this thread, letting the tree keep
    /// what makes that cheaper between them (on disk: the directory open, so that each file costs one path
    /// component for the kernel to walk instead of the whole path); released when `work` returns.
    default <T> T batch(java.util.function.Supplier<T> work) {
        return work.get();
    }

    /// Like [#batch(java.util.function.Supplier)], for `work` that reads the files of the directory `dir`: the tree
    /// may make that directory the open one from the start.
    default <T> T batch(String dir, java.util.function.Supplier<T> work) {
        return batch(work);
    }

    default boolean exists(String path) {
        return resolve(path).map(p -> type(p) != Type.MISSING).orElse(false);
    }

    default boolean isDirectory(String path) {
        return resolve(path).map(p -> type(p) == Type.DIRECTORY).orElse(false);
    }

    /// The file's text, trimmed, or empty when it cannot be read.
    default Optional<String> text(String path, int max) {
        try {
            return Optional.of(new String(read(path, max), java.nio.charset.StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /// Joins path components (either may be empty).
    static String join(String a, String b) {
        if (a.isEmpty()) return b;
        if (b.isEmpty()) return a;
        return a + "/" + b;
    }

    /// The name of `path` when it names something directly in the directory `dir` (one component below it, not
    /// `.` or `..`), else null. Both are paths as the tree writes them (no leading, trailing or repeated slash);
    /// `dir` is not the root.
    static String nameIn(String dir, String path) {
        int n = dir.length();
        if (n == 0 || path.length() <= n + 1 || path.charAt(n) != '/' || !path.startsWith(dir)
                || path.indexOf('/', n + 1) >= 0) {
            return null;
        }
        String name = path.substring(n + 1);
        return name.equals(".") || name.equals("..") ? null : name;
    }

    /// The last component of a path.
    static String name(String path) {
        int i = path.lastIndexOf('/');
        return i < 0 ? path : path.substring(i + 1);
    }

    /// Everything before the last component ("" at the top).
    static String parent(String path) {
        int i = path.lastIndexOf('/');
        return i < 0 ? "" : path.substring(0, i);
    }
}
