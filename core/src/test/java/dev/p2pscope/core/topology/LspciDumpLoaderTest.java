package dev.p2pscope.core.topology;

import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.topology.lspci.LspciDumpLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/// Dumps made by the real lspci (pciutils 3.9) from the QEMU 6.12 captures: the hierarchy rebuilt from bus
/// numbers must equal what the sysfs loader reads from the same capture, kinds and ACS included.
class LspciDumpLoaderTest {

    @ParameterizedTest
    @ValueSource(strings = {"qemu612-base.lspci-xxxx.txt", "qemu612-base.lspci-D-vvv-xxx.txt",
            "qemu612-acsdsp-config-acs-rr.lspci-xxxx.txt", "qemu612-acsdsp-config-acs-rr.lspci-D-vvv-xxx.txt"})
    void aDumpGivesTheSameTreeAsTheSysfsItCameFrom(String dump) throws Exception {
        String capture = dump.substring(0, dump.indexOf(".lspci"));
        Topology fromDump = LspciDumpLoader.load(SnapshotsTest.dir().resolve(dump)).topology();
        Topology fromSysfs = SnapshotsTest.load(capture);
        assertThat(fromDump.size()).isEqualTo(fromSysfs.size());
        for (PciFunction s : fromSysfs.functions()) {
            PciFunction d = fromDump.require(s.address());
            assertThat(d.parent()).as(s.address() + " parent").isEqualTo(s.parent());
            assertThat(d.id()).isEqualTo(s.id());
            assertThat(d.kind()).as(s.address() + " kind").isEqualTo(s.kind());
            assertThat(d.classCode()).isEqualTo(s.classCode());
            if (dump.contains("xxxx")) assertThat(d.acs()).as(s.address() + " acs").isEqualTo(s.acs());
        }
        assertThat(fromDump.require(dev.p2pscope.core.model.PciAddress.parse("0000:03:00.0")).name())
                .isEqualTo("Red Hat, Inc. QEMU NVM Express Controller");
    }

    @Test
    void aDeviceWithOnly256BytesHasNoAcsForTheKernelButA256ByteDumpCannotTell() throws Exception {
        // 00:1f.0 (ICH9 LPC) has no extended config space: the kernel's cfg_size is 256, so it finds no ACS.
        PciAddress lpc = PciAddress.parse("0000:00:1f.0");
        PciAddress rootPort = PciAddress.parse("0000:00:04.0");
        assertThat(SnapshotsTest.load("qemu612-base").require(lpc).acs()).isEqualTo(Acs.ABSENT);
        Topology xxxx = LspciDumpLoader.load(SnapshotsTest.dir().resolve("qemu612-base.lspci-xxxx.txt")).topology();
        assertThat(xxxx.require(lpc).acs()).isEqualTo(Acs.ABSENT);
        // -xxx shows 256 bytes of every device, so there nothing is known beyond them.
        Topology xxx = LspciDumpLoader.load(SnapshotsTest.dir().resolve("qemu612-base.lspci-D-vvv-xxx.txt")).topology();
        assertThat(xxx.require(lpc).acs()).isEqualTo(Acs.UNKNOWN);
        assertThat(xxx.require(rootPort).acs()).isEqualTo(Acs.UNKNOWN);
        assertThat(xxxx.require(rootPort).acs()).isInstanceOf(Acs.Present.class);
    }

    @Test
    void textThatIsNoDumpIsBadInput() {
        TopologyLoadException e = catchThrowableOfType(TopologyLoadException.class,
                () -> LspciDumpLoader.parse("hello\nworld\n", "x.txt"));
        assertThat(e.getMessage()).contains("x.txt:1:1").contains("not lspci output");
    }

    @Test
    void duplicateFunctionsAreReportedWithTheirLines() {
        TopologyLoadException e = catchThrowableOfType(TopologyLoadException.class,
                () -> LspciDumpLoader.parse("00:00.0 Host bridge: X\n00: 86 80 c0 29 00 00 00 00 00 00 00 06 00 00 00 00\n00:00.0 Host bridge: X\n",
                        "d.txt"));
        assertThat(e.problems().getFirst().line()).isEqualTo(3);
    }
}
