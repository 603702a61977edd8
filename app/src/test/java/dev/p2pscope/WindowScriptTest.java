package dev.p2pscope;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/// `tools/window.sh`, the one owner of "does this run open the window, and can this machine show one", sourced by
/// `./p2pscope` and by the packaged `/usr/bin/p2pscope` (which the package installs it for).
class WindowScriptTest {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path SCRIPT = ROOT.resolve("tools/window.sh");

    static AotCacheScriptTest.Result bash(String script, String display) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -u; . \"$0\"; " + script, SCRIPT.toString());
        pb.environment().remove("DISPLAY");
        pb.environment().remove("WAYLAND_DISPLAY");
        if (display != null) pb.environment().put("DISPLAY", display);
        return AotCacheScriptTest.run(pb);
    }

    static String wants(String args) throws Exception {
        return bash("if p2p_wants_window " + args + "; then echo window; else echo cli; fi", null).out().strip();
    }

    @Test
    void theWindowOpensWithoutArgumentsOrWithWindowOptionsAndNeverForACommand() throws Exception {
        assertThat(wants("")).isEqualTo("window");
        assertThat(wants("--sample skylake-sp-2s-switch --tab Matrix")).isEqualTo("window");
        assertThat(wants("--topology /tmp/x.json --screenshot /tmp/x.png")).isEqualTo("window");
        assertThat(wants("--bench-render")).isEqualTo("window");
        assertThat(wants("check --sample x --provider a --client b")).isEqualTo("cli");
        assertThat(wants("--help")).isEqualTo("cli");
        assertThat(wants("--version")).isEqualTo("cli");
        assertThat(wants("samples")).isEqualTo("cli");
    }

    @Test
    void withoutADisplayTheWindowIsRenderedHeadlessAndSaysWhy() throws Exception {
        AotCacheScriptTest.Result r = bash("o=(-Dx=1); p2p_window_opts o; printf '%s\\n' \"${o[@]}\"", null);
        assertThat(r.code()).isZero();
        assertThat(r.out().lines().toList()).containsExactly("-Dx=1", "-Dglass.platform=Headless", "-Dprism.order=sw",
                "-Dp2pscope.noWindow=there is no display: DISPLAY and WAYLAND_DISPLAY are unset");
        // With a display, the only question left is GTK 3: either the window is shown, or the reason names it.
        String withDisplay = bash("p2p_no_window_reason", ":0").out();
        assertThat(withDisplay).satisfiesAnyOf(s -> assertThat(s).isEmpty(),
                s -> assertThat(s).contains("GTK 3").contains("libgtk-3-0"));
    }

    /// Both launchers ask tools/window.sh and decide nothing about displays themselves; the package installs it.
    @Test
    void bothLaunchersSourceTheOneFileAndThePackageInstallsIt() throws Exception {
        for (String launcher : List.of("p2pscope", "packaging/p2pscope.in")) {
            String text = Files.readString(ROOT.resolve(launcher));
            assertThat(text).as(launcher).contains("window.sh").contains("p2p_wants_window")
                    .contains("p2p_window_opts").doesNotContain("DISPLAY").doesNotContain("libgtk");
        }
        assertThat(Files.readString(ROOT.resolve("packaging/build-deb"))).contains("tools/window.sh")
                .contains("lib/window.sh");
        assertThat(Files.readString(ROOT.resolve("packaging/p2pscope.in"))).contains(". @PREFIX@/lib/window.sh");
    }
}
