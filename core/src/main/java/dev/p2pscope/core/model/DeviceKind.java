package dev.p2pscope.core.model;

import java.util.Arrays;
import java.util.Optional;

/// What a PCI function is, as far as the P2PDMA walk and the drawing care.
public enum DeviceKind {
    HOST_BRIDGE("host_bridge", false),
    ROOT_PORT("root_port", true),
    SWITCH_UP("switch_up", true),
    SWITCH_DOWN("switch_down", true),
    PCIE_TO_PCI_BRIDGE("pcie_to_pci_bridge", true),
    PCI_BRIDGE("pci_bridge", true),
    ENDPOINT("endpoint", false),
    RCIEP("rciep", false),
    VF("vf", false);

    private final String jsonName;
    private final boolean bridge;

    DeviceKind(String jsonName, boolean bridge) {
        this.jsonName = jsonName;
        this.bridge = bridge;
    }

    /// The name used in `p2pscope-topology/1` files.
    public String jsonName() {
        return jsonName;
    }

    /// True for functions with a secondary bus (any bridge type counts for `pci_upstream_bridge`).
    public boolean isBridge() {
        return bridge;
    }

    public static Optional<DeviceKind> fromJson(String name) {
        return Arrays.stream(values()).filter(k -> k.jsonName.equals(name)).findFirst();
    }

    @Override
    public String toString() {
        return jsonName;
    }
}
