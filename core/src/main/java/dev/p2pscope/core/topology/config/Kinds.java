package dev.p2pscope.core.topology.config;

import dev.p2pscope.core.model.DeviceKind;

/// The kind of a function, decided the same way by every loader from what could be read: the PCI Express
/// capability when config space shows it, else the class code, header type and where the function hangs.
public final class Kinds {

    private Kinds() {
    }

    /// What is known about one function when its kind is decided.
    ///
    /// @param classCode       `0xCCSSPP`, or -1 when unknown
    /// @param config          its config space, or null when none was read
    /// @param parent          the parent's kind, or null on a root bus
    /// @param firstOnRootBus  it is the first device of its root bus: the one `pci_host_bridge_dev()` returns
    /// @param hasChildren     functions hang below it
    /// @param hasBridgeChild  a bridge hangs below it
    public record Evidence(int classCode, ConfigSpace config, DeviceKind parent, boolean firstOnRootBus,
                           boolean hasChildren, boolean hasBridgeChild) { }

    /// A decided kind: whether it was inferred rather than read, and a notice when the evidence disagreed.
    public record Decision(DeviceKind kind, boolean inferred, String notice) { }

    public static Decision decide(Evidence e) {
        int cls = e.classCode() < 0 ? -1 : e.classCode() >> 8;
        ConfigSpace c = e.config() != null && e.config().hasHeader() ? e.config() : null;
        // The kernel's host-bridge device is the first device on a root bus (pci_host_bridge_dev()); a class 0600
        // function there is what lspci calls the host bridge. Other class 0600 functions (uncore devices on
        // their own root buses, or beside the first) are ordinary functions.
        if (cls == 0x0600 && e.parent() == null && e.firstOnRootBus()) return new Decision(DeviceKind.HOST_BRIDGE, false, null);
        // Header type 1 is a PCI-to-PCI bridge, type 2 a CardBus bridge (class 0607): both own a secondary bus
        // (the kernel scans both in pci_scan_bridge_extend()).
        boolean bridge = cls == 0x0604 || cls == 0x0609 || cls == 0x0607 || (c != null && c.isBridgeHeader());
        DeviceKind fromCap = c == null ? null : c.pcieKind();
        if (fromCap != null) {
            if (bridge && !fromCap.isBridge()) {
                return new Decision(inferBridge(e, c, cls), true, "bridge header (type " + c.headerType()
                        + ") but its PCI Express capability says " + article(fromCap) + "; treated as a bridge");
            }
            return new Decision(fromCap, false, null);
        }
        if (c != null && c.pcieCapabilityAbsent()) {
            // Readable config space and no PCI Express capability: a conventional PCI function. Its bridge is a
            // PCI-to-PCI or CardBus bridge, never a root or switch port.
            if (bridge) return new Decision(DeviceKind.PCI_BRIDGE, false, null);
            return new Decision(e.parent() == null ? DeviceKind.RCIEP : DeviceKind.ENDPOINT, true, null);
        }
        if (bridge) return new Decision(inferBridge(e, c, cls), true, null);
        return new Decision(e.parent() == null ? DeviceKind.RCIEP : DeviceKind.ENDPOINT, true, null);
    }

    /// A bridge whose PCI Express capability could not be read (config space cut to 64 bytes, or none).
    private static DeviceKind inferBridge(Evidence e, ConfigSpace c, int cls) {
        if (cls == 0x0607 || (c != null && c.headerType() == 2)) return DeviceKind.PCI_BRIDGE;   // CardBus
        if (e.classCode() == 0x060401) return DeviceKind.PCI_BRIDGE;   // subtractive decode: a legacy PCI bridge
        DeviceKind parent = e.parent();
        if (parent == null) return DeviceKind.ROOT_PORT;
        if (parent == DeviceKind.ROOT_PORT || parent == DeviceKind.SWITCH_DOWN) {
            // A switch's upstream port has its downstream ports (bridges) below it; a PCIe-to-PCI bridge has
            // conventional devices, not bridges.
            return e.hasChildren() && !e.hasBridgeChild() ? DeviceKind.PCIE_TO_PCI_BRIDGE : DeviceKind.SWITCH_UP;
        }
        if (parent == DeviceKind.SWITCH_UP) return DeviceKind.SWITCH_DOWN;
        return DeviceKind.PCI_BRIDGE;
    }

    private static String article(DeviceKind k) {
        return (k == DeviceKind.ENDPOINT || k == DeviceKind.RCIEP ? "an " : "a ") + k;
    }

    /// The older entry point: no config space, no children known.
    public static DeviceKind infer(int classCode, boolean bridgeHeader, DeviceKind parent) {
        int cls = classCode < 0 ? -1 : classCode >> 8;
        if (cls == 0x0600 && parent == null) return DeviceKind.HOST_BRIDGE;
        boolean bridge = cls == 0x0604 || cls == 0x0609 || cls == 0x0607 || bridgeHeader;
        if (bridge) return inferBridge(new Evidence(classCode, null, parent, true, false, false), null, cls);
        return parent == null ? DeviceKind.RCIEP : DeviceKind.ENDPOINT;
    }
}
