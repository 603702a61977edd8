package dev.p2pscope;

import dev.p2pscope.cli.P2pCommand;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/// The training run for the JDK's ahead-of-time cache (JEP 483/514/515): `./p2pscope` and `packaging/` run this
/// class once per build with `-XX:AOTCacheOutput`, and every later start finds the classes it used loaded, linked
/// and profiled in the cache instead of reading them from the jars.
///
/// There are two caches, because a cache's classes are all loaded at start: `cli` exercises the command line on
/// samples and on a sysfs tree (no JavaFX, which would cost every command ~7,000 classes it never uses), `window`
/// the window's start on JavaFX's headless platform (a screenshot, so it ends by itself). Output is discarded; a
/// failing step is reported on stderr and the run goes on, since a partial cache is still a valid one.
public final class AotTraining {

    private AotTraining() {
    }

    public static void main(String[] args) throws IOException {
        boolean window = args.length > 0 && args[0].equals("window");
        Path tmp = Files.createTempDirectory("p2pscope-aot");
        try {
            Path tree = tmp.resolve("tree");
            List<List<String>> runs = List.of(
                    List.of("--help"),
                    List.of("--version"),
                    List.of("samples"),
                    List.of("check", "--sample", "skylake-sp-2s-switch", "--provider", "0000:1a:00.0", "--client",
                            "0000:1c:00.0"),
                    List.of("check", "--sample", "acs-redirect-switch", "--provider", "0000:03:00.0", "--client",
                            "0000:04:00.0", "--allow", "8086:3e30", "--json"),
                    List.of("check", "--sample", "qemu-q35-switch-cmb", "--provider", "0000:03:00.0", "--client",
                            "0000:05:00.0", "--client", "0000:04:00.0"),
                    List.of("matrix", "--sample", "hgx-8gpu-8nic"),
                    List.of("matrix", "--sample", "skylake-sp-2s-switch", "--json"),
                    List.of("find-provider", "--sample", "skylake-sp-2s-switch", "--clients", "1c:00.0,1d:00.0"),
                    List.of("tree", "--sample", "hgx-8gpu-8nic"),
                    List.of("sgl", "--sample", "qemu-q35-switch-cmb", "--client", "0000:04:00.0", "--segments",
                            "host:0x100000+4096,p2p:0000:03:00.0@0+8192", "--iommu", "on"),
                    // 128 endpoints: ~290 functions, past SysfsLoader.PARALLEL_MIN, so that the classes of a large
                    // tree's load (read on all cores) are in the cache too
                    List.of("generate", "--endpoints", "128", "--seed", "3", "--format", "sysfs", "-o", tree.toString()),
                    List.of("tree", "--sysfs", tree.toString(), "--numeric"),
                    // The snapshot path too (tar reader, decompression thread): its classes are then in the cache.
                    List.of("snapshot", "--root", tree.toString(), "-o", tmp.resolve("tree.tar.gz").toString()),
                    List.of("tree", "--sysfs", tmp.resolve("tree.tar.gz").toString(), "--numeric"),
                    List.of("check", "--sample", "nonexistent-sample", "--provider", "1:0.0", "--client", "2:0.0"));
            PrintWriter sink = new PrintWriter(Writer.nullWriter());
            for (List<String> run : window ? List.<List<String>>of() : runs) {
                Main.isWindowInvocation(run.toArray(String[]::new));
                try {
                    P2pCommand.run(run.toArray(String[]::new), sink, sink);
                } catch (RuntimeException e) {
                    System.err.println("p2pscope: AOT training step " + run + " failed: " + e);
                }
            }
            if (window) {
                int code = Window.open(new String[] {"--sample", "skylake-sp-2s-switch", "--select",
                        "0000:1a:00.0,0000:1c:00.0", "--screenshot", tmp.resolve("window.png").toString()});
                if (code != 0) System.err.println("p2pscope: AOT training: the window's start exited with " + code);
            }
        } finally {
            try (Stream<Path> w = Files.walk(tmp)) {
                w.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.exit(0);
    }
}
