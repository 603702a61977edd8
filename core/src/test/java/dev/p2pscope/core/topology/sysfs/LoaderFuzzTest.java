package dev.p2pscope.core.topology.sysfs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/// Runs [LoaderFuzz] in a child JVM with a 512 MB heap: every mutated JSON file, lspci dump, sysfs tree and
/// tarball loads (and re-validates) or is refused with the loader's own error, each within 5 s.
///
/// `-Dfuzz.inputs=100000` runs the long campaign (default 400 inputs, a few seconds); `-Dfuzz.seed=N` repeats one.
class LoaderFuzzTest {

    @TempDir Path work;


    /// The child runs on a plain class path: the test classes (which surefire patches into the core module), the
    /// module path and the class path of this JVM.
    static String classPath() {
        java.util.List<String> parts = new java.util.ArrayList<>();
        parts.add(Path.of("target", "test-classes").toAbsolutePath().toString());
        for (String key : java.util.List.of("jdk.module.path", "java.class.path")) {
            String v = System.getProperty(key);
            if (v != null && !v.isBlank()) parts.add(v);
        }
        return String.join(java.io.File.pathSeparator, parts);
    }

    @Test
    void everyMutatedInputLoadsOrIsRefusedInTheLoadersWords() throws Exception {
        int inputs = Integer.getInteger("fuzz.inputs", 400);
        long seed = Long.getLong("fuzz.seed", 20261130L);
        Path lspci = Path.of(getClass().getResource("/dev/p2pscope/core/topology/snapshots").toURI());
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx512m", "-Xss1m", "-cp", classPath(),
                LoaderFuzz.class.getName(), Long.toString(seed), Integer.toString(inputs), work.toString(),
                lspci.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        System.out.println("fuzz (seed " + seed + "): " + out.lines().reduce((a, b) -> b).orElse(""));
        assertThat(out).as(out).contains("ok ").doesNotContain("FAIL ");
        assertThat(code).as(out).isZero();
    }
}
