package dev.p2pscope.core.topology;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/// One typed source: each kind loads through its loader and describes itself the same way everywhere.
class TopologySourceTest {

    @Test
    void eachOptionNamesItsKindOfSource() {
        assertThat(TopologySource.fromOption("--sample", "x")).isEqualTo(new TopologySource.Sample("x"));
        assertThat(TopologySource.fromOption("--topology", "t.json")).isEqualTo(new TopologySource.JsonFile(Path.of("t.json")));
        assertThat(TopologySource.fromOption("--sysfs", "/")).isEqualTo(TopologySource.thisHost());
        assertThat(TopologySource.fromOption("--lspci", "d.txt")).isEqualTo(new TopologySource.Lspci(Path.of("d.txt")));
        assertThatThrownBy(() -> TopologySource.fromOption("--select", "x")).hasMessageContaining("--sample");
    }

    @Test
    void describesItselfForHeadersAndTheStatusBar() {
        assertThat(TopologySource.sample("acs-redirect-switch").describe()).isEqualTo("sample acs-redirect-switch");
        assertThat(TopologySource.thisHost().describe()).isEqualTo("this host (/sys)");
        assertThat(TopologySource.sysfs(Path.of("snap.tar.gz")).describe()).isEqualTo("sysfs snap.tar.gz");
        assertThat(TopologySource.lspci(Path.of("d.txt")).describe()).isEqualTo("lspci dump d.txt");
        assertThat(TopologySource.json(Path.of("t.json")).describe()).isEqualTo("t.json");
    }

    @Test
    void aSampleLoadsAndAnUnknownOneNamesTheSamples() throws Exception {
        assertThat(TopologySource.sample("acs-redirect-switch").load().topology().size()).isPositive();
        assertThat(TopologySource.sampleNames()).contains("skylake-sp-2s-switch");
        assertThatThrownBy(() -> TopologySource.sample("nope").load()).isInstanceOf(TopologyLoadException.class)
                .hasMessageContaining("skylake-sp-2s-switch");
    }

    @Test
    void detectTellsJsonFromAnLspciDumpByContent(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("no-suffix");
        Files.writeString(json, TopologyJson.write(TopologySource.sample("acs-redirect-switch").load().topology()));
        assertThat(TopologySource.detect(json).load().topology().size())
                .isEqualTo(TopologySource.sample("acs-redirect-switch").load().topology().size());
        Path junk = dir.resolve("junk.txt");
        Files.writeString(junk, "not a dump\n");
        // Not JSON, not a directory or a tarball: read as an lspci dump, whose loader names the file.
        assertThatThrownBy(() -> TopologySource.detect(junk).load()).isInstanceOf(TopologyLoadException.class)
                .hasMessageContaining("junk.txt");
        assertThatThrownBy(() -> TopologySource.detect(dir.resolve("missing")).load())
                .isInstanceOf(TopologyLoadException.class).hasMessageContaining("missing");
    }
}
