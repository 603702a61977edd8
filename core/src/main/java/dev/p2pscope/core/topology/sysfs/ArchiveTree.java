package dev.p2pscope.core.topology.sysfs;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/// A [FileTree] read in place from a `.tar.gz` or `.tar.bz2` snapshot. File contents are kept up to
/// [#MAX_FILE_BYTES] each; the archive as a whole is bounded too, so a hostile tarball cannot exhaust memory.
public final class ArchiveTree implements FileTree {

    /// No sysfs attribute P2PScope reads is larger (config space is 4096 bytes).
    public static final int MAX_FILE_BYTES = 64 * 1024;
    static final int MAX_ENTRIES = 500_000;
    static final long MAX_TOTAL_BYTES = 512L << 20;

    private record Entry(Type type, byte[] content, String link) { }

    private final String description;
    private final Map<String, Entry> entries = new HashMap<>();
    private final Map<String, TreeSet<String>> children = new HashMap<>();
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
        raw.mark(4);
        int b0 = raw.read();
        int b1 = raw.read();
        int b2 = raw.read();
        raw.reset();
        InputStream in = raw;
        if (b0 == 0x1f && b1 == 0x8b) in = GzipCompressorInputStream.builder().setInputStream(raw)
                .setDecompressConcatenated(true).get();
        else if (b0 == 'B' && b1 == 'Z' && b2 == 'h') in = new BZip2CompressorInputStream(raw, true);
        long total = 0;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (t.entries.size() >= MAX_ENTRIES) throw new IOException("more than " + MAX_ENTRIES + " entries");
                String name = normalise(e.getName());
                if (name.isEmpty()) continue;
                if (e.isSymbolicLink()) {
                    t.put(name, new Entry(Type.LINK, null, e.getLinkName()));
                } else if (e.isDirectory()) {
                    t.put(name, new Entry(Type.DIRECTORY, null, null));
                } else if (e.isFile()) {
                    byte[] content = tar.readNBytes(MAX_FILE_BYTES);
                    total += content.length;
                    if (total > MAX_TOTAL_BYTES) throw new IOException("more than " + (MAX_TOTAL_BYTES >> 20)
                            + " MiB of content");
                    t.put(name, new Entry(Type.FILE, content, null));
                } else if (e.isLink()) {
                    // A hard link: share the target's content if already seen.
                    Entry target = t.entries.get(normalise(e.getLinkName()));
                    t.put(name, target != null ? target : new Entry(Type.OTHER, null, null));
                } else {
                    t.put(name, new Entry(Type.OTHER, null, null));
                }
            }
        }
        return t;
    }

    private static String normalise(String name) {
        String n = name;
        while (n.startsWith("./")) n = n.substring(2);
        while (n.startsWith("/")) n = n.substring(1);
        while (n.endsWith("/")) n = n.substring(0, n.length() - 1);
        return n;
    }

    private void put(String name, Entry e) {
        entries.put(name, e);
        String p = name;
        while (!p.isEmpty()) {
            String parent = FileTree.parent(p);
            if (!children.computeIfAbsent(parent, k -> new TreeSet<>()).add(FileTree.name(p))) break;
            p = parent;
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public Type type(String path) {
        Entry e = entries.get(path);
        if (e != null) return e.type;
        return path.isEmpty() || children.containsKey(path) ? Type.DIRECTORY : Type.MISSING;
    }

    @Override
    public Optional<String> readLink(String path) {
        Entry e = entries.get(path);
        return e != null && e.type == Type.LINK ? Optional.of(e.link) : Optional.empty();
    }

    @Override
    public List<String> list(String path) {
        Optional<String> r = resolve(path);
        if (r.isEmpty()) return List.of();
        TreeSet<String> kids = children.get(r.get());
        return kids == null ? List.of() : new ArrayList<>(kids);
    }

    @Override
    public byte[] read(String path, int max) throws IOException {
        String r = resolve(path).orElseThrow(() -> new IOException(path + ": link dangles or leaves the tree"));
        Entry e = entries.get(r);
        if (e == null || e.type != Type.FILE) throw new IOException(path + ": not a regular file");
        return e.content.length <= max ? e.content : java.util.Arrays.copyOf(e.content, max);
    }

    @Override
    public Optional<String> resolve(String path) {
        return resolver.resolve(path);
    }
}
