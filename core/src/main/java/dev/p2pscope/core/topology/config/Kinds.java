package dev.p2pscope.core.topology.config;

import dev.p2pscope.core.model.DeviceKind;

/// The kind of a function when its PCI Express capability could not be read: from its class code, its header
/// type and where it hangs. Used by every loader; the result is marked as inferred.
public final class Kinds {

    private Kinds() {
    }

    /// @param classCode  `0xCCSSPP`, or -1 when unknown
    /// @param bridgeHeader whether config space says header type 1 (PCI-to-PCI bridge)
    /// @param parent     the parent's kind, or null on a root bus
    public static DeviceKind infer(int classCode, boolean bridgeHeader, DeviceKind parent) {
        int cls = classCode < 0 ? -1 : classCode >> 8;
        if (cls == 0x0600 && parent == null) return DeviceKind.HOST_BRIDGE;
        boolean bridge = cls == 0x0604 || cls == 0x0609 || bridgeHeader;
        if (bridge) {
            if (parent == null) return DeviceKind.ROOT_PORT;
            if (parent == DeviceKind.ROOT_PORT || parent == DeviceKind.SWITCH_DOWN) return DeviceKind.SWITCH_UP;
            if (parent == DeviceKind.SWITCH_UP) return DeviceKind.SWITCH_DOWN;
            return DeviceKind.PCI_BRIDGE;
        }
        return parent == null ? DeviceKind.RCIEP : DeviceKind.ENDPOINT;
    }
}
