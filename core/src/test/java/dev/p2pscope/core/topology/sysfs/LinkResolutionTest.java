package dev.p2pscope.core.topology.sysfs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/// The tree's own link resolution (one component at a time, with its shortcuts: the memo of written prefixes and
/// the known directories a sysfs-style link target is taken from) lands where the kernel's path walk lands, checked
/// against the kernel itself (`Path.toRealPath`) on generated trees of directories and relative links: sysfs-style
/// targets (`../../x/y`), targets that go through other links, climb out and back (`a/../b`), dangle or loop.
class LinkResolutionTest {

    @TempDir
    Path root;

    @Test
    void resolvesAsTheKernelDoesOnGeneratedTrees() throws IOException {
        for (long seed = 1; seed <= 40; seed++) {
            Path top = Files.createDirectory(root.resolve("t" + seed));
            List<String> paths = generate(top, new Random(seed));
            // One tree for all the paths, asked in an order where earlier walks have filled the shortcuts; and a
            // fresh tree per path, where they are empty.
            DiskTree shared = new DiskTree(top);
            for (String p : paths) {
                Optional<String> expected = kernel(top, p);
                assertThat(existing(shared, p)).as("seed %d, %s (shared tree)", seed, p).isEqualTo(expected);
                assertThat(existing(new DiskTree(top), p)).as("seed %d, %s (fresh tree)", seed, p).isEqualTo(expected);
            }
        }
    }

    /// Where `tree` resolves `path` when something is there (a resolution names where a missing last component
    /// would be; the loaders then find nothing there).
    static Optional<String> existing(DiskTree tree, String path) {
        return tree.resolve(path).filter(r -> tree.type(r) != FileTree.Type.MISSING);
    }

    /// Where the kernel resolves `path` under `top`, relative to `top`; empty when it dangles, loops or the
    /// result is outside `top`.
    static Optional<String> kernel(Path top, String path) {
        try {
            Path real = top.resolve(path).toRealPath();
            Path realTop = top.toRealPath();
            if (!real.startsWith(realTop)) return Optional.empty();
            return Optional.of(realTop.relativize(real).toString());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /// Makes a random tree under `top` (directories three levels deep, then links in them of several forms)
    /// and returns the paths to ask about: every directory, every link, and paths through links.
    static List<String> generate(Path top, Random r) throws IOException {
        List<String> dirs = new ArrayList<>();
        dirs.add("");
        for (int i = 0; i < 30; i++) {
            String parent = dirs.get(r.nextInt(dirs.size()));
            if (parent.split("/").length >= 4) continue;
            String d = parent.isEmpty() ? "d" + i : parent + "/d" + i;
            Files.createDirectories(top.resolve(d));
            dirs.add(d);
        }
        List<String> links = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String in = dirs.get(r.nextInt(dirs.size()));
            String to = dirs.get(r.nextInt(dirs.size()));
            int depth = in.isEmpty() ? 0 : in.split("/").length;
            String ups = "../".repeat(depth);
            String target = switch (r.nextInt(6)) {
                case 0, 1 -> ups + to;                                                   // sysfs style
                case 2 -> ups + (links.isEmpty() ? to : links.get(r.nextInt(links.size()))) + "/x";  // through a link
                case 3 -> ups + to + "/../" + dirs.get(r.nextInt(dirs.size()));         // out and back
                case 4 -> ups + "../" + to;                                              // above the tree
                default -> ups + to + "/missing";                                        // dangling
            };
            if (target.endsWith("/")) target = target.substring(0, target.length() - 1);
            if (target.isEmpty()) target = ".";
            String link = in.isEmpty() ? "l" + i : in + "/l" + i;
            Files.createSymbolicLink(top.resolve(link), Path.of(target));
            links.add(link);
            if (r.nextBoolean()) {   // a directory under a link's target, reached through the link
                Files.createDirectories(top.resolve(to).resolve("x"));
            }
        }
        List<String> ask = new ArrayList<>(dirs.subList(1, dirs.size()));
        for (String l : links) {
            ask.add(l);
            ask.add(l + "/x");
            ask.add(l + "/..");
        }
        java.util.Collections.shuffle(ask, r);
        return ask;
    }
}
