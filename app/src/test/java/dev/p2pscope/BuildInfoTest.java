package dev.p2pscope;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/// `p2pscope --version` names the build: version, commit and date as the build recorded them, and "unknown"
/// (never a guess) for what it could not learn.
class BuildInfoTest {

    @Test
    void theBuildRecordsItsVersionCommitAndDate() {
        BuildInfo b = BuildInfo.current();
        assertThat(b.version()).matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(b.date()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(b.commit()).matches("[0-9a-f]{7,40}|unknown");
        assertThat(b.describe()).startsWith("p2pscope " + b.version() + " (commit " + b.commit())
                .endsWith(", built " + b.date() + ")");
    }

    @Test
    void whatTheBuildCouldNotFillInReadsAsUnknown() {
        Properties p = new Properties();
        p.setProperty("version", "${project.version}");
        p.setProperty("commit", "");
        BuildInfo b = BuildInfo.of(p);
        assertThat(b).isEqualTo(new BuildInfo("unknown", "unknown", false, "unknown"));
        assertThat(b.describe()).isEqualTo("p2pscope unknown (commit unknown, built unknown)");

        p.setProperty("commit", "abc1234");
        p.setProperty("dirty", "true");
        assertThat(BuildInfo.of(p).describe()).contains("commit abc1234 with uncommitted changes");
    }

    @Test
    void onlyABareVersionOptionIsAVersionRequest() {
        assertThat(Main.isVersionRequest(new String[] {"--version"})).isTrue();
        assertThat(Main.isVersionRequest(new String[] {"-V"})).isTrue();
        assertThat(Main.isVersionRequest(new String[] {"check", "--version"})).isFalse();
        assertThat(Main.isVersionRequest(new String[0])).isFalse();
    }
}
