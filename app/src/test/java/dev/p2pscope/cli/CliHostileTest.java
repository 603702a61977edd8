package dev.p2pscope.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/// Issue 14 at the command line: notices shown (and hidden with --quiet), reasons given, problem lists capped,
/// an escaping Error turned into one line.
class CliHostileTest {

    @TempDir Path tmp;

    static Path capture(String name) {
        return Path.of("../core/src/test/resources/dev/p2pscope/core/topology/snapshots", name);
    }

    @Test
    void theLoadersNoticesAreCountedOnStderrAndQuietHidesThem() throws Exception {
        Path power9 = capture("hwloc-power9-nvidiagpunumanodes.tar.bz2");
        CliTest.Run r = CliTest.run("tree", "--numeric", "--sysfs", power9.toString());
        assertThat(r.code()).isZero();
        assertThat(r.err()).containsPattern("\\d+ notices? while loading").contains("plain directories");
        assertThat(r.err().lines().count()).isLessThanOrEqualTo(6);
        CliTest.Run q = CliTest.run("tree", "--numeric", "--quiet", "--sysfs", power9.toString());
        assertThat(q.err()).isEmpty();
        assertThat(q.out()).isEqualTo(r.out());
    }

    @Test
    void readAndWriteFailuresSayWhy() {
        CliTest.Run r = CliTest.run("tree", "--topology", tmp.resolve("nope.json").toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("cannot read: no such file or directory");
        CliTest.Run w = CliTest.run("export", "--sample", "amd-epyc-rome", "--format", "json", "-o",
                "/proc/nope.json");
        assertThat(w.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(w.err()).containsAnyOf("no such file", "permission denied", "read-only file system");
    }

    @Test
    void aReadmeIsNotAnLspciDump() throws Exception {
        Path readme = tmp.resolve("README.md");
        Files.writeString(readme, "# P2PScope\n\n1a:00.0  SELF    BUS 4\n");
        CliTest.Run r = CliTest.run("tree", "--lspci", readme.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).startsWith(readme + ":1:1: ");
    }

    @Test
    void thousandsOfProblemsPrintAScreenful() throws Exception {
        StringBuilder b = new StringBuilder("{\"format\": \"p2pscope-topology/1\", \"devices\": [");
        for (int i = 0; i < 5000; i++) b.append(i == 0 ? "" : ",").append("{\"bdf\": \"x\"}");
        Path f = tmp.resolve("bad.json");
        Files.writeString(f, b.append("]}").toString());
        CliTest.Run r = CliTest.run("tree", "--topology", f.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err().lines().count()).isLessThanOrEqualTo(51);
        assertThat(r.err()).contains("more problems");
    }

    /// A shape the generator cannot or should not make is a usage error naming the parameter, at once (a hundred
    /// million endpoints ran for minutes; a negative count or a density of 2 quietly made something).
    @Test
    void generateRefusesShapesItCannotMakeWithAUsageErrorNamingTheParameter() {
        Path out = tmp.resolve("g.json");
        String[][] cases = {
                {"--endpoints", "0", "endpoints must be from 1 to 100,000, got 0"},
                {"--endpoints", "-5", "endpoints must be from 1 to 100,000, got -5"},
                {"--endpoints", "100000000", "endpoints must be from 1 to 100,000"},
                {"--root-complexes", "100000", "endpoint functions; at most 100,000 are generated"},
                {"--acs-density", "2", "ACS redirect density is a probability from 0 to 1, got 2.0"},
                {"--p2pmem-density", "-1", "p2pmem density is a probability from 0 to 1, got -1.0"},
                {"--fanout", "0", "fan-out (downstream ports per switch) must be from 1 to 32, got 0"},
                {"--functions", "9", "functions per endpoint device must be from 1 to 8, got 9"},
        };
        for (String[] c : cases) {
            CliTest.Run r = CliTest.run("generate", c[0], c[1], "-o", out.toString());
            assertThat(r.code()).as(c[0] + " " + c[1]).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).as(c[0] + " " + c[1]).startsWith("p2pscope generate: ").contains(c[2]);
            assertThat(r.err().lines()).hasSize(1);
            assertThat(out).doesNotExist();
        }
    }

    /// A snapshot that cannot be written says where and why, not just a path.
    @Test
    void aSnapshotIntoAMissingDirectorySaysSo() {
        Path out = tmp.resolve("no-such-dir").resolve("host.tar.gz");
        CliTest.Run r = CliTest.run("snapshot", "-o", out.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).isEqualTo("p2pscope snapshot: cannot write " + out + ": the directory " + out.getParent()
                + " does not exist\n");
        assertThat(out.getParent()).doesNotExist();
    }

    @Test
    void anEscapingErrorIsOneLineAndAnExitCode() {
        StringWriter err = new StringWriter();
        assertThat(P2pCommand.errorExit(new StackOverflowError(), new PrintWriter(err))).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(err.toString().lines()).hasSize(1);
        StringWriter err2 = new StringWriter();
        assertThat(P2pCommand.errorExit(new AssertionError("x"), new PrintWriter(err2))).isEqualTo(ExitCodes.INTERNAL);
        assertThat(err2.toString().lines()).hasSize(1);
    }
}
