package dev.p2pscope.cli;

import dev.p2pscope.app.concurrent.ImmediateTaskRunner;
import dev.p2pscope.app.viewmodel.ExplorerViewModel;
import dev.p2pscope.app.viewmodel.LiveViewModel;
import dev.p2pscope.core.live.CopyPlan;
import dev.p2pscope.core.samples.Samples;
import dev.p2pscope.core.topology.sysfs.SysfsExporter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/// `copy` and the Live tab make the same plan for the same arguments: both only map into core's CopyPlan. The host
/// is fake: the q35 lab machine's sysfs, with one directory of the test filesystem mounted on 03:00.0's namespace
/// and another on an NVMe multipath head.
class CopyPlanParityTest {

    @TempDir Path tmp;
    Path root;
    Path onSwitch;
    Path onHead;

    @BeforeEach
    void fakeHost() throws Exception {
        Path dir = tmp.toRealPath();
        root = dir.resolve("root");
        SysfsExporter.export(Samples.load("qemu-q35-switch-cmb").topology(), root);
        Path fn;
        try (var s = Files.walk(root.resolve("sys/devices"))) {
            fn = s.filter(p -> p.getFileName().toString().equals("0000:03:00.0")).findFirst().orElseThrow();
        }
        Path disk = Files.createDirectories(fn.resolve("nvme/nvme0/nvme0n1"));
        Path head = Files.createDirectories(root.resolve("sys/devices/virtual/nvme-subsystem/nvme-subsys1/nvme1n1"));
        Path devBlock = Files.createDirectories(root.resolve("sys/dev/block"));
        Files.createSymbolicLink(devBlock.resolve("259:0"), devBlock.relativize(disk));
        Files.createSymbolicLink(devBlock.resolve("259:1"), devBlock.relativize(head));
        onSwitch = Files.createDirectories(dir.resolve("on-switch"));
        onHead = Files.createDirectories(dir.resolve("on-head"));
        Files.createDirectories(root.resolve("proc/self"));
        Files.write(root.resolve("proc/self/mountinfo"), List.of(
                "21 1 254:0 / / rw - ext4 /dev/vda rw",
                "30 21 259:0 / " + onSwitch + " rw - ext4 /dev/nvme0n1 rw",
                "31 21 259:1 / " + onHead + " rw - ext4 /dev/nvme1n1 rw"));
        Files.write(onSwitch.resolve("src"), new byte[1 << 20]);
        Files.write(onHead.resolve("src"), new byte[1 << 20]);
    }

    CopyPlan cli(String... args) {
        CopyCommand c = new CopyCommand();
        new CommandLine(c).parseArgs(args);
        return c.plan(c.options());
    }

    LiveViewModel tab(Path src, Path dst, String buffer, boolean check) {
        LiveViewModel m = new LiveViewModel(new ExplorerViewModel(new ImmediateTaskRunner()), new ImmediateTaskRunner(),
                root);
        m.sourceProperty().set(src.toString());
        m.destinationProperty().set(dst.toString());
        m.chunkSizeProperty().set("64k");
        m.chunksProperty().set("16");
        m.threadsProperty().set("2");
        m.checkProperty().set(check);
        m.bufferProperty().set(buffer);
        return m;
    }

    @Test
    void theLiveTabAndCopyMakeTheSamePlan() {
        Path src = onSwitch.resolve("src");
        Path dst = onSwitch.resolve("dst");
        LiveViewModel m = tab(src, dst, "0000:03:00.0 p2pmem", true);
        // The tab offers this host's providers (the fake host's three CMBs), read from its sysfs.
        assertThat(m.buffers()).contains("0000:03:00.0 p2pmem", "0000:05:00.0 p2pmem", LiveViewModel.AUTO);
        CopyPlan fromTab = m.plan();
        CopyPlan fromCli = cli(src.toString(), dst.toString(), "--p2pmem", "0000:03:00.0", "-s", "64k", "-c", "16",
                "-t", "2", "--check", "--root", root.toString());
        assertThat(fromTab).isEqualTo(fromCli);
        assertThat(fromTab.mayRun()).isTrue();
        assertThat(fromTab.preflight().verdicts()).hasSize(2);
        // auto and a host buffer too.
        m.bufferProperty().set(LiveViewModel.AUTO);
        assertThat(m.plan()).isEqualTo(cli(src.toString(), dst.toString(), "--p2pmem", "auto", "-s", "64k", "-c", "16",
                "-t", "2", "--check", "--root", root.toString()));
        m.bufferProperty().set(LiveViewModel.HOST);
        assertThat(m.plan()).isEqualTo(cli(src.toString(), dst.toString(), "-s", "64k", "-c", "16", "-t", "2",
                "--check", "--root", root.toString()));
    }

    @Test
    void aMultipathHeadIsRefusedTheSameWayInBoth() {
        Path src = onHead.resolve("src");
        Path dst = onSwitch.resolve("dst");
        LiveViewModel m = tab(src, dst, "0000:03:00.0 p2pmem", false);
        CopyPlan plan = m.plan();
        assertThat(plan).isEqualTo(cli(src.toString(), dst.toString(), "--p2pmem", "0000:03:00.0", "-s", "64k", "-c",
                "16", "-t", "2", "--root", root.toString()));
        assertThat(plan.mayRun()).isFalse();
        m.preflight();
        assertThat(m.resultProperty().get()).contains("REFUSED: preflight refused").contains("multipath head");
        CliTest.Run r = CliTest.run("copy", src.toString(), dst.toString(), "--p2pmem", "0000:03:00.0", "-s", "64k",
                "-c", "16", "--root", root.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.LIVE_REFUSED);
        assertThat(r.err()).contains("not a P2PDMA client").contains("--force");
        assertThat(dst).doesNotExist();
    }

    @Test
    void theTabsDefaultsFitTheSource() {
        LiveViewModel m = new LiveViewModel(new ExplorerViewModel(new ImmediateTaskRunner()), new ImmediateTaskRunner(),
                root);
        m.chunksProperty().set("256");
        m.sourceProperty().set(onSwitch.resolve("src").toString());   // 1 MiB
        assertThat(m.options().total()).isLessThanOrEqualTo(1 << 20);
        assertThat(m.fittedProperty().get()).contains("fitted to the source");
    }
}
