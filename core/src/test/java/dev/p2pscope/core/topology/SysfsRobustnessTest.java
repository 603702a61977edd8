package dev.p2pscope.core.topology;

import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.topology.sysfs.DiskTree;
import dev.p2pscope.core.topology.sysfs.FileTree;
import dev.p2pscope.core.topology.sysfs.SysfsLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/// Hostile and broken sysfs trees: every problem becomes a notice on the function, nothing crashes, nothing
/// hangs, nothing outside the root is read.
@Timeout(20)
class SysfsRobustnessTest {

    @TempDir Path root;
    Path sys;

    @BeforeEach
    void tree() throws IOException {
        sys = root.resolve("sys");
        Files.createDirectories(sys.resolve("bus/pci/devices"));
        Files.createDirectories(sys.resolve("devices/pci0000:00"));
    }

    /// A function directory under devices/ with a bus/pci/devices link, vendor/device/class files.
    Path function(String hierarchy, String bdf, String vendor, String device, String cls) throws IOException {
        Path dir = sys.resolve("devices/pci0000:00").resolve(hierarchy);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("vendor"), "0x" + vendor + "\n");
        Files.writeString(dir.resolve("device"), "0x" + device + "\n");
        Files.writeString(dir.resolve("class"), "0x" + cls + "\n");
        Path link = sys.resolve("bus/pci/devices").resolve(bdf);
        Files.createSymbolicLink(link, link.getParent().relativize(dir));
        return dir;
    }

    /// A 4096-byte config space: header, a PCI Express capability of `portType` at 0x40 and optionally ACS.
    static byte[] config(int vendor, int device, int cls, int portType, Integer acsCtl) {
        byte[] c = new byte[4096];
        put16(c, 0, vendor);
        put16(c, 2, device);
        put16(c, 6, 0x10);                   // Status: capabilities list
        c[9] = (byte) cls; c[10] = (byte) (cls >> 8); c[11] = (byte) (cls >> 16);
        c[0x0e] = (byte) (((cls >> 8) == 0x0604) ? 1 : 0);
        c[0x34] = 0x40;
        c[0x40] = 0x10;                      // PCI Express
        put16(c, 0x42, 2 | (portType << 4));
        if (acsCtl != null) {
            put32(c, 0x100, 0x0d | (1 << 16));   // ACS, version 1, no next
            put16(c, 0x104, 0x5f);
            put16(c, 0x106, acsCtl);
        }
        return c;
    }

    static void put16(byte[] c, int off, int v) {
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putShort(off, (short) v);
    }

    static void put32(byte[] c, int off, int v) {
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putInt(off, v);
    }

    LoadResult load() throws TopologyLoadException {
        return SysfsLoader.load(root, PciIds.empty());
    }

    @Test
    void fullConfigSpaceGivesKindsAndAcs() throws Exception {
        Path rp = function("0000:00:01.0", "0000:00:01.0", "8086", "2030", "060400");
        Files.write(rp.resolve("config"), config(0x8086, 0x2030, 0x060400, 4, 0x001d));
        Path ep = function("0000:00:01.0/0000:01:00.0", "0000:01:00.0", "144d", "a808", "010802");
        Files.write(ep.resolve("config"), config(0x144d, 0xa808, 0x010802, 0, null));
        Topology t = load().topology();
        PciFunction r = t.require(PciAddress.parse("0000:00:01.0"));
        assertThat(r.kind()).isEqualTo(DeviceKind.ROOT_PORT);
        assertThat(r.acs()).isEqualTo(new Acs.Present(0x001d, 0x5f));
        assertThat(t.require(PciAddress.parse("0000:01:00.0")).acs()).isEqualTo(Acs.ABSENT);
        assertThat(t.require(PciAddress.parse("0000:01:00.0")).parent()).isEqualTo(r.address());
    }

    @Test
    void truncatedAndGarbageConfigBecomeNotices() throws Exception {
        Path a = function("0000:00:01.0", "0000:00:01.0", "8086", "2030", "060400");
        Files.write(a.resolve("config"), new byte[17]);
        Path b = function("0000:00:02.0", "0000:00:02.0", "8086", "2031", "060400");
        byte[] garbage = new byte[4096];
        new java.util.Random(1).nextBytes(garbage);
        Files.write(b.resolve("config"), garbage);
        LoadResult r = load();
        assertThat(r.topology().size()).isEqualTo(2);
        assertThat(r.notices()).anySatisfy(n -> assertThat(n.toString()).contains("0000:00:01.0/config")
                .contains("truncated to 17 bytes"));
        assertThat(r.topology().require(PciAddress.parse("0000:00:01.0")).acs()).isEqualTo(Acs.UNKNOWN);
    }

    @Test
    void capabilityListLoopsEndWithANotice() throws Exception {
        Path a = function("0000:00:01.0", "0000:00:01.0", "8086", "2030", "060400");
        byte[] c = config(0x8086, 0x2030, 0x060400, 4, null);
        c[0x41] = 0x40;                       // the PCIe capability points at itself
        put32(c, 0x100, 0x0d | (0x100 << 20));   // an extended capability pointing at itself
        Files.write(a.resolve("config"), c);
        LoadResult r = load();
        assertThat(r.notices()).anySatisfy(n -> assertThat(n.message()).contains("capability list loops at 0x40"));
        assertThat(r.notices()).anySatisfy(n -> assertThat(n.message()).contains("extended capability list loops"));
    }

    @Test
    void aHugeFileIsReadOnlyUpToTheCap() throws Exception {
        Path a = function("0000:00:01.0", "0000:00:01.0", "8086", "2030", "060400");
        byte[] big = new byte[8 << 20];
        System.arraycopy(config(0x8086, 0x2030, 0x060400, 4, 0x0001), 0, big, 0, 4096);
        Files.write(a.resolve("config"), big);
        Files.writeString(a.resolve("numa_node"), "1".repeat(1 << 20));
        LoadResult r = load();
        PciFunction f = r.topology().require(PciAddress.parse("0000:00:01.0"));
        assertThat(f.acs()).isEqualTo(new Acs.Present(0x0001, 0x5f));
        assertThat(f.numaNode()).isNull();
    }

    @Test
    void linksOutOfTheRootDanglingOrLoopingAreNeverFollowed() throws Exception {
        function("0000:00:01.0", "0000:00:01.0", "8086", "2030", "060400");
        Files.createSymbolicLink(sys.resolve("bus/pci/devices/0000:00:02.0"), Path.of("/sys/devices/pci0000:00"));
        Files.createSymbolicLink(sys.resolve("bus/pci/devices/0000:00:03.0"), Path.of("../../../../../../etc"));
        Files.createSymbolicLink(sys.resolve("bus/pci/devices/0000:00:04.0"), Path.of("0000:00:05.0"));
        Files.createSymbolicLink(sys.resolve("bus/pci/devices/0000:00:05.0"), Path.of("0000:00:04.0"));
        Path f = sys.resolve("devices/pci0000:00/0000:00:01.0");
        Files.createSymbolicLink(f.resolve("driver"), Path.of("../../../bus/pci/drivers/pcieport"));
        Files.createSymbolicLink(f.resolve("config"), Path.of("/etc/passwd"));
        LoadResult r = load();
        assertThat(r.topology().size()).isEqualTo(1);
        PciFunction rp = r.topology().require(PciAddress.parse("0000:00:01.0"));
        assertThat(rp.driver()).isEqualTo("pcieport");
        assertThat(rp.acs()).isEqualTo(Acs.UNKNOWN);
        assertThat(r.notices()).filteredOn(n -> n.message().contains("dangles or leaves the tree")).hasSize(5);
    }

    @Test
    void unreadableFilesAndDirectoriesInPlaceOfFilesAreNotices() throws Exception {
        Path a = function("0000:00:01.0", "0000:00:01.0", "8086", "2030", "060400");
        Files.createDirectories(a.resolve("config"));
        Path b = function("0000:00:02.0", "0000:00:02.0", "8086", "2031", "060400");
        Files.write(b.resolve("config"), config(0x8086, 0x2031, 0x060400, 4, 0x0));
        Files.setPosixFilePermissions(b.resolve("config"), PosixFilePermissions.fromString("---------"));
        LoadResult r = load();
        assertThat(r.notices()).anySatisfy(n -> assertThat(n.toString()).contains("0000:00:01.0/config")
                .contains("not a regular file"));
        // Root reads a 0000 file anyway; an ordinary user gets a notice instead. Either way the load goes on.
        assertThat(r.topology().size()).isEqualTo(2);
        if (!Files.isReadable(b.resolve("config"))) {
            assertThat(r.notices()).anySatisfy(n -> assertThat(n.toString()).contains("0000:00:02.0/config"));
        }
    }

    @Test
    void theLengthOfTheConfigReadSaysWhetherAcsIsAbsentOrUnknown() throws Exception {
        // Root reads cfg_size bytes: 256 means no extended space, so no ACS for the kernel.
        Path conventional = function("0000:00:01.0", "0000:00:01.0", "8086", "2918", "060100");
        Files.write(conventional.resolve("config"), Arrays.copyOf(
                config(0x8086, 0x2918, 0x060100, 0, null), 256));
        // An ordinary user reads 64 bytes whatever the device has: ACS unknown.
        Path user = function("0000:00:02.0", "0000:00:02.0", "8086", "2030", "060400");
        Files.write(user.resolve("config"), Arrays.copyOf(config(0x8086, 0x2030, 0x060400, 4, 0x1d), 64));
        Topology t = load().topology();
        assertThat(t.require(PciAddress.parse("0000:00:01.0")).acs()).isEqualTo(Acs.ABSENT);
        assertThat(t.require(PciAddress.parse("0000:00:02.0")).acs()).isEqualTo(Acs.UNKNOWN);
    }

    @Test
    void aPermissionDeniedReadIsANoticeEvenWhenTheTestRunsAsRoot() throws Exception {
        Path b = function("0000:00:02.0", "0000:00:02.0", "8086", "2031", "060400");
        Files.write(b.resolve("config"), config(0x8086, 0x2031, 0x060400, 4, 0x0));
        function("0000:00:02.0/0000:01:00.0", "0000:01:00.0", "144d", "a808", "010802");
        // What an ordinary user meets on a 0400 file: the read fails with EACCES.
        FileTree denying = new DenyingTree(new DiskTree(root), "config");
        LoadResult r = SysfsLoader.load(denying, PciIds.empty());
        assertThat(r.topology().size()).isEqualTo(2);
        assertThat(r.notices()).anySatisfy(n -> assertThat(n.toString()).contains("0000:00:02.0/config"));
        // Without its config space the bridge's kind comes from the class code and nesting, and ACS is unknown.
        PciFunction bridge = r.topology().require(PciAddress.parse("0000:00:02.0"));
        assertThat(bridge.acs()).isEqualTo(Acs.UNKNOWN);
    }

    /// A tree whose files named `name` cannot be read, as a non-root user finds root-only sysfs files.
    private record DenyingTree(FileTree inner, String name) implements FileTree {
        @Override public String describe() { return inner.describe(); }
        @Override public Type type(String path) { return inner.type(path); }
        @Override public java.util.Optional<String> readLink(String path) { return inner.readLink(path); }
        @Override public java.util.List<String> list(String path) { return inner.list(path); }
        @Override public java.util.Optional<String> resolve(String path) { return inner.resolve(path); }

        @Override
        public byte[] read(String path, int max) throws java.io.IOException {
            if (FileTree.name(path).equals(name)) throw new java.nio.file.AccessDeniedException(path);
            return inner.read(path, max);
        }
    }

    @Test
    void virtualFunctionsFollowTheirPhysfnLink() throws Exception {
        function("0000:00:01.0", "0000:00:01.0", "8086", "2030", "060400");
        Path pf = function("0000:00:01.0/0000:01:00.0", "0000:01:00.0", "15b3", "1017", "020000");
        Path vf = function("0000:00:01.0/0000:01:00.2", "0000:01:00.2", "15b3", "1018", "020000");
        Files.createSymbolicLink(vf.resolve("physfn"), Path.of("../0000:01:00.0"));
        Files.createSymbolicLink(pf.resolve("virtfn0"), Path.of("../0000:01:00.2"));
        PciFunction v = load().topology().require(PciAddress.parse("0000:01:00.2"));
        assertThat(v.kind()).isEqualTo(DeviceKind.VF);
        assertThat(v.physfn()).isEqualTo(PciAddress.parse("0000:01:00.0"));
    }

    @Test
    void aTreeWithNoPciIsBadInputWithOneReason() throws Exception {
        Path empty = root.resolve("empty");
        Files.createDirectories(empty);
        TopologyLoadException e = catchThrowableOfType(TopologyLoadException.class,
                () -> SysfsLoader.load(empty, PciIds.empty()));
        assertThat(e.problems()).hasSize(1);
        assertThat(e.getMessage()).contains("no sysfs PCI tree here");
        TopologyLoadException none = catchThrowableOfType(TopologyLoadException.class, this::load);
        assertThat(none.getMessage()).contains("no PCI function could be read");
    }

    @Test
    void aCorruptTarballIsBadInput() throws Exception {
        Path bad = root.resolve("bad.tar.gz");
        Files.write(bad, new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
        TopologyLoadException e = catchThrowableOfType(TopologyLoadException.class,
                () -> SysfsLoader.load(bad, PciIds.empty()));
        assertThat(e.getMessage()).startsWith(bad.toString()).contains("cannot read snapshot");
    }
}
