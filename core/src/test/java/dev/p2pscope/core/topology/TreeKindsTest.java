package dev.p2pscope.core.topology;

import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.text.TreeText;
import dev.p2pscope.core.topology.lspci.LspciDumpLoader;
import org.junit.jupiter.api.Test;

import static dev.p2pscope.core.topology.HostileInputTest.row;
import static dev.p2pscope.core.topology.HostileInputTest.rows;
import static org.assertj.core.api.Assertions.assertThat;

/// Our own fixtures for trees read wrong in issue 14: a CardBus bridge, a conventional PCI bridge, a PCIe-to-PCI
/// bridge and uncore class 0600 functions, as lspci -xxx dumps (256 bytes) and non-root ones (64 bytes).
class TreeKindsTest {

    /// One function: header line and config space. `cls` is 0xCCSSPP; `bus` gives primary/secondary/subordinate
    /// for a bridge header; `pcieType` < 0 means no PCI Express capability.
    static String fn(String bdf, String what, int cls, int header, int[] bus, int pcieType, boolean full) {
        int status = pcieType >= 0 ? 0x10 : 0;
        StringBuilder b = new StringBuilder(bdf + " " + what + ": Vendor Device\n");
        b.append(row(0, 0x86, 0x80, 0x34, 0x12, 0, 0, status, 0, 0, cls & 0xff, (cls >> 8) & 0xff, cls >> 16, 0, 0, header));
        int[] r1 = new int[16];
        if (bus != null) { r1[8] = bus[0]; r1[9] = bus[1]; r1[10] = bus[2]; }
        b.append(row(0x10, r1));
        b.append(row(0x20));
        b.append(row(0x30, 0, 0, 0, 0, pcieType >= 0 ? 0x40 : 0));
        if (full) {
            b.append(row(0x40, pcieType >= 0 ? 0x10 : 0, 0, pcieType >= 0 ? 2 | (pcieType << 4) : 0, 0));
            b.append(rows(0x50, 0xf0));
        }
        return b.toString();
    }

    static Topology load(String dump) throws TopologyLoadException {
        return LspciDumpLoader.parse(dump, "fixture.txt").topology();
    }

    static PciFunction at(Topology t, String bdf) {
        return t.require(PciAddress.parseLenient(bdf));
    }

    @Test
    void aCardBusBridgeIsABridgeWithItsBusRange() throws Exception {
        String dump = fn("00:00.0", "Host bridge", 0x060000, 0, null, -1, true)
                + fn("00:1c.0", "PCI bridge", 0x060400, 1, new int[] {0, 0x1c, 0x20}, 4, true)
                + fn("1c:00.0", "CardBus bridge", 0x060700, 2, new int[] {0x1c, 0x1d, 0x20}, -1, true)
                + fn("1d:00.0", "Network controller", 0x028000, 0, null, -1, true);
        Topology t = load(dump);
        assertThat(at(t, "1c:00.0").kind()).isEqualTo(DeviceKind.PCI_BRIDGE);
        assertThat(at(t, "1d:00.0").parent()).isEqualTo(PciAddress.parseLenient("1c:00.0"));
        assertThat(t.rootBuses()).hasSize(1);
        assertThat(TreeText.numeric(t)).contains("00.0-[1d-20]----00.0");
    }

    @Test
    void aConventionalPciBridgeIsNotARootPort() throws Exception {
        // With config space readable (256 bytes, no PCI Express capability) and cut to 64 bytes (subtractive decode).
        String full = fn("00:00.0", "Host bridge", 0x060000, 0, null, -1, true)
                + fn("00:1e.0", "PCI bridge", 0x060401, 1, new int[] {0, 6, 6}, -1, true)
                + fn("06:00.0", "Ethernet controller", 0x020000, 0, null, -1, true);
        assertThat(at(load(full), "00:1e.0").kind()).isEqualTo(DeviceKind.PCI_BRIDGE);
        assertThat(at(load(full), "00:1e.0").inferred()).doesNotContain("kind");
        String cut = fn("00:00.0", "Host bridge", 0x060000, 0, null, -1, false)
                + fn("00:1e.0", "PCI bridge", 0x060401, 1, new int[] {0, 6, 6}, 4, false)
                + fn("06:00.0", "Ethernet controller", 0x020000, 0, null, -1, false);
        assertThat(at(load(cut), "00:1e.0").kind()).isEqualTo(DeviceKind.PCI_BRIDGE);
    }

    @Test
    void aPcieToPciBridgeIsNotASwitchPort() throws Exception {
        String full = fn("00:00.0", "Host bridge", 0x060000, 0, null, -1, true)
                + fn("00:1c.0", "PCI bridge", 0x060400, 1, new int[] {0, 7, 8}, 4, true)
                + fn("07:00.0", "PCI bridge", 0x060400, 1, new int[] {7, 8, 8}, 7, true)
                + fn("08:00.0", "VGA compatible controller", 0x030000, 0, null, -1, true);
        assertThat(at(load(full), "07:00.0").kind()).isEqualTo(DeviceKind.PCIE_TO_PCI_BRIDGE);
        // 64 bytes (a non-root dump): no capability to read; conventional devices below it, not ports.
        String cut = fn("00:00.0", "Host bridge", 0x060000, 0, null, -1, false)
                + fn("00:1c.0", "PCI bridge", 0x060400, 1, new int[] {0, 7, 8}, 4, false)
                + fn("07:00.0", "PCI bridge", 0x060400, 1, new int[] {7, 8, 8}, 7, false)
                + fn("08:00.0", "VGA compatible controller", 0x030000, 0, null, -1, false);
        PciFunction b = at(load(cut), "07:00.0");
        assertThat(b.kind()).isEqualTo(DeviceKind.PCIE_TO_PCI_BRIDGE);
        assertThat(b.inferred()).contains("kind");
    }

    @Test
    void uncoreClass0600FunctionsAreNotHostBridges() throws Exception {
        String dump = fn("00:00.0", "Host bridge", 0x060000, 0, null, -1, true)
                + fn("ff:08.0", "System peripheral", 0x088000, 0, null, -1, true)
                + fn("ff:0b.0", "Host bridge", 0x060000, 0, null, -1, true)
                + fn("ff:0b.1", "Host bridge", 0x060000, 0, null, -1, true)
                + fn("7f:00.0", "Host bridge", 0x060000, 0, null, -1, true);
        Topology t = load(dump);
        assertThat(at(t, "00:00.0").kind()).isEqualTo(DeviceKind.HOST_BRIDGE);
        // 7f:00.0 is its root bus's first device: the one pci_host_bridge_dev() checks.
        assertThat(at(t, "7f:00.0").kind()).isEqualTo(DeviceKind.HOST_BRIDGE);
        assertThat(at(t, "ff:0b.0").kind()).isNotEqualTo(DeviceKind.HOST_BRIDGE);
        assertThat(at(t, "ff:0b.1").kind()).isNotEqualTo(DeviceKind.HOST_BRIDGE);
    }
}
