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
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/// A [FileTree] on disk, rooted at a directory (`/` for this host).
///
/// A load asks about twenty names in each function's directory, most of which a given function lacks (`physfn`,
/// `p2pmem`, `modalias`, ...). The listings of the directories asked about recently are kept with each name's
/// type, so an absent name costs no system call and no exception, and a present one none either (the type comes
/// with the listing, `d_type`, through [NativeFs]; through `java.nio.file`, where it does not, one `lstat`,
/// remembered). A tree is a snapshot for one load: changes made on disk after a directory was listed are not seen
/// by the same [DiskTree].
///
/// Safe for use by several threads at once (a load reads functions on two): the kept listings are in a concurrent
/// map, and no lock is held during a system call.
public final class DiskTree implements FileTree {

    /// Names kept at most over all kept listings (the earliest kept listing is dropped first): every
    /// directory of a 10,000-function tree (~120,000 names, ~12 MB), and bounded whatever the tree holds.
    private static final int NAMES_KEPT = 1 << 18;
    /// A directory with more names is not kept (its names are looked up one by one, as without a listing). Large
    /// enough for `bus/pci/devices` of a big machine, whose every name the load looks up.
    private static final int LISTING_MAX_NAMES = 1 << 16;
    /// Names a listing returns at most, whatever is there.
    private static final int LIST_MAX = 100_000;
    /// Stands for a directory whose listing is not kept (too large, or not a readable directory).
    private static final Listing NOT_KEPT = Listing.NOT_KEPT;
    /// In a kept listing: a name whose type is not known yet (the file system did not say; looked up when asked).
    static final Type UNKNOWN_TYPE = Type.MISSING;
    /// The reused read buffer of each thread.
    static final int SCRATCH_BYTES = 8192;

    private final Path root;
    private final byte[] rootBytes;
    /// Whether [NativeFs] is ready. Getting it ready (linking the calls, ~0.15 s of CPU) is started when the first
    /// [DiskTree] is made (or earlier, by [#prepareNative] through [SysfsLoader#prepare]), on a thread of its own:
    /// on two cores it overlaps the start of the command and the first listings. Until it is ready, and where FFM
    /// cannot be used, `java.nio.file` answers (the same answers, with more system calls: an `lstat` per name).
    private static volatile boolean nativeReady;
    private static final java.util.concurrent.atomic.AtomicBoolean NATIVE_STARTED = new java.util.concurrent.atomic.AtomicBoolean();

    private static boolean nativeFs() {
        return nativeReady;
    }

    private static final java.util.concurrent.CountDownLatch NATIVE_TRIED = new java.util.concurrent.CountDownLatch(1);

    /// Starts getting [NativeFs] ready, once per process.
    static void prepareNative() {
        if (!NATIVE_STARTED.compareAndSet(false, true)) return;
        Thread.ofPlatform().daemon().name("p2pscope-nativefs").start(() -> {
            try {
                if (NativeFs.AVAILABLE && NativeFs.warmUp()) nativeReady = true;
            } catch (RuntimeException | LinkageError e) {
                // stays on java.nio.file
            } finally {
                NATIVE_TRIED.countDown();
            }
        });
    }

    /// Waits until [NativeFs] is ready or known unusable (for tests of the FFM path); true when ready.
    static boolean awaitNative() throws InterruptedException {
        prepareNative();
        NATIVE_TRIED.await();
        return nativeReady;
    }

    private final LinkResolver resolver = new LinkResolver(this);
    private final ThreadLocal<ByteBuffer> scratch = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(SCRATCH_BYTES));
    /// Kept listings by directory: a concurrent map, looked up without a lock by both reading threads (a lock
    /// here was contended on every path component a link walk looks up).
    private final ConcurrentHashMap<String, Listing> listings = new ConcurrentHashMap<>(1024);
    /// The kept directories, eldest first (dropped in that order when [#NAMES_KEPT] is passed).
    private final java.util.concurrent.ConcurrentLinkedQueue<String> keptOrder = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger keptNames = new java.util.concurrent.atomic.AtomicInteger();
    /// The directory a [#batch] on this thread has open: at most one descriptor per thread, closed when it ends.
    private final ThreadLocal<Batch> batches = new ThreadLocal<>();

    private static final class Batch {
        int depth;
        String dir;
        int fd = -1;
        /// The kept listing of `dir` while it is open (or [#NOT_KEPT]).
        Listing names = NOT_KEPT;
    }

    /// The name of `path` when it is directly in the directory this thread's batch has open and that directory's
    /// listing is kept, else null. That directory was opened as a resolved path (every component a directory, not
    /// a link: see [#directory]), so such a path resolves to itself unless its own name is a link, and its type is
    /// in the listing: a function's ~20 attribute look-ups then cost no path walk, memo or listing look-up.
    private static String inBatch(Batch b, String path) {
        if (b.dir == null || b.names == NOT_KEPT) return null;
        return FileTree.nameIn(b.dir, path);
    }

    /// The name of `path` when it is a regular file directly in the directory this thread's batch has open (by
    /// that directory's listing), else null: the one look-up a function's attribute read then costs, where the
    /// general path (resolve, then type, then the directory to read it from) asked the listing three times.
    private String fileInBatch(String path) {
        Batch b = batches.get();
        if (b == null || b.fd < 0) return null;
        String name = inBatch(b, path);
        return name != null && b.names.type(name) == Type.FILE ? name : null;
    }

    /// The type of `path` from the open batch directory's listing, or null when that does not say (not in a batch,
    /// not directly in its directory, or a type not known yet).
    private Type batchType(String path) {
        Batch b = batches.get();
        if (b == null) return null;
        String name = inBatch(b, path);
        if (name == null) return null;
        Type t = b.names.type(name);
        if (t == null) return Type.MISSING;
        return t == UNKNOWN_TYPE ? null : t;
    }

    public DiskTree(Path root) {
        this.root = root.toAbsolutePath().normalize();
        String r = this.root.toString();
        this.rootBytes = (r.equals("/") ? "" : r).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        prepareNative();
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
        Type fast = batchType(path);
        if (fast != null) return fast;
        String name = FileTree.name(path);
        if (path.isEmpty() || name.isEmpty() || name.equals(".") || name.equals("..")) return lstat(path);
        Listing names = listing(FileTree.parent(path));
        if (names == NOT_KEPT) return lstat(path);
        Type t = names.type(name);
        if (t == null) return Type.MISSING;
        if (t == UNKNOWN_TYPE) {
            t = lstat(path);
            if (t != Type.MISSING) names.learn(name, t);
        }
        return t;
    }

    /// The kept listing of `dir` (as given: links in it are followed by the system, as `lstat` of a path below it
    /// would), listing it now when it is not kept yet. The listing itself is made outside the lock: two threads
    /// asking at once may both list, and the first one kept wins.
    private Listing listing(String dir) {
        Listing names = listings.get(dir);
        if (names != null) return names;
        names = readListing(dir, LISTING_MAX_NAMES, false);
        if (names == null) names = NOT_KEPT;
        Listing other = listings.putIfAbsent(dir, names);
        if (other != null) return other;
        keptOrder.add(dir);
        if (keptNames.addAndGet(names.size() + 1) > NAMES_KEPT) {
            synchronized (keptOrder) {
                while (keptNames.get() > NAMES_KEPT) {
                    String eldest = keptOrder.poll();
                    if (eldest == null) break;
                    if (eldest.equals(dir)) {   // never the one just kept
                        keptOrder.add(eldest);
                        if (keptOrder.size() == 1) break;
                        continue;
                    }
                    Listing gone = listings.remove(eldest);
                    if (gone != null) keptNames.addAndGet(-(gone.size() + 1));
                }
            }
        }
        return names;
    }

    /// The names in `dir` with their types ([#UNKNOWN_TYPE] where not known), or null when it cannot be listed
    /// or has more than `max` names (the first `max` of them when `truncate`).
    private Listing readListing(String dir, int max, boolean truncate) {
        if (nativeFs()) {
            try {
                return NativeFs.list(rootBytes, dir, max, truncate);
            } catch (IOException e) {
                return null;
            }
        }
        Listing.Builder names = new Listing.Builder();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(at(dir))) {
            for (Path p : s) {
                if (names.size() >= max) return truncate ? names.build() : null;
                names.add(p.getFileName().toString(), null);
            }
        } catch (IOException | SecurityException e) {
            return null;
        }
        return names.build();
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
    public <T> T batch(java.util.function.Supplier<T> work) {
        if (!nativeFs()) return work.get();
        Batch b = batches.get();
        if (b == null) {
            b = new Batch();
            batches.set(b);
        }
        b.depth++;
        try {
            return work.get();
        } finally {
            if (--b.depth == 0) {
                if (b.fd >= 0) NativeFs.close(b.fd);
                batches.remove();
            }
        }
    }

    /// Opens `dir` first when it is known to be a directory with no link in its path (the resolver walked it:
    /// a `bus/pci/devices` link's target), so that the work's first look-ups are answered from it as the later ones
    /// are, instead of each function's first attribute costing a walk of its whole path.
    @Override
    public <T> T batch(String dir, java.util.function.Supplier<T> work) {
        return batch(() -> {
            if (resolver.isKnownDirectory(dir)) directory(dir);
            return work.get();
        });
    }

    /// A descriptor of the directory `dir` when this thread is in a [#batch] (opening it, and closing the one
    /// before), or -1.
    private int directory(String dir) {
        Batch b = batches.get();
        if (b == null) return -1;
        if (dir.equals(b.dir)) return b.fd;
        if (b.fd >= 0) NativeFs.close(b.fd);
        b.fd = -1;
        b.dir = null;
        b.names = NOT_KEPT;
        try {
            b.fd = NativeFs.openDirectory(rootBytes, dir);
            b.dir = dir;
            b.names = listing(dir);
        } catch (IOException e) {
            return -1;
        }
        return b.fd;
    }

    @Override
    public Optional<String> readLink(String path) {
        if (type(path) != Type.LINK) return Optional.empty();   // no failed readlink (and exception) per absent link
        if (nativeFs()) {
            try {
                int fd = directory(FileTree.parent(path));
                return Optional.of(fd >= 0 ? NativeFs.readLinkAt(fd, FileTree.name(path), path)
                        : NativeFs.readLink(rootBytes, path));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
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
        Listing names = listing(r.get());
        if (names == NOT_KEPT) names = readListing(r.get(), LIST_MAX, true);   // a bounded listing, whatever is there
        if (names == null) return List.of();
        return names.names();
    }

    @Override
    public byte[] read(String path, int max) throws IOException {
        String name = fileInBatch(path);
        if (name != null) return NativeFs.readAt(batches.get().fd, name, path, max);
        String r = resolve(path).orElseThrow(() -> new IOException(path + ": link dangles or leaves the tree"));
        if (type(r) != Type.FILE) throw new IOException(path + ": not a regular file");
        return readFile(r, path, max, false);
    }

    /// A missing attribute is common (a function lacks about a third of those a load asks for): empty, without
    /// making and throwing an exception for it.
    @Override
    public Optional<String> text(String path, int max) {
        String name = fileInBatch(path);
        if (name != null) {
            try {
                return Optional.of(new String(NativeFs.readLineAt(batches.get().fd, name, path, max),
                        java.nio.charset.StandardCharsets.UTF_8).trim());
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        Optional<String> r = resolve(path);
        if (r.isEmpty() || type(r.get()) != Type.FILE) return Optional.empty();
        try {
            return Optional.of(new String(readFile(r.get(), path, max, true), java.nio.charset.StandardCharsets.UTF_8)
                    .trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /// The regular file `r` (resolved), asked for as `path`; `text` when it is a sysfs attribute read as text
    /// (see [NativeFs#readLineAt]).
    private byte[] readFile(String r, String path, int max, boolean text) throws IOException {
        if (nativeFs()) {
            int fd = directory(FileTree.parent(r));
            if (fd < 0) return NativeFs.read(rootBytes, r, max);
            return text ? NativeFs.readLineAt(fd, FileTree.name(r), r, max) : NativeFs.readAt(fd, FileTree.name(r), r, max);
        }
        // A channel read straight into a buffer: an input stream's readNBytes asks the file's size and position
        // first (two more system calls per attribute, and sysfs sizes are all 4096 anyway). NOFOLLOW_LINKS: a
        // file swapped for a link since its type was looked up is refused, not followed.
        try (FileChannel ch = FileChannel.open(at(r), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            // Most reads fit the reused direct buffer: one exact-size array per attribute, no 4 KiB garbage.
            ByteBuffer scratch = this.scratch.get();
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
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(max, 2L * head.length)).put(head);
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
        Type fast = batchType(path);
        if (fast != null && fast != Type.LINK) return Optional.of(path);
        if (resolver.isKnownDirectory(path)) return Optional.of(path);   // walked already: it is its own resolution
        return resolver.resolve(path);
    }
}
