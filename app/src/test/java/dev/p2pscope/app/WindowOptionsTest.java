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
}
