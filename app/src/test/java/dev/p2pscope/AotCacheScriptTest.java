package dev.p2pscope;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

/// The launcher's start-up cache (`tools/aot.sh`, used by `./p2pscope`): a cache is used only when it was built for
/// exactly these jars, this JDK and these options, and a stale, broken or missing cache never breaks a run: the
/// program prints exactly what it prints without one.
class AotCacheScriptTest {

    static final Path SCRIPT = Path.of("../tools/aot.sh").toAbsolutePath().normalize();
    static String javaHome;

    @BeforeAll
    static void jdk() {
        javaHome = System.getProperty("java.home");
    }

    /// Runs `script` in bash after sourcing tools/aot.sh, with JAVA_HOME set; returns stdout.
    static Result bash(String script, String home) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -u; . \"$0\"; " + script, SCRIPT.toString());
        pb.environment().put("JAVA_HOME", home);
        return run(pb);
    }

    record Result(int code, String out, String err) {
    }

    static Result run(ProcessBuilder pb) throws IOException, InterruptedException {
        Path out = Files.createTempFile("aot-test", ".out");
        Path err = Files.createTempFile("aot-test", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            int code = p.waitFor();
            return new Result(code, Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /// A fake JDK home: only the `release` file matters to the key.
    static Path fakeJdk(Path dir, String version) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("release"), "JAVA_VERSION=\"25\"\nJAVA_RUNTIME_VERSION=\"" + version + "\"\n");
        return dir;
    }

    @Test
    void aCacheIsUsableOnlyForTheJarsJdkAndOptionsItWasBuiltFor(@TempDir Path dir) throws Exception {
        Path jdk = fakeJdk(dir.resolve("jdk"), "25.0.3+9-LTS");
        Path jar = dir.resolve("app.jar");
        Files.writeString(jar, "first build");
        Path cache = dir.resolve("app.aot");
        Files.writeString(cache, "cache bytes");
        String keyOf = "p2p_aot_key '--opt a' '" + jar + "'";
        assertThat(bash("printf '%s\\n' \"$(" + keyOf + ")\" > '" + cache + ".key'", jdk.toString()).code()).isZero();

        String check = "if p2p_aot_usable '" + cache + "' \"$(" + keyOf + ")\"; then echo usable; else echo stale; fi";
        assertThat(bash(check, jdk.toString()).out()).isEqualTo("usable\n");

        // A different JDK build.
        Path other = fakeJdk(dir.resolve("jdk2"), "25.0.4+7-LTS");
        assertThat(bash(check, other.toString()).out()).isEqualTo("stale\n");
        // Other launch options.
        assertThat(bash(check.replace("--opt a", "--opt b"), jdk.toString()).out()).isEqualTo("stale\n");
        // A rebuilt jar, even of the same size and date.
        var mtime = Files.getLastModifiedTime(jar);
        Files.writeString(jar, "other build");
        Files.setLastModifiedTime(jar, mtime);
        assertThat(bash(check, jdk.toString()).out()).isEqualTo("stale\n");
        // Rebuilt back: usable again. And no cache at all: not usable.
        Files.writeString(jar, "first build");
        assertThat(bash(check, jdk.toString()).out()).isEqualTo("usable\n");
        Files.delete(cache);
        assertThat(bash(check, jdk.toString()).out()).isEqualTo("stale\n");
    }

    /// Runs `script` after sourcing tools/aot.sh with a PATH holding only `tools` (wrappers running this machine's
    /// programs of those names): a machine without the others.
    static Result bashWith(Path bin, List<String> tools, String script, String home) throws Exception {
        Files.createDirectories(bin);
        for (String t : tools) {
            Path real = Path.of("/usr/bin", t);
            if (!Files.isExecutable(real)) real = Path.of("/bin", t);
            Path wrapper = bin.resolve(t);
            Files.writeString(wrapper, "#!/bin/sh\nexec " + real + " \"$@\"\n");
            wrapper.toFile().setExecutable(true);
        }
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", "-c", "set -u; . \"$0\"; " + script, SCRIPT.toString());
        pb.environment().put("JAVA_HOME", home);
        pb.environment().put("PATH", bin.toString());
        return run(pb);
    }

    /// Without sha256sum the key falls back to shasum or openssl, and is the same key (so a cache stays usable);
    /// with none of them there is no key, and the launcher is told why instead of keying a cache on nothing.
    @Test
    void withoutSha256sumTheKeyFallsBackOrSaysWhyThereIsNoCache(@TempDir Path dir) throws Exception {
        Path jdk = fakeJdk(dir.resolve("jdk"), "25.0.3+9-LTS");
        Path jar = dir.resolve("app.jar");
        Files.writeString(jar, "a build");
        String key = "p2p_aot_key '--opt a' '" + jar + "'";
        Result full = bash(key, jdk.toString());
        assertThat(full.code()).isZero();
        assertThat(full.out()).contains("jar ").contains(jar.toString());
        List<String> basics = List.of("sed", "cat", "cut");
        for (String tool : List.of("shasum", "openssl")) {
            if (!Files.isExecutable(Path.of("/usr/bin", tool))) continue;
            List<String> tools = new ArrayList<>(basics);
            tools.add(tool);
            Result r = bashWith(dir.resolve("bin-" + tool), tools, key, jdk.toString());
            assertThat(r).as(tool).isEqualTo(new Result(0, full.out(), ""));
        }
        Result none = bashWith(dir.resolve("bin-none"), basics, key + "; echo \"rc=$?\"", jdk.toString());
        assertThat(none.out()).isEqualTo("rc=1\n");
        assertThat(none.err()).contains("no start-up cache").contains("sha256sum");
    }

    /// Writes a jar whose main class is [Probe].
    static Path probeJar(Path jar, String extraEntry) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Probe.class.getName());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            String name = Probe.class.getName().replace('.', '/') + ".class";
            out.putNextEntry(new JarEntry(name));
            try (var in = Probe.class.getClassLoader().getResourceAsStream(name)) {
                in.transferTo(out);
            }
            out.putNextEntry(new JarEntry("extra.txt"));
            out.write(extraEntry.getBytes(StandardCharsets.UTF_8));
        }
        return jar;
    }

    /// The options tools/aot.sh adds with a cache, as the script itself defines them.
    static List<String> quietOptions() throws Exception {
        Result r = bash("printf '%s\\n' \"${P2P_AOT_QUIET[@]}\"", javaHome);
        assertThat(r.code()).isZero();
        return r.out().lines().toList();
    }

    static Result java(Path cache, Path jar) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(javaHome, "bin", "java").toString(), "-XX:AOTCache=" + cache));
        cmd.addAll(quietOptions());
        cmd.addAll(List.of("-cp", jar.toString(), Probe.class.getName(), "one", "two"));
        return run(new ProcessBuilder(cmd));
    }

    @Test
    void aStaleBrokenOrMissingCacheNeverChangesWhatTheProgramPrints(@TempDir Path dir) throws Exception {
        Path jar = probeJar(dir.resolve("probe.jar"), "build 1");
        Path cache = dir.resolve("probe.aot");
        // A real cache, made by the same function the launcher uses.
        Result made = bash("p2p_aot_create '" + cache + "' key -cp '" + jar + "' '" + Probe.class.getName() + "'", javaHome);
        assertThat(made.code()).as(made.out() + made.err()).isZero();
        assertThat(cache).isNotEmptyFile();
        assertThat(Files.readString(Path.of(cache + ".key"))).isEqualTo("key\n");

        String expected = "probe: one two\n";
        Result fresh = java(cache, jar);
        assertThat(fresh).isEqualTo(new Result(0, expected, ""));

        // Stale: the jar was rebuilt after the cache.
        probeJar(jar, "build 2, longer than build 1");
        assertThat(java(cache, jar)).isEqualTo(new Result(0, expected, ""));

        // Broken: not a cache at all.
        Files.writeString(cache, "not an AOT cache");
        assertThat(java(cache, jar)).isEqualTo(new Result(0, expected, ""));

        // Missing.
        Files.delete(cache);
        assertThat(java(cache, jar)).isEqualTo(new Result(0, expected, ""));
    }

    @Test
    void aFailedTrainingIsRecordedSoThatItIsNotRetriedOnEveryStart(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("x.aot");
        Result r = bash("p2p_aot_create '" + cache + "' k1 -cp '" + dir + "' no.such.MainClass; echo \"rc=$?\"; "
                + "p2p_aot_failed_before '" + cache + "' k1 && echo failed-k1; "
                + "p2p_aot_failed_before '" + cache + "' k2 || echo not-failed-k2; "
                + "p2p_aot_usable '" + cache + "' k1 || echo not-usable", javaHome);
        assertThat(r.out()).isEqualTo("rc=1\nfailed-k1\nnot-failed-k2\nnot-usable\n");
        assertThat(Path.of(cache + ".failed.log")).isNotEmptyFile();
    }

    /// The program run with and without a cache: prints its arguments.
    public static final class Probe {
        public static void main(String[] args) {
            try (OutputStream o = System.out) {
                o.write(("probe: " + String.join(" ", args) + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
