package dev.p2pscope.core.topology;

import dev.p2pscope.core.engine.AllPairs;
import dev.p2pscope.core.model.AllowlistEntry;
import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.KernelProfile;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.PciId;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.text.TreeText;
import dev.p2pscope.core.topology.lspci.LspciDumpLoader;
import dev.p2pscope.core.topology.sysfs.SysfsLoader;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/// Every hostile input of issue 14 ends in a load (with notices) or the loader's own error naming file and place:
/// never another exception, never a hang (the class timeout is a watchdog, not a speed assertion).
@Timeout(60)
class HostileInputTest {

    @TempDir Path tmp;
    Path sys;

    @BeforeEach
    void tree() throws IOException {
        sys = tmp.resolve("cap/sys");
        Files.createDirectories(sys.resolve("bus/pci/devices"));
        Files.createDirectories(sys.resolve("devices/pci0000:00"));
    }

    Path function(String hierarchy, String bdf, String cls) throws IOException {
        Path dir = sys.resolve("devices/pci0000:00").resolve(hierarchy);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("vendor"), "0x8086\n");
        Files.writeString(dir.resolve("device"), "0x1234\n");
        Files.writeString(dir.resolve("class"), "0x" + cls + "\n");
        Path link = sys.resolve("bus/pci/devices").resolve(bdf);
        Files.createSymbolicLink(link, link.getParent().relativize(dir));
        return dir;
    }

    static String json(String devices, String extra) {
        return "{\"format\": \"p2pscope-topology/1\"" + extra + ", \"devices\": [" + devices + "]}";
    }

    static final String HB = "{\"bdf\": \"0000:00:00.0\", \"id\": \"8086:2020\", \"kind\": \"host_bridge\", \"parent\": null}";

    static TopologyLoadException refused(String text) {
        return catchThrowableOfType(TopologyLoadException.class, () -> TopologyJson.read(text, "t.json"));
    }

    // ---- number parsing --------------------------------------------------------------------------------------

    @Test
    void aCpuFamilyBeyondTheIntRangeIsAProblemAtItsPlace() {
        TopologyLoadException e = refused(json(HB, ", \"cpu\": {\"vendor\": \"AuthenticAMD\", \"family\": \"99999999999\"}"));
        assertThat(e.problems().getFirst().location()).isEqualTo("cpu.family");
        assertThat(e.problems().getFirst().line()).isPositive();
    }

    @Test
    void lspciHeadersWithADeviceAbove1fOrAHugeDomainAreRefusedWithTheirLine() {
        TopologyLoadException dev = catchThrowableOfType(TopologyLoadException.class,
                () -> LspciDumpLoader.parse("00:20.0 Host bridge: X\n", "d.txt"));
        assertThat(dev.problems().getFirst().line()).isEqualTo(1);
        TopologyLoadException dom = catchThrowableOfType(TopologyLoadException.class,
                () -> LspciDumpLoader.parse("\n80000000:00:00.0 Host bridge: X\n", "d.txt"));
        assertThat(dom.problems().getFirst().line()).isEqualTo(2);
        assertThat(dom.getMessage()).contains("domain");
    }

    @Test
    void sysfsEntriesThatAreNoKernelAddressBecomeNotices() throws Exception {
        function("0000:00:00.0", "0000:00:00.0", "060000");
        function("0000:00:00.0/0000:00:20.0", "0000:00:20.0", "010802");   // device 0x20
        Files.createDirectories(sys.resolve("devices/pci0000:00/80000000:00:00.0"));
        LoadResult r = SysfsLoader.load(tmp.resolve("cap"), PciIds.empty());
        assertThat(r.topology().size()).isEqualTo(1);
        assertThat(r.notices()).anySatisfy(n -> assertThat(n.message()).contains("not a PCI address"));
    }

    @Test
    void hostFactsOutOfRangeAreNoticesAndFallBacks() throws Exception {
        function("0000:00:00.0", "0000:00:00.0", "060000");
        Path proc = tmp.resolve("cap/proc");
        Files.createDirectories(proc.resolve("sys/kernel"));
        Files.writeString(proc.resolve("sys/kernel/osrelease"), "99999999999.1.0\n");
        Files.writeString(proc.resolve("cpuinfo"), "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: -25\n");
        LoadResult r = SysfsLoader.load(tmp.resolve("cap"), PciIds.empty());
        assertThat(r.topology().kernel()).isEqualTo(KernelProfile.NEWEST);
        assertThat(r.topology().cpu().family()).isZero();
        assertThat(r.notices()).anySatisfy(n -> assertThat(n.message()).contains("cpu family"));
        assertThat(r.notices()).anySatisfy(n -> assertThat(n.message()).contains("no plausible version"));
    }

    @Test
    void anOldKernelReleaseIsSaidToPredateP2pdma() throws Exception {
        function("0000:00:00.0", "0000:00:00.0", "060000");
        Path proc = tmp.resolve("cap/proc/sys/kernel");
        Files.createDirectories(proc);
        Files.writeString(proc.resolve("osrelease"), "4.14.0-115.el7a\n");
        LoadResult r = SysfsLoader.load(tmp.resolve("cap"), PciIds.empty());
        assertThat(r.topology().kernel()).isEqualTo(KernelProfile.V5_15);
        assertThat(r.notices()).anySatisfy(n -> assertThat(n.message()).contains("predates P2PDMA"));
    }

    // ---- links -------------------------------------------------------------------------------------------------

    @Test
    void aLinkOfThousandsOfDotComponentsResolvesWithoutRecursion() throws Exception {
        Path dir = function("0000:00:00.0", "0000:00:00.0", "060000");
        Files.createSymbolicLink(dir.resolve("driver"), Path.of("./".repeat(2000) + "x"));
        Files.createDirectories(dir.resolve("x"));
        LoadResult r = SysfsLoader.load(tmp.resolve("cap"), PciIds.empty());
        assertThat(r.topology().size()).isEqualTo(1);
    }

    @Test
    void linksFanningOutResolveInLinearTime() throws Exception {
        Path dir = function("0000:00:00.0", "0000:00:00.0", "060000");
        Path d = dir.resolve("fan");
        Files.createDirectories(d);
        int levels = 30;
        for (int k = 0; k < levels; k++) {
            Files.createSymbolicLink(d.resolve("l" + k), Path.of("l" + (k + 1) + "/../l" + (k + 1) + "/../l" + (k + 1)));
        }
        Files.createDirectories(d.resolve("l" + levels));
        Files.createSymbolicLink(dir.resolve("driver"), Path.of("fan/l0"));
        // 3^30 walks if each branch had its own budget; with one budget of 40 links the walk gives up at once.
        LoadResult r = SysfsLoader.load(tmp.resolve("cap"), PciIds.empty());
        assertThat(r.topology().require(PciAddress.parse("0000:00:00.0")).driver()).isNotNull();
    }

    // ---- structure ---------------------------------------------------------------------------------------------

    @Test
    void aFiftyThousandCycleIsReportedAndATwentyThousandChainLoads() throws Exception {
        StringBuilder cycle = new StringBuilder(HB);
        int n = 50_000;
        for (int i = 0; i < n; i++) {
            cycle.append(",{\"bdf\": \"").append(addr(i + 1)).append("\", \"id\": \"8086:1234\", \"kind\": \"pci_bridge\", \"parent\": \"")
                    .append(addr((i + 1) % n + 1)).append("\"}");
        }
        TopologyLoadException e = refused(json(cycle.toString(), ""));
        // 10,000 kept and a count of the rest (a hostile file could make millions); 50 of them in the message.
        assertThat(e.problems()).hasSize(10_001);
        assertThat(e.problems().getLast().message()).isEqualTo((n - 10_000) + " more problems not listed");
        assertThat(e.getMessage().lines().count()).isLessThanOrEqualTo(51);
        assertThat(e.getMessage()).contains("more problems (10001 in all)");

        StringBuilder chain = new StringBuilder(HB);
        for (int i = 1; i <= 3000; i++) {
            chain.append(",{\"bdf\": \"").append(addr(i)).append("\", \"id\": \"8086:1234\", \"kind\": \"pci_bridge\", \"parent\": ")
                    .append(i == 1 ? "null" : "\"" + addr(i - 1) + "\"").append("}");
        }
        Topology t = TopologyJson.read(json(chain.toString(), ""), "c.json").topology();
        String tree = TreeText.numeric(t);   // 3,000 levels deep: drawn without recursion
        assertThat(tree).contains(addr(3000).substring(11));
    }

    static String addr(int i) {
        return String.format("0000:%02x:%02x.%x", (i >> 8) & 0xff, (i >> 3) & 0x1f, i & 7).replace("0000:", String.format("%04x:", i >> 16));
    }

    @Test
    void deepJsonIsRefusedInTheProjectsWords() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        TopologyLoadException e = refused(deep);
        assertThat(e.getMessage()).contains("nested deeper than").doesNotContain("StreamReadConstraints");
        // 4 MB of nested zeros just under the limit: indexed at the depth problems use, not tokens x depth.
        String zeros = ("[0," .repeat(990) + "0" + "]".repeat(990) + ",").repeat(300);
        TopologyLoadException z = refused("{\"format\": \"p2pscope-topology/1\", \"devices\": [], \"x\": [" + zeros + "0]}");
        assertThat(z).isNull();
    }

    @Test
    void duplicateKeysAndGarbageValuesAreProblems() {
        assertThat(refused(json(HB, ", \"kernel\": \"newest\", \"kernel\": \"5.15\"")).getMessage()).contains("Duplicate");
        TopologyLoadException alloc = refused(json(HB.replace("null}", "null, \"p2pmem\": {\"size\": 4096, \"allocate\": \"yes\"}}"), ""));
        assertThat(alloc.problems().getFirst().location()).isEqualTo("devices[0].p2pmem.allocate");
        TopologyLoadException bus = refused(json(HB.replace("null}", "null, \"secondaryBus\": 300}"), ""));
        assertThat(bus.problems().getFirst().location()).isEqualTo("devices[0].secondaryBus");
        TopologyLoadException any = refused(json(HB, ", \"allowlist\": {\"add\": [\"8086:-1\"]}"));
        assertThat(any.problems().getFirst().location()).isEqualTo("allowlist.add[0]");
        assertThatThrownBy(() -> AllowlistEntry.parse("8086:-1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aHugeValueIsNotEchoedInFull() {
        String big = "x".repeat(19_000_000);
        TopologyLoadException e = refused(json(HB.replace("\"host_bridge\"", "\"" + big + "\""), ""));
        assertThat(e.getMessage().length()).isLessThan(2000);
    }

    @Test
    void unknownNestedKeysAndAcsCapWithoutAcsSurviveASave() throws Exception {
        String dev = "{\"bdf\": \"0000:00:00.0\", \"id\": \"8086:2020\", \"kind\": \"host_bridge\", \"parent\": null,"
                + " \"acsCap\": \"0x005f\", \"link\": {\"speed\": \"8.0 GT/s PCIe\", \"lanesX\": 3},"
                + " \"p2pmem\": {\"size\": 4096, \"future\": true}, \"cmb\": {\"cmbloc\": \"0x0\", \"cmbsz\": \"0x0\", \"q\": 1}}";
        String text = json(dev, ", \"cpu\": {\"vendor\": \"GenuineIntel\", \"family\": 6, \"model\": 85},"
                + " \"host\": {\"kernelRelease\": \"6.1\", \"arch\": \"x86\"}, \"allowlist\": {\"add\": [], \"why\": \"x\"}");
        LoadResult r = TopologyJson.read(text, "u.json");
        assertThat(r.notices()).hasSize(6);
        String saved = TopologyJson.write(r.topology());
        for (String key : List.of("lanesX", "future", "\"q\"", "model", "arch", "why", "acsCap")) assertThat(saved).contains(key);
        assertThat(TopologyJson.write(TopologyJson.read(saved, "again.json").topology())).isEqualTo(saved);
    }

    @Test
    void aByteOrderMarkIsAccepted() throws Exception {
        Path f = tmp.resolve("bom.json");
        Files.writeString(f, "\uFEFF" + json(HB, ""));
        assertThat(TopologyJson.read(f).topology().size()).isEqualTo(1);
    }

    // ---- files that are not files --------------------------------------------------------------------------------

    @Test
    void fifosAndDevicesAreRefusedWithoutReadingThem() throws Exception {
        Path fifo = tmp.resolve("fifo");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        assertThat(catchThrowableOfType(TopologyLoadException.class, () -> TopologyJson.read(fifo)).getMessage())
                .contains("not a regular file");
        assertThat(catchThrowableOfType(TopologyLoadException.class, () -> LspciDumpLoader.load(fifo)).getMessage())
                .contains("not a regular file");
        Path zero = Path.of("/dev/zero");
        assertThat(catchThrowableOfType(TopologyLoadException.class, () -> TopologyJson.read(zero)).getMessage())
                .contains("not a regular file");
        assertThat(catchThrowableOfType(TopologyLoadException.class, () -> SysfsLoader.load(zero)).getMessage())
                .contains("not a directory or a snapshot file").doesNotContain("no such file");
        assertThat(catchThrowableOfType(TopologyLoadException.class, () -> TopologyJson.read(tmp.resolve("nope.json")))
                .getMessage()).contains("cannot read: no such file or directory");
    }

    // ---- archives ----------------------------------------------------------------------------------------------

    @Test
    void bombsLongNamesAndTruncatedArchivesAreRefusedWithAReason() throws Exception {
        Path gz = tmp.resolve("bomb.tar.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz)); var tar = new TarArchiveOutputStream(o)) {
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarArchiveEntry e = new TarArchiveEntry("sys/bus/pci/devices/zeros");
            e.setSize(4L << 30);
            tar.putArchiveEntry(e);
            byte[] zero = new byte[1 << 20];
            for (int i = 0; i < 48; i++) tar.write(zero);   // only the start is written: the reader stops long before
        } catch (IOException expected) {
            // the archive is incomplete on purpose
        }
        assertThat(catchThrowableOfType(TopologyLoadException.class, () -> SysfsLoader.load(gz)).getMessage())
                .contains("bomb");
        Path bz = tmp.resolve("bomb.tar.bz2");
        try (OutputStream o = new BZip2CompressorOutputStream(Files.newOutputStream(bz))) {
            byte[] zero = new byte[1 << 20];
            for (int i = 0; i < 40; i++) o.write(zero);
        }
        TopologyLoadException b = catchThrowableOfType(TopologyLoadException.class, () -> SysfsLoader.load(bz));
        assertThat(b).isNotNull();
        Path longName = tmp.resolve("long.tar.gz");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(longName))) {
            int size = 8 << 20;   // a GNU long name of 8 MiB (the was 1 GiB; the reader stops after 1 MiB)
            o.write(tarHeader("././@LongLink", 'L', size));
            byte[] a = new byte[1 << 20];
            java.util.Arrays.fill(a, (byte) 'a');
            for (int i = 0; i < size >> 20; i++) o.write(a);
            o.write(tarHeader("x", '0', 0));
        }
        assertThat(catchThrowableOfType(TopologyLoadException.class, () -> SysfsLoader.load(longName)).getMessage())
                .containsAnyOf("larger than 1 MiB", "longer than 4096");
        Path good = SnapshotsTest.dir().resolve("qemu612-base.tar.gz");
        byte[] bytes = Files.readAllBytes(good);
        Path cut = tmp.resolve("cut.tar.gz");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThat(catchThrowableOfType(TopologyLoadException.class, () -> SysfsLoader.load(cut)).getMessage())
                .doesNotContain("null").contains("truncated");
    }

    /// A ustar header block, written by hand (commons-compress takes quadratic time to write a huge long name).
    static byte[] tarHeader(String name, char type, long size) {
        byte[] h = new byte[512];
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, h, 0, Math.min(100, n.length));
        put(h, 100, "0000644");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, "00000000000");
        h[156] = (byte) type;
        put(h, 257, "ustar  ");
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        int sum = 0;
        for (byte b : h) sum += b & 0xff;
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        return h;
    }

    static void put(byte[] h, int off, String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, b.length);
    }

    // ---- lspci -------------------------------------------------------------------------------------------------

    static String row(int off, int... bytes) {
        StringBuilder b = new StringBuilder(String.format("%02x:", off));
        for (int i = 0; i < 16; i++) b.append(String.format(" %02x", i < bytes.length ? bytes[i] : 0));
        return b.append('\n').toString();
    }

    @Test
    void aMalformedHexRowIsAProblemWithItsLine() {
        String dump = "00:00.0 Host bridge: X\n" + row(0, 0x86, 0x80) + "10: zz 00\n";
        TopologyLoadException e = catchThrowableOfType(TopologyLoadException.class, () -> LspciDumpLoader.parse(dump, "d.txt"));
        assertThat(e.problems().getFirst().line()).isEqualTo(3);
        String gap = "00:00.0 Host bridge: X\n" + row(0x10, 0x86, 0x80);
        assertThat(catchThrowableOfType(TopologyLoadException.class, () -> LspciDumpLoader.parse(gap, "d.txt"))).isNotNull();
    }

    @Test
    void theReadmeIsNotAnLspciDump() {
        String readme = "# P2PScope\n\n```text\n1a:00.0  SELF    BUS 4   BUS 4\n1b:00.0  BUS 4   SELF\n```\n";
        TopologyLoadException e = catchThrowableOfType(TopologyLoadException.class, () -> LspciDumpLoader.parse(readme, "README.md"));
        assertThat(e.problems().getFirst().line()).isEqualTo(1);
        assertThat(e.problems().getFirst().source()).isEqualTo("README.md");
    }

    @Test
    void aBridgeHeaderWithAnEndpointCapabilityIsANoticeNotARefusal() {
        // 00:01.0: header type 1, secondary bus 1, but its PCI Express capability says endpoint.
        String dump = "00:00.0 Host bridge: X\n" + row(0, 0x86, 0x80, 0x20, 0x20, 0, 0, 0, 0, 0, 0, 0, 6)
                + "00:01.0 PCI bridge: X\n" + row(0, 0x86, 0x80, 0x01, 0x20, 0, 0, 0x10, 0, 0, 0, 4, 6, 0, 0, 1)
                + row(0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1) + row(0x20) + row(0x30, 0, 0, 0, 0, 0x40)
                + row(0x40, 0x10, 0, 0x02, 0) + rows(0x50, 0xf0)
                + "01:00.0 Non-Volatile memory controller: X\n" + row(0, 0x86, 0x80, 0x02, 0x20, 0, 0, 0, 0, 0, 2, 8, 1);
        LoadResult r = assertLoads(dump);
        PciFunction bridge = r.topology().require(PciAddress.parse("0000:00:01.0"));
        assertThat(bridge.kind().isBridge()).isTrue();
        assertThat(bridge.inferred()).contains("kind");
        assertThat(r.notices()).anySatisfy(n -> assertThat(n.message()).contains("bridge header"));
        assertThat(r.topology().require(PciAddress.parse("0000:01:00.0")).parent()).isEqualTo(bridge.address());
    }

    static String rows(int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int off = from; off <= to; off += 16) b.append(row(off));
        return b.toString();
    }

    static LoadResult assertLoads(String dump) {
        try {
            return LspciDumpLoader.parse(dump, "d.txt");
        } catch (TopologyLoadException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Test
    void nnNamesDropTheirIdSuffix() {
        LoadResult r = assertLoads("00:00.0 Host bridge [0600]: Intel Corporation 82G33 DRAM Controller [8086:29c0] (rev 02)\n"
                + row(0, 0x86, 0x80, 0xc0, 0x29, 0, 0, 0, 0, 2, 0, 0, 6));
        assertThat(r.topology().functions().getFirst().name()).isEqualTo("Intel Corporation 82G33 DRAM Controller");
    }

    // ---- sysfs garbage -------------------------------------------------------------------------------------------

    @Test
    void valuesBeyondTheirWidthAreNoticesNotTruncations() throws Exception {
        Path d = function("0000:00:00.0", "0000:00:00.0", "060000");
        Files.writeString(d.resolve("class"), "0x1ffffffff\n");
        Files.writeString(d.resolve("vendor"), "-1\n");
        LoadResult r = SysfsLoader.load(tmp.resolve("cap"), PciIds.empty());
        PciFunction f = r.topology().functions().getFirst();
        assertThat(f.classCode()).isNull();
        assertThat(f.inferred()).contains("id");
        assertThat(r.notices()).hasSizeGreaterThanOrEqualTo(2);
    }

    @Test
    void aVfWhosePhysfnIsItselfOrAnotherVfBecomesAnEndpointWithANotice() throws Exception {
        function("0000:00:00.0", "0000:00:00.0", "060000");
        Path pf = function("0000:00:01.0", "0000:00:01.0", "020000");
        Path vf1 = function("0000:00:01.1", "0000:00:01.1", "020000");
        Path vf2 = function("0000:00:01.2", "0000:00:01.2", "020000");
        Files.createSymbolicLink(vf1.resolve("physfn"), Path.of("../0000:00:01.1"));
        Files.createSymbolicLink(vf2.resolve("physfn"), Path.of("../0000:00:01.1"));
        LoadResult r = SysfsLoader.load(tmp.resolve("cap"), PciIds.empty());
        assertThat(r.topology().require(PciAddress.parse("0000:00:01.1")).kind()).isEqualTo(DeviceKind.ENDPOINT);
        assertThat(r.notices()).anySatisfy(n -> assertThat(n.message()).contains("physfn names the function itself"));
        assertThat(pf).exists();
    }

    @Test
    void missingIdFilesUseModalias() throws Exception {
        Path d = function("0000:00:00.0", "0000:00:00.0", "060000");
        Files.delete(d.resolve("vendor"));
        Files.delete(d.resolve("device"));
        Files.delete(d.resolve("class"));
        Files.writeString(d.resolve("modalias"), "pci:v00008086d00002020sv00008086sd00000000bc06sc00i00\n");
        PciFunction f = SysfsLoader.load(tmp.resolve("cap"), PciIds.empty()).topology().functions().getFirst();
        assertThat(f.id()).isEqualTo(new PciId(0x8086, 0x2020));
        assertThat(f.classCode()).isEqualTo(0x060000);
        assertThat(f.kind()).isEqualTo(DeviceKind.HOST_BRIDGE);
        assertThat(f.inferred()).doesNotContain("id");
    }

    @Test
    void aHostBridgeWhoseIdWasNeverReadCannotBeDecided() throws Exception {
        Path hb = function("0000:00:00.0", "0000:00:00.0", "060000");
        Files.delete(hb.resolve("vendor"));
        Files.delete(hb.resolve("device"));
        function("0000:00:01.0", "0000:00:01.0", "060400");
        function("0000:00:02.0", "0000:00:02.0", "060400");
        function("0000:00:01.0/0000:01:00.0", "0000:01:00.0", "010802");
        function("0000:00:02.0/0000:02:00.0", "0000:02:00.0", "010802");
        LoadResult r = SysfsLoader.load(tmp.resolve("cap"), PciIds.empty());
        Topology t = r.topology();
        assertThat(t.require(PciAddress.parse("0000:00:00.0")).idKnown()).isFalse();
        var v = new dev.p2pscope.core.engine.P2pdmaEngine(t).decide(PciAddress.parse("0000:01:00.0"), PciAddress.parse("0000:02:00.0"));
        assertThat(v.details().hostBridgeChecks()).anySatisfy(c -> assertThat(c.undecidable()).isTrue());
    }

    @Test
    void danglingBusLinksAndOutOfRangeBusNumbersAreNotices() throws Exception {
        function("0000:00:00.0", "0000:00:00.0", "060000");
        Path rp = function("0000:00:01.0", "0000:00:01.0", "060400");
        Files.writeString(rp.resolve("secondary_bus_number"), "300\n");
        Files.writeString(rp.resolve("subordinate_bus_number"), "301\n");
        Files.createSymbolicLink(sys.resolve("bus/pci/devices/0000:00:02.0"), Path.of("../../../devices/pci0000:00/nowhere"));
        LoadResult r = SysfsLoader.load(tmp.resolve("cap"), PciIds.empty());
        assertThat(r.topology().size()).isEqualTo(2);
        assertThat(r.topology().require(PciAddress.parse("0000:00:01.0")).secondaryBus()).isNull();
        assertThat(r.notices()).anySatisfy(n -> assertThat(n.message()).contains("dangles"));
        assertThat(r.notices()).anySatisfy(n -> assertThat(n.message()).contains("not 8-bit bus numbers"));
    }

    // ---- sizes -------------------------------------------------------------------------------------------------

    @Test
    void aMatrixTooLargeForOneArrayIsRefusedInWords() {
        List<PciFunction> fs = new ArrayList<>();
        for (int i = 0; i < AllPairs.MAX_MATRIX_DEVICES + 1; i++) {
            PciAddress a = new PciAddress(i >> 16, (i >> 8) & 0xff, (i >> 3) & 0x1f, i & 7);
            fs.add(PciFunction.builder(a, new PciId(0x8086, 0x1234), DeviceKind.RCIEP).build());
        }
        Topology t = Topology.builder().addAll(fs).build();
        assertThatThrownBy(() -> new AllPairs(t).matrix(t.functions().stream().map(PciFunction::address).toList()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 46340 devices");
    }
}
