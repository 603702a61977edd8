package dev.p2pscope.app;

import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.topology.TopologySource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/// The window's options: both spellings, one source at most, and the headless fallback keeping the rest.
class WindowOptionsTest {

    @Test
    void parsesBothSpellingsAndTheSelection() {
        WindowOptions o = WindowOptions.parse(new String[] {"--sample=hgx-8gpu-8nic", "--select", "1a:00.0,3d:00.0",
                "--tab", "Matrix", "--theme=dark"});
        assertThat(o.source()).isEqualTo(TopologySource.sample("hgx-8gpu-8nic"));
        assertThat(o.selectProvider()).isEqualTo(PciAddress.parse("0000:1a:00.0"));
        assertThat(o.selectClient()).isEqualTo(PciAddress.parse("0000:3d:00.0"));
        assertThat(o.tab()).isEqualTo("Matrix");
        assertThat(o.theme()).isEqualTo("dark");
        assertThat(o.screenshot()).isNull();
    }

    @Test
    void refusesTwoSourcesAndUnknownOptions() {
        assertThatThrownBy(() -> WindowOptions.parse(new String[] {"--sample", "a", "--topology", "b.json"}))
                .hasMessageContaining("at most one");
        assertThatThrownBy(() -> WindowOptions.parse(new String[] {"--zoom", "2"}))
                .hasMessageContaining("unknown window option --zoom");
        // Unknown last (nothing after it to take as its value): still unknown, not "needs a value".
        assertThatThrownBy(() -> WindowOptions.parse(new String[] {"--sample", "a", "--bogus"}))
                .hasMessageStartingWith("unknown window option --bogus");
        assertThatThrownBy(() -> WindowOptions.parse(new String[] {"--select", "1a:00.0"}))
                .hasMessageContaining("PROVIDER,CLIENT");
    }

    @Test
    void withoutADisplayTheWindowIsRenderedAndEverythingElseIsKept() {
        WindowOptions o = WindowOptions.parse(new String[] {"--sample", "qemu-q35-switch-cmb", "--select",
                "03:00.0,04:00.0", "--tab", "SGL"});
        WindowOptions shot = o.withScreenshot(Path.of("/tmp/w.png"));
        assertThat(shot.screenshot()).isEqualTo(Path.of("/tmp/w.png"));
        assertThat(shot).usingRecursiveComparison().ignoringFields("screenshot").isEqualTo(o);
    }

    @Test
    void badValuesAreUsageErrorsInTheCommandLinesWords(@org.junit.jupiter.api.io.TempDir Path dir) {
        assertThatThrownBy(() -> WindowOptions.parse(new String[] {"--theme", "purple"}))
                .hasMessage("Invalid value for option '--theme': expected one of [light, dark] but was 'purple'");
        assertThatThrownBy(() -> WindowOptions.parse(new String[] {"--tab", "Lessons"}))
                .hasMessageStartingWith("Invalid value for option '--tab': expected one of [Verdict, Inspector, Matrix,")
                .hasMessageEndingWith("but was 'Lessons'");
        assertThatThrownBy(() -> WindowOptions.parse(new String[] {"--screenshot", "/nonexistent/dir/x.png"}))
                .hasMessage("--screenshot: cannot write /nonexistent/dir/x.png: there is no directory /nonexistent/dir");
        assertThatThrownBy(() -> WindowOptions.parse(new String[] {"--screenshot", dir.toString()}))
                .hasMessageContaining("is not a file name");
        assertThatThrownBy(() -> WindowOptions.parse(new String[] {"--select", "zz:00.0,1c:00.0"}))
                .hasMessageStartingWith("--select: not a PCI address");
        // Case does not matter, and the value is kept as the window spells it.
        assertThat(WindowOptions.parse(new String[] {"--tab", "what-IF", "--theme", "Dark"}))
                .extracting(WindowOptions::tab, WindowOptions::theme).containsExactly("What-if", "dark");
        assertThat(WindowOptions.parse(new String[] {"--screenshot", dir.resolve("x.png").toString()}).screenshot())
                .isEqualTo(dir.resolve("x.png"));
    }

    @Test
    void aSelectionOutsideTheTopologyIsNamedLikeTheCliNamesIt() throws Exception {
        var t = dev.p2pscope.core.samples.Samples.load("skylake-sp-2s-switch").topology();
        assertThat(WindowOptions.parse(new String[] {"--select", "99:00.0,1c:00.0"}).selectionProblem(t))
                .isEqualTo("--select: no function 0000:99:00.0 in this topology");
        assertThat(WindowOptions.parse(new String[] {"--select", "1a:00.0,1c:00.1"}).selectionProblem(t))
                .isEqualTo("--select: no function 0000:1c:00.1 in this topology");
        assertThat(WindowOptions.parse(new String[] {"--select", "1a:00.0,1c:00.0"}).selectionProblem(t)).isNull();
    }
}
