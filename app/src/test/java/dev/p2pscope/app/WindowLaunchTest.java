package dev.p2pscope.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/// The window's options end to end, in a separate JVM as a user runs them: a usage error is one line in the
/// command line's words and exit code 2, never a stack trace; a good `--tab` with `--select` is honoured.
class WindowLaunchTest {

    record Run(int code, String out, String err) { }

    /// Everything this test JVM runs with, as one class path: surefire puts the modules (ours, JavaFX, ControlsFX)
    /// on the module path, which a plain `-cp` child would not see.
    static String classPath() {
        List<String> parts = new ArrayList<>();
        for (String key : List.of("jdk.module.path", "java.class.path")) {
            String v = System.getProperty(key);
            if (v != null && !v.isBlank()) parts.add(v);
        }
        return String.join(java.io.File.pathSeparator, parts);
    }

    static Run run(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dglass.platform=Headless", "-Dprism.order=sw", "-Djava.awt.headless=true",
                "-Djava.util.prefs.userRoot=" + dir.resolve("prefs"), "-cp", classPath(), "dev.p2pscope.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the window did not exit");
        }
        return new Run(p.exitValue(), Files.readString(dir.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
    }

    @Test
    void aSelectionNotInTheTopologyIsAUsageErrorWithoutAStackTrace(@TempDir Path dir) throws Exception {
        Path shot = dir.resolve("x.png");
        Run r = run(dir, "--sample", "skylake-sp-2s-switch", "--select", "99:00.0,1c:00.0", "--screenshot",
                shot.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("p2pscope: --select: no function 0000:99:00.0 in this topology")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(shot).doesNotExist();
    }

    @Test
    void badOptionValuesStopBeforeAnythingIsDrawn(@TempDir Path dir) throws Exception {
        Run theme = run(dir, "--sample", "skylake-sp-2s-switch", "--theme", "purple", "--screenshot",
                dir.resolve("t.png").toString());
        assertThat(theme.code()).isEqualTo(2);
        assertThat(theme.err()).contains("expected one of [light, dark] but was 'purple'").doesNotContain("\tat ");
        Run shot = run(dir, "--sample", "skylake-sp-2s-switch", "--screenshot", "/nonexistent/dir/x.png");
        assertThat(shot.code()).isEqualTo(2);
        assertThat(shot.err()).contains("--screenshot: cannot write /nonexistent/dir/x.png").doesNotContain("\tat ");
        Run tab = run(dir, "--tab", "Nowhere", "--sample", "skylake-sp-2s-switch");
        assertThat(tab.code()).isEqualTo(2);
        assertThat(tab.err()).contains("Invalid value for option '--tab'");
        assertThat(dir.resolve("t.png")).doesNotExist();
    }
}
