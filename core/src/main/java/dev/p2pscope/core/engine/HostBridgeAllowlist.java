package dev.p2pscope.core.engine;

import dev.p2pscope.core.model.AllowlistEntry;
import dev.p2pscope.core.model.AllowlistOverrides;
import dev.p2pscope.core.model.KernelProfile;

import java.util.ArrayList;
import java.util.List;

/// The kernel's host-bridge allowlist, `pci_p2pdma_whitelist[]` in drivers/pci/p2pdma.c, per profile, and the
/// effective list after what-if overrides.
public final class HostBridgeAllowlist {

    private static final int INTEL = 0x8086;

    private HostBridgeAllowlist() {
    }

    /// The entries built into `profile`'s kernel, in the kernel's table order (the first match decides).
    public static List<AllowlistEntry> builtIn(KernelProfile profile) {
        List<AllowlistEntry> e = new ArrayList<>();
        // Both profiles (5.15 has exactly these ten): Xeon E5/Core i7 and E5 v3/E7 v3 with REQ_SAME_HOST_BRIDGE,
        // Sky Lake-E root ports A-D and host bridge, Ice Lake-SP and later.
        e.add(new AllowlistEntry(INTEL, 0x3c00, true));
        e.add(new AllowlistEntry(INTEL, 0x3c01, true));
        e.add(new AllowlistEntry(INTEL, 0x2f00, true));
        e.add(new AllowlistEntry(INTEL, 0x2f01, true));
        e.add(new AllowlistEntry(INTEL, 0x2030, false));
        e.add(new AllowlistEntry(INTEL, 0x2031, false));
        e.add(new AllowlistEntry(INTEL, 0x2032, false));
        e.add(new AllowlistEntry(INTEL, 0x2033, false));
        e.add(new AllowlistEntry(INTEL, 0x2020, false));
        e.add(new AllowlistEntry(INTEL, 0x09a2, false));
        if (profile == KernelProfile.NEWEST) {
            // 7.1 (commit 0ba76b19): Intel DSA/IAA/QAT accelerators that are first on their own root bus.
            for (int dev : new int[] {0x0b25, 0x0cfe, 0x11fb, 0x1212, 0x1216, 0x4940, 0x4942, 0x4944, 0x4946,
                    0x4948}) {
                e.add(new AllowlistEntry(INTEL, dev, false));
            }
            // Google SoCs: any device ID of vendor 1ae0 (PCI_ANY_ID entry).
            e.add(new AllowlistEntry(0x1ae0, AllowlistEntry.ANY_DEVICE, false));
            // NVIDIA CPUs.
            for (int dev : new int[] {0x2f95, 0x2f96, 0x2f97, 0x2f98}) {
                e.add(new AllowlistEntry(0x10de, dev, false));
            }
            // Zhaoxin KX-6000/KH-40000/KX-6000G/KX-7000 with REQ_SAME_HOST_BRIDGE, KH-50000 without.
            for (int dev : new int[] {0x1003, 0x1005, 0x1006, 0x1007}) {
                e.add(new AllowlistEntry(0x1d17, dev, true));
            }
            e.add(new AllowlistEntry(0x1d17, 0x1008, false));
        }
        return List.copyOf(e);
    }

    /// The built-in list with removed IDs (and IDs added again with other flags) taken out, then added entries.
    public static List<AllowlistEntry> effective(KernelProfile profile, AllowlistOverrides overrides) {
        List<AllowlistEntry> out = new ArrayList<>();
        for (AllowlistEntry b : builtIn(profile)) {
            boolean removed = overrides.removed().stream().anyMatch(b::sameId);
            boolean replaced = overrides.added().stream().anyMatch(b::sameId);
            if (!removed && !replaced) out.add(b);
        }
        out.addAll(overrides.added());
        return List.copyOf(out);
    }
}
