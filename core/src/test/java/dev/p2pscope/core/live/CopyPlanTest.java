package dev.p2pscope.core.live;

import dev.p2pscope.core.engine.MapType;
import dev.p2pscope.core.engine.Verdict;
import dev.p2pscope.core.model.PciAddress;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/// The copy plan on a fake host (sysfs + /proc/self/mountinfo): verdicts for files that do not exist yet,
/// symlinked device paths, NVMe multipath heads, /dev/nvmeN, an unbound provider, and the pool's errors.
class CopyPlanTest {

    static final PciAddress P03 = PciAddress.parse("0000:03:00.0");
    static final PciAddress P05 = PciAddress.parse("0000:05:00.0");

    @TempDir Path tmp;
    FakeHost host;

    @BeforeEach
    void setUp() throws Exception {
        host = new FakeHost(tmp);
    }

    CopyOptions options(Path src, Path dst) {
        return new CopyOptions(src, dst, 4096, 4, 1, 0, -1, false, 0, false, false, false, List.of());
    }

    @Test
    void aDestinationFileThatDoesNotExistYetGetsTheVerdictOfItsFilesystemsDrive() throws IOException {
        Path src = FakeHost.file(host.onSwitch.resolve("src"), 1 << 16);
        Path dst = host.acrossRootPort.resolve("new-file");
        assertThat(DeviceMap.backingOf(dst, host.root)).isEqualTo(new DeviceMap.Function(P05, "nvme2n1", true));
        CopyPlan plan = CopyPlan.of(options(src, dst), new BufferChoice.Provider(P03), host.root, false);
        assertThat(plan.provider()).isEqualTo(P03);
        assertThat(plan.preflight().verdicts()).extracting(Verdict::mapType)
                .containsExactly(MapType.BUS_ADDR, MapType.NOT_SUPPORTED);
        assertThat(plan.mayRun()).isFalse();
        assertThat(plan.refusal()).contains("0000:05:00.0 is NOT_SUPPORTED")
                .contains("the kernel would refuse the transfer; --force runs it anyway");
        assertThat(dst).doesNotExist();
        // The same copy inside the switch is allowed.
        CopyPlan ok = CopyPlan.of(options(src, host.onSwitch.resolve("new")), new BufferChoice.Provider(P03), host.root,
                false);
        assertThat(ok.mayRun()).as(ok.refusal()).isTrue();
        assertThat(ok.bufferPath()).isEqualTo(DeviceMap.allocateFile(host.root, P03));
    }

    @Test
    void aSymlinkedDevicePathIsResolvedForTheVerdictAndTheSafetyRails() throws IOException {
        Optional<Path> device;
        try (var s = Files.list(Path.of("/dev"))) {
            device = s.filter(DeviceMap::isBlockDevice).sorted().findFirst();
        }
        Assumptions.assumeTrue(device.isPresent(), "no block device node in /dev to point a symlink at");
        String name = device.get().getFileName().toString();
        // In the fake host that device node is 05:00.0's namespace, and it is mounted.
        host.block(name, host.function("0000:05:00.0").resolve("nvme/nvme2/" + name));
        Files.createDirectories(host.function("0000:05:00.0").resolve("nvme/nvme2/" + name));
        Files.createDirectories(host.root.resolve("proc"));
        Files.writeString(host.root.resolve("proc/mounts"), "/dev/" + name + " /data ext4 rw 0 0\n");
        Path byId = tmp.resolve("by-id");
        Files.createDirectories(byId);
        Path link = Files.createSymbolicLink(byId.resolve("nvme-QEMU_NVMe_Ctrl_0003"), device.get());
        assertThat(DeviceMap.backingOf(link, host.root)).isEqualTo(new DeviceMap.Function(P05, name, true));
        assertThat(new Safety(host.root).refusals(link, false, List.of()))
                .contains("/dev/" + name + " is mounted on /data");
    }

    @Test
    void anNvmeMultipathHeadIsNotAP2pdmaClientEvenOnTheDriveThatHoldsTheCmb() throws IOException {
        Path src = FakeHost.file(host.onMultipath.resolve("src"), 1 << 16);
        DeviceMap.Backing b = DeviceMap.backingOf(src, host.root);
        assertThat(b).isEqualTo(new DeviceMap.MultipathHead("nvme3n1", "nvme-subsys3", List.of(P03)));
        CopyPlan plan = CopyPlan.of(options(src, host.onSwitch.resolve("dst")), new BufferChoice.Provider(P03),
                host.root, false);
        assertThat(plan.mayRun()).isFalse();
        assertThat(plan.preflight().refusals()).singleElement().asString()
                .contains("nvme3n1 (NVMe multipath head of nvme-subsys3, paths through 0000:03:00.0)")
                .contains("not a P2PDMA client").contains("6.2 and later").contains("nvme_core.multipath=N");
        // Only the destination got a verdict: the head has none to give.
        assertThat(plan.preflight().verdicts()).extracting(Verdict::client).containsExactly(P03);
        // --force may override the prediction, but it is still shown.
        CopyPlan forced = CopyPlan.of(plan.options(), plan.buffer(), host.root, true);
        assertThat(forced.mayRun()).isTrue();
        assertThat(forced.lines()).anyMatch(l -> l.startsWith("preflight (forced):") && l.contains("multipath"));
        // A host buffer has no P2PDMA: the head is fine then.
        assertThat(CopyPlan.of(plan.options(), new BufferChoice.Host(), host.root, false).mayRun()).isTrue();
    }

    @Test
    void theNvmeCharacterDeviceIsRefusedWithTheKernelsThatSupportEachSource() {
        BufferChoice c = BufferChoice.parse("/dev/nvme0");
        assertThat(c).isEqualTo(new BufferChoice.NvmeCharDevice(Path.of("/dev/nvme0")));
        Path src = host.onSwitch.resolve("src");
        CopyPlan plan = CopyPlan.of(options(src, host.onSwitch.resolve("dst")), c, host.root, false);
        assertThat(plan.provider()).isEqualTo(P03);
        assertThat(plan.preflight().refusals()).first().asString().contains("never merged")
                .contains("/sys/bus/pci/devices/0000:03:00.0/p2pmem/allocate").contains("6.2");
        assertThat(BufferChoice.parse("/dev/p2pmem0")).isInstanceOf(BufferChoice.P2pmemDevice.class);
        assertThat(BufferChoice.parse("03:00.0")).isEqualTo(new BufferChoice.Provider(P03));
        assertThat(BufferChoice.parse("auto")).isInstanceOf(BufferChoice.Auto.class);
    }

    /// Each bad count is refused in words about that count (zero threads divide nothing, but that is not the point).
    @Test
    void badCountsAreRefusedInTheirOwnWords() {
        Path p = tmp.resolve("x");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CopyOptions(p, p, 4096, 16, 0, 0, -1, false, 0,
                false, false, false, List.of())).hasMessage("threads must be positive");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CopyOptions(p, p, 4096, 16, 3, 0, -1, false, 0,
                false, false, false, List.of())).hasMessageContaining("threads must divide the number of chunks");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CopyOptions(p, p, 4096, 0, 1, 0, -1, false, 0,
                false, false, false, List.of())).hasMessage("chunks must be positive");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new CopyOptions(p, p, 4096, 16, 1, 0, -5, false, 0,
                false, false, false, List.of())).hasMessage("duration is seconds to run, or -1 for one pass; got -5.0");
        assertThat(new CopyOptions(p, p, 4096, 16, 1, 0, 2.5, false, 0, false, false, false, List.of())
                .durationSeconds()).isEqualTo(2.5);
    }

    @Test
    void anUnboundProviderGetsNoVerdictAndItsMissingAllocateFileIsExplained() throws IOException {
        Path src = FakeHost.file(host.onSwitch.resolve("src"), 1 << 16);
        Path pool = host.function("0000:03:00.0").resolve("p2pmem");
        try (var s = Files.walk(pool)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
        CopyPlan plan = CopyPlan.of(options(src, host.onSwitch.resolve("dst")), new BufferChoice.Provider(P03),
                host.root, false);
        assertThat(plan.preflight().verdicts()).isEmpty();
        assertThat(plan.lines()).noneMatch(l -> l.contains("BUS_ADDR"));
        assertThat(plan.refusal()).contains("has no p2pmem pool now").contains("unbound")
                .contains("(--force tries it anyway)").doesNotContain("the kernel would refuse");
        IOException e = org.assertj.core.api.Assertions.catchThrowableOfType(IOException.class,
                () -> DmaBuffer.p2pmem(pool.resolve("allocate"), 4096, pool));
        assertThat(e.getMessage()).contains("No such file").contains("unbinding the provider removes it");
    }

    @Test
    void poolExhaustedIsSaidOnlyWhenItIs() throws IOException {
        Path pool = host.function("0000:03:00.0").resolve("p2pmem");
        Files.writeString(pool.resolve("available"), "1048576\n");
        assertThat(DmaBuffer.poolText(2 << 20, pool)).contains("exhausted").contains("1048576 available");
        Files.writeString(pool.resolve("available"), "67108864\n");
        assertThat(DmaBuffer.poolText(2 << 20, pool)).doesNotContain("exhausted").contains("contiguous");
        assertThat(DmaBuffer.poolText(2 << 20, null)).doesNotContain("exhausted").contains("not known");
    }

    @Test
    void autoChoosesAmongThisHostsProvidersForTheFilesDrives() throws IOException {
        Path src = FakeHost.file(host.onSwitch.resolve("src"), 1 << 16);
        CopyPlan plan = CopyPlan.of(options(src, host.onSwitch.resolve("dst")), new BufferChoice.Auto(), host.root,
                false);
        // Both sides are 03:00.0: its own CMB is at distance 0.
        assertThat(plan.provider()).isEqualTo(P03);
        assertThat(plan.lines()).first().asString().contains("auto: the kernel would pick 0000:03:00.0");
        assertThat(CopyPlan.hostProviders(host.root)).contains(P03, P05);
    }
}
