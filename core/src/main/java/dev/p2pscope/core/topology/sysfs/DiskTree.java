package dev.p2pscope.core.topology.sysfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// A [FileTree] on disk, rooted at a directory (`/` for this host).
///
/// A load asks about twenty names in each function's directory, most of which a given function lacks (`physfn`,
/// `p2pmem`, `modalias`, ...). The listings of the directories asked about recently are kept (names, and each
/// name's type once looked up), so an absent name costs no system call and no exception, and a present one a
/// single `lstat`. A tree is a snapshot for one load: changes made on disk after a directory was listed are not
/// seen by the same [DiskTree].
public final class DiskTree implements FileTree {

    /// Directories whose listings are kept at once (the least recently used is dropped).
    private static final int LISTINGS_KEPT = 256;
    /// A directory with more names is not kept (its names are looked up one by one, as without a listing).
    private static final int LISTING_MAX_NAMES = 4096;
    /// Names a listing returns at most, whatever is there.
    private static final int LIST_MAX = 100_000;
    /// Stands for a directory whose listing is not kept (too large, or not a readable directory).
    private static final Map<String, Type> NOT_KEPT = Map.of();

    private final Path root;
    private final LinkResolver resolver = new LinkResolver(this);
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(8192);
    private final Map<String, Map<String, Type>> listings = new LinkedHashMap<>(LISTINGS_KEPT * 2, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Type>> eldest) {
            return size() > LISTINGS_KEPT;
        }
    };

    public DiskTree(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String describe() {
        return root.toString();
    }

    private Path at(String path) {
        return path.isEmpty() ? root : root.resolve(path);
    }

    @Override
    public Type type(String path) {
        String name = FileTree.name(path);
        if (path.isEmpty() || name.isEmpty() || name.equals(".") || name.equals("..")) return lstat(path);
        synchronized (listings) {
            Map<String, Type> names = listing(FileTree.parent(path));
            if (names == NOT_KEPT) return lstat(path);
            if (!names.containsKey(name)) return Type.MISSING;
            Type t = names.get(name);
            if (t == null) {
                t = lstat(path);
                names.put(name, t);
            }
            return t;
        }
    }

    /// The kept listing of `dir` (as given: links in it are followed by the system, as `lstat` of a path below it
    /// would), listing it now when it is not kept yet.
    private Map<String, Type> listing(String dir) {
        Map<String, Type> names = listings.get(dir);
        if (names != null) return names;
        names = new HashMap<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(at(dir))) {
            for (Path p : s) {
                if (names.size() >= LISTING_MAX_NAMES) {
                    names = NOT_KEPT;
                    break;
                }
                names.put(p.getFileName().toString(), null);
            }
        } catch (IOException | SecurityException e) {
            names = NOT_KEPT;
        }
        listings.put(dir, names);
        return names;
    }

    private Type lstat(String path) {
        try {
            BasicFileAttributes a = Files.readAttributes(at(path), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) return Type.LINK;
            if (a.isDirectory()) return Type.DIRECTORY;
            if (a.isRegularFile()) return Type.FILE;
            return Type.OTHER;
        } catch (IOException | SecurityException e) {
            return Type.MISSING;
        }
    }

    @Override
    public Optional<String> readLink(String path) {
        if (type(path) != Type.LINK) return Optional.empty();   // no failed readlink (and exception) per absent link
        try {
            return Optional.of(Files.readSymbolicLink(at(path)).toString());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<String> list(String path) {
        Optional<String> r = resolve(path);
        if (r.isEmpty() || type(r.get()) != Type.DIRECTORY) return List.of();
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(at(r.get()))) {
            for (Path p : s) {
                out.add(p.getFileName().toString());
                if (out.size() > LIST_MAX) break;   // a bounded listing, whatever is there
            }
        } catch (IOException | SecurityException e) {
            return List.of();
        }
        out.sort(null);
        return out;
    }

    @Override
    public byte[] read(String path, int max) throws IOException {
        String r = resolve(path).orElseThrow(() -> new IOException(path + ": link dangles or leaves the tree"));
        if (type(r) != Type.FILE) throw new IOException(path + ": not a regular file");
        // A channel read straight into a buffer: an input stream's readNBytes asks the file's size and position
        // first (two more system calls per attribute, and sysfs sizes are all 4096 anyway). NOFOLLOW_LINKS: a
        // file swapped for a link since its type was looked up is refused, not followed.
        try (FileChannel ch = FileChannel.open(at(r), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buf;
            synchronized (scratch) {
                // Most reads fit the reused direct buffer: one exact-size array per attribute, no 4 KiB garbage.
                scratch.clear().limit(Math.min(max, scratch.capacity()));
                boolean eof = false;
                while (scratch.hasRemaining()) {
                    if (ch.read(scratch) < 0) {
                        eof = true;
                        break;
                    }
                }
                byte[] head = new byte[scratch.position()];
                scratch.flip().get(head);
                if (eof || head.length >= max) return head;
                buf = ByteBuffer.allocate((int) Math.min(max, 2L * head.length)).put(head);
            }
            while (true) {
                if (!buf.hasRemaining()) {
                    if (buf.capacity() >= max) break;
                    ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(max, 2L * buf.capacity()));
                    bigger.put(buf.flip());
                    buf = bigger;
                }
                if (ch.read(buf) < 0) break;
            }
            return Arrays.copyOf(buf.array(), buf.position());
        } catch (SecurityException | UnsupportedOperationException e) {
            throw new IOException(path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> resolve(String path) {
        return resolver.resolve(path);
    }
}
