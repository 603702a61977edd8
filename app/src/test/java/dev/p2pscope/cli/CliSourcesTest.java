package dev.p2pscope.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.p2pscope.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

/// `--sysfs` (tarballs, directories) and `--lspci` for every analysis command, `snapshot`, `export --format sysfs`.
class CliSourcesTest {

    static final Path SNAPSHOTS = Path.of("../core/src/test/resources/dev/p2pscope/core/topology/snapshots");

    static String snap(String name) {
        return SNAPSHOTS.resolve(name).toString();
    }

    @Test
    void treeOfASnapshotIsWhatLspciPrints() throws Exception {
        CliTest.Run r = run("tree", "--sysfs", snap("ghw-xeon-l5640-sriov.tar.gz"), "--numeric");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(Files.readString(SNAPSHOTS.resolve("ghw-xeon-l5640-sriov.lspci-tvn.txt")));
    }

    @Test
    void checkOnTheAcsCapturePrintsTheKernelsOwnSuggestion() {
        CliTest.Run r = run("check", "--sysfs", snap("qemu612-acsdsp-config-acs-rr.tar.gz"),
                "--provider", "0000:03:00.0", "--client", "0000:04:00.0");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("NOT_SUPPORTED")
                .contains("0000:04:00.0: to disable ACS redirect for this path, add the kernel parameter: "
                        + "pci=disable_acs_redir=0000:02:00.0;0000:02:01.0");
    }

    @Test
    void matrixFindProviderAndCheckWorkOnAnLspciDump() throws Exception {
        String dump = snap("qemu612-base.lspci-xxxx.txt");
        assertThat(run("matrix", "--lspci", dump, "--devices", "03:00.0,04:00.0,05:00.0", "--json").json()
                .get("distance").toString()).isEqualTo("[[0,4,-1],[4,0,-1],[-1,-1,0]]");
        assertThat(run("check", "--lspci", dump, "--provider", "03:00.0", "--client", "04:00.0", "--json").json()
                .get("mapType").asText()).isEqualTo("BUS_ADDR");
        // A dump has no p2pmem: no provider to find.
        assertThat(run("find-provider", "--lspci", dump, "--clients", "04:00.0", "--json").json()
                .get("chosen").isNull()).isTrue();
    }

    @Test
    void findProviderOnARealCaptureSeesPublishedCmbs() throws Exception {
        var j = run("find-provider", "--sysfs", snap("qemu612-base.tar.gz"), "--clients", "0000:04:00.0",
                "--seed", "1", "--json").json();
        assertThat(j.get("closest").toString()).isEqualTo("[\"0000:04:00.0\"]");
        assertThat(j.get("candidates")).hasSize(3);
    }

    @Test
    void anUnusableTreeIsExitCodeThreeWithOneLine(@TempDir Path dir) {
        CliTest.Run r = run("tree", "--sysfs", dir.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("no sysfs PCI tree here");
        assertThat(run("tree", "--lspci", dir.resolve("nope.txt").toString()).code()).isEqualTo(ExitCodes.BAD_INPUT);
    }

    @Test
    void exportSysfsThenSnapshotThenReadBackGivesTheSameVerdicts(@TempDir Path dir) throws Exception {
        Path tree = dir.resolve("tree");
        assertThat(run("export", "--sample", "acs-redirect-switch", "--format", "sysfs", "-o", tree.toString())
                .code()).isZero();
        Path tgz = dir.resolve("snap.tar.gz");
        CliTest.Run s = run("snapshot", "--root", tree.toString(), "-o", tgz.toString());
        assertThat(s.code()).isZero();
        assertThat(s.out()).contains("captured");
        String fromSample = run("matrix", "--sample", "acs-redirect-switch", "--json").out();
        assertThat(run("matrix", "--sysfs", tree.toString(), "--json").out()).isEqualTo(fromSample);
        assertThat(run("matrix", "--sysfs", tgz.toString(), "--json").out()).isEqualTo(fromSample);
    }
}
