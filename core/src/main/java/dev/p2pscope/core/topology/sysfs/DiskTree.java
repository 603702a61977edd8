package dev.p2pscope.core.topology.sysfs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/// A [FileTree] on disk, rooted at a directory (`/` for this host).
public final class DiskTree implements FileTree {

    private final Path root;
    private final LinkResolver resolver = new LinkResolver(this);

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
                if (out.size() > 100_000) break;   // a bounded listing, whatever is there
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
        try (InputStream in = Files.newInputStream(at(r))) {
            return in.readNBytes(max);
        } catch (SecurityException e) {
            throw new IOException(path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> resolve(String path) {
        return resolver.resolve(path);
    }
}
