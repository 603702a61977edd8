package dev.p2pscope.core.topology.sysfs;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/// A [FileTree] read in place from a `.tar.gz` or `.tar.bz2` snapshot. File contents are kept up to
/// [#MAX_FILE_BYTES] each; the archive as a whole is bounded too, so a hostile tarball cannot exhaust memory.
public final class ArchiveTree implements FileTree {

    /// No sysfs attribute P2PScope reads is larger (config space is 4096 bytes).
    public static final int MAX_FILE_BYTES = 64 * 1024;
    static final int MAX_ENTRIES = 500_000;
    static final long MAX_TOTAL_BYTES = 128L << 20;

    /// A file's content is kept without its trailing zero bytes (`length` says how long it was): a config space is
    /// 4096 bytes of which the header and capabilities are typically the first 200, so a 10,000-function snapshot
    /// holds 2-3 MB of them instead of 40.
    private record Entry(Type type, byte[] content, int length, String link) {
        Entry(Type type, String link) {
            this(type, null, 0, link);
        }

        /// The first `length` bytes of `buf` (a reused buffer: copied).
        static Entry file(byte[] buf, int length) {
            int end = length;
            // 64 bytes at a time first (a vectorised comparison): a 4 KiB config space is mostly trailing zeros
            while (end >= ZEROS.length && Arrays.equals(buf, end - ZEROS.length, end, ZEROS, 0, ZEROS.length)) {
                end -= ZEROS.length;
            }
            while (end > 0 && buf[end - 1] == 0) end--;
            return new Entry(Type.FILE, Arrays.copyOf(buf, end), length, null);
        }

        private static final byte[] ZEROS = new byte[64];

        byte[] read(int max) {
            int n = Math.min(length, max);
            return n == content.length ? content.clone() : Arrays.copyOf(content, n);
        }
    }

    private final String description;
    /// Each directory's names, sorted, with their entries; a null entry is a directory only implied by the paths
    /// below it. Kept by directory rather than by full path: the path of each of a snapshot's 120,000 entries
    /// was a third of its memory.
    private final Map<String, TreeMap<String, Entry>> dirs = new HashMap<>();
    private int count;
    private final LinkResolver resolver = new LinkResolver(this);

    private ArchiveTree(String description) {
        this.description = description;
    }

    /// True when the file name looks like a supported snapshot.
    public static boolean isArchive(Path file) {
        String n = file.getFileName() == null ? "" : file.getFileName().toString();
        return n.endsWith(".tar.gz") || n.endsWith(".tgz") || n.endsWith(".tar.bz2") || n.endsWith(".tbz2")
                || n.endsWith(".tar");
    }

    public static ArchiveTree open(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            return read(raw, file.toString());
        }
    }

    static ArchiveTree read(InputStream raw, String description) throws IOException {
        ArchiveTree t = new ArchiveTree(description);
        Counting compressed = new Counting(raw, Long.MAX_VALUE, null);
        compressed.mark(4);
        int b0 = compressed.read();
        int b1 = compressed.read();
        int b2 = compressed.read();
        compressed.reset();
        InputStream in = compressed;
        if (b0 == 0x1f && b1 == 0x8b) in = GzipCompressorInputStream.builder().setInputStream(compressed)
                .setDecompressConcatenated(true).get();
        else if (b0 == 'B' && b1 == 'Z' && b2 == 'h') in = new BZip2CompressorInputStream(compressed, true);
        // Every byte the tar reader takes is counted, including the content it skips and the long names and pax
        // headers: a bomb is stopped while it is being decompressed, not after. Decompression runs on its own
        // thread, at most a few chunks ahead of the reader (inflating was a fifth of a snapshot's load).
        Counting limited = new Counting(in, MAX_STREAM_BYTES, compressed);
        Ahead ahead = new Ahead(limited);
        TarReader tar = new TarReader(ahead);
        byte[] buf = new byte[MAX_FILE_BYTES];
        long total = 0;
        try {
            TarReader.Header e;
            while ((e = tar.next()) != null) {
                if (t.count >= MAX_ENTRIES) throw new IOException("more than " + MAX_ENTRIES + " entries");
                String rawName = e.name();
                String link = e.link();
                if (rawName.length() > MAX_NAME || link.length() > MAX_NAME) {
                    throw new IOException("an entry's name or link target is longer than " + MAX_NAME
                            + " characters (PATH_MAX)");
                }
                total += rawName.length() + link.length() + 64;   // names and bookkeeping are memory too
                String name = normalise(rawName);
                if (name.isEmpty()) continue;
                if (e.isSymbolicLink()) {
                    t.put(name, new Entry(Type.LINK, link));
                } else if (e.isDirectory()) {
                    t.put(name, new Entry(Type.DIRECTORY, null));
                } else if (e.isFile()) {
                    int n = tar.content(buf, MAX_FILE_BYTES);
                    total += n;
                    t.put(name, Entry.file(buf, n));
                } else if (e.isHardLink()) {
                    // A hard link: share the target's content if already seen.
                    Entry target = t.entry(normalise(link));
                    t.put(name, target != null ? target : new Entry(Type.OTHER, null));
                } else {
                    t.put(name, new Entry(Type.OTHER, null));
                }
                if (total > MAX_TOTAL_BYTES) {
                    throw new IOException("more than " + (MAX_TOTAL_BYTES >> 20) + " MiB of content and names");
                }
            }
        } finally {
            ahead.close();
        }
        return t;
    }

    /// Decompressed bytes read at most (content, skipped content and headers).
    static final long MAX_STREAM_BYTES = 1L << 30;
    /// Past this many decompressed bytes, a stream that inflates more than [#MAX_RATIO] times is a bomb.
    static final long RATIO_FLOOR = 32L << 20;
    static final long MAX_RATIO = 500;
    /// Bytes a tar header, with its GNU long name or PAX records, may take.
    static final long MAX_HEADER_BYTES = 1L << 20;
    /// Longest entry name or link target, like the kernel's PATH_MAX.
    static final int MAX_NAME = 4096;

    /// Counts what is read through it and refuses to go past its limits.
    private static final class Counting extends java.io.FilterInputStream {
        private final long max;
        private final Counting compressed;
        private long count;
        private long mark;
        private byte[] skipBuffer;

        Counting(InputStream in, long max, Counting compressed) {
            super(in);
            this.max = max;
            this.compressed = compressed;
        }

        private void add(long n) throws IOException {
            if (n <= 0) return;
            count += n;
            if (count > max) throw new IOException("decompresses to more than " + (max >> 20) + " MiB");
            if (compressed != null && count > RATIO_FLOOR && count > MAX_RATIO * Math.max(1, compressed.count)) {
                throw new IOException("decompresses to more than " + MAX_RATIO + " times its size "
                        + "(a decompression bomb, not a sysfs snapshot)");
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) add(1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            add(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            if (skipBuffer == null) skipBuffer = new byte[8192];   // one for the stream, not one per entry skipped
            byte[] buf = skipBuffer;
            long done = 0;
            while (done < n) {
                int r = read(buf, 0, (int) Math.min(buf.length, n - done));
                if (r < 0) break;
                done += r;
            }
            return done;
        }

        @Override
        public synchronized void mark(int limit) {
            super.mark(limit);
            mark = count;
        }

        @Override
        public synchronized void reset() throws IOException {
            super.reset();
            count = mark;
        }
    }

    /// Reads its source on a thread of its own, at most [#CHUNKS] chunks of [#CHUNK] bytes ahead of the reader,
    /// so that decompressing and reading the tar headers overlap. What the source throws is thrown to the reader
    /// at the point of the stream where it happened. [#close] stops the thread (within one chunk's read).
    static final class Ahead extends InputStream {
        static final int CHUNK = 1 << 16;
        static final int CHUNKS = 8;

        private record Chunk(byte[] bytes, int length, Throwable failure) { }

        private static final Chunk END = new Chunk(new byte[0], 0, null);
        private final java.util.concurrent.BlockingQueue<Chunk> full = new java.util.concurrent.ArrayBlockingQueue<>(CHUNKS + 1);
        private final java.util.concurrent.BlockingQueue<byte[]> free = new java.util.concurrent.ArrayBlockingQueue<>(CHUNKS + 1);
        private volatile boolean closed;
        private Chunk current = new Chunk(new byte[0], 0, null);
        private int pos;
        private boolean ended;

        Ahead(InputStream source) {
            for (int i = 0; i < CHUNKS; i++) free.add(new byte[CHUNK]);
            Thread.ofPlatform().daemon().name("p2pscope-decompress").start(() -> pump(source));
        }

        private void pump(InputStream source) {
            Chunk last = END;
            try (source) {
                while (!closed) {
                    byte[] b = free.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (b == null) continue;
                    int n = source.readNBytes(b, 0, b.length);
                    if (n > 0 && !give(new Chunk(b, n, null))) return;
                    if (n < b.length) break;
                }
            } catch (IOException | RuntimeException | Error e) {
                last = new Chunk(null, 0, e);
            } catch (InterruptedException e) {
                return;
            }
            give(last);
        }

        private boolean give(Chunk c) {
            try {
                while (!closed) if (full.offer(c, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }

        /// False at the end of the stream; throws what the source threw.
        private boolean fill() throws IOException {
            if (pos < current.length()) return true;
            if (ended) return false;
            if (current.bytes() != null && current.bytes().length == CHUNK) free.offer(current.bytes());
            Chunk c;
            try {
                c = full.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while reading the snapshot");
            }
            if (c.failure() != null) {
                ended = true;
                switch (c.failure()) {
                    case IOException e -> throw e;
                    case RuntimeException e -> throw e;
                    case Error e -> throw e;
                    default -> throw new IOException(c.failure());
                }
            }
            if (c == END) {
                ended = true;
                return false;
            }
            current = c;
            pos = 0;
            return true;
        }

        @Override
        public int read() throws IOException {
            return fill() ? current.bytes()[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            if (!fill()) return -1;
            int n = Math.min(len, current.length() - pos);
            System.arraycopy(current.bytes(), pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            if (n <= 0 || !fill()) return 0;
            int k = (int) Math.min(n, current.length() - pos);
            pos += k;
            return k;
        }

        @Override
        public void close() {
            closed = true;
            full.clear();
        }
    }

    private static String normalise(String name) {
        String n = name;
        while (n.startsWith("./")) n = n.substring(2);
        while (n.startsWith("/")) n = n.substring(1);
        while (n.endsWith("/")) n = n.substring(0, n.length() - 1);
        return n;
    }

    /// The directory the last entry went into, and its names: a tar holds a directory's entries one after
    /// another, so most entries go where the one before went, without hashing their directory's path again.
    private String lastDir;
    private TreeMap<String, Entry> lastNames;

    private void put(String name, Entry e) {
        count++;
        int slash = name.lastIndexOf('/');
        if (lastDir != null && slash == lastDir.length() && name.startsWith(lastDir)) {
            lastNames.put(name.substring(slash + 1), e);   // its directory and those above it are recorded already
            return;
        }
        String p = FileTree.parent(name);
        TreeMap<String, Entry> into = dirs.computeIfAbsent(p, k -> new TreeMap<>());
        into.put(FileTree.name(name), e);
        lastDir = slash < 0 ? null : p;
        lastNames = into;
        while (!p.isEmpty()) {
            String parent = FileTree.parent(p);
            TreeMap<String, Entry> names = dirs.computeIfAbsent(parent, k -> new TreeMap<>());
            String leaf = FileTree.name(p);
            if (names.containsKey(leaf)) break;
            names.put(leaf, null);
            p = parent;
        }
    }

    /// The entry recorded at `path`, or null (absent, or a directory only implied).
    private Entry entry(String path) {
        TreeMap<String, Entry> names = dirs.get(FileTree.parent(path));
        return names == null ? null : names.get(FileTree.name(path));
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public Type type(String path) {
        if (path.isEmpty()) return Type.DIRECTORY;
        TreeMap<String, Entry> names = dirs.get(FileTree.parent(path));
        String leaf = FileTree.name(path);
        if (names == null || !names.containsKey(leaf)) return Type.MISSING;
        Entry e = names.get(leaf);
        return e != null ? e.type : Type.DIRECTORY;
    }

    @Override
    public Optional<String> readLink(String path) {
        Entry e = entry(path);
        return e != null && e.type == Type.LINK ? Optional.of(e.link) : Optional.empty();
    }

    @Override
    public List<String> list(String path) {
        Optional<String> r = resolve(path);
        if (r.isEmpty()) return List.of();
        TreeMap<String, Entry> kids = dirs.get(r.get());
        return kids == null ? List.of() : new ArrayList<>(kids.keySet());
    }

    /// The directory whose files this thread's [#batch(String, java.util.function.Supplier)] reads, and its names.
    private record Open(String dir, TreeMap<String, Entry> names) { }

    private final ThreadLocal<Open> open = new ThreadLocal<>();

    /// Reads of `dir`'s files in `work` look their names up in `dir` directly when the link walk already proved
    /// `dir` a directory with no link in its path: such a file resolves to itself (as in [DiskTree]).
    @Override
    public <T> T batch(String dir, java.util.function.Supplier<T> work) {
        TreeMap<String, Entry> names = resolver.isKnownDirectory(dir) ? dirs.get(dir) : null;
        if (names == null) return work.get();
        Open before = open.get();
        open.set(new Open(dir, names));
        try {
            return work.get();
        } finally {
            if (before == null) open.remove(); else open.set(before);
        }
    }

    /// The entry of `path` when it is a regular file directly in this thread's open directory, else null.
    private Entry fileInBatch(String path) {
        Open o = open.get();
        String name = o == null ? null : FileTree.nameIn(o.dir(), path);
        Entry e = name == null ? null : o.names().get(name);
        return e != null && e.type == Type.FILE ? e : null;
    }

    @Override
    public Optional<String> text(String path, int max) {
        Entry e = fileInBatch(path);
        if (e != null) return Optional.of(new String(e.read(max), java.nio.charset.StandardCharsets.UTF_8).trim());
        return FileTree.super.text(path, max);
    }

    @Override
    public byte[] read(String path, int max) throws IOException {
        Entry batched = fileInBatch(path);
        if (batched != null) return batched.read(max);
        String r = resolve(path).orElseThrow(() -> new IOException(path + ": link dangles or leaves the tree"));
        Entry e = entry(r);
        if (e == null || e.type != Type.FILE) throw new IOException(path + ": not a regular file");
        return e.read(max);
    }

    @Override
    public Optional<String> resolve(String path) {
        return resolver.resolve(path);
    }
}
