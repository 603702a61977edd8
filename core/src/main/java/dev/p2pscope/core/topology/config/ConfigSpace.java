package dev.p2pscope.core.topology.config;

import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.Link;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/// A function's PCI configuration space as far as it could be read (64 bytes for non-root readers of sysfs,
/// 256 for conventional PCI, 4096 with extended capabilities), decoded defensively: every walk is bounded, a
/// capability list that loops or points outside what was read stops with a problem instead of hanging.
public final class ConfigSpace {

    /// PCI Express capability: device/port types (PCI_EXP_TYPE_* in pci_regs.h).
    public static final int TYPE_ENDPOINT = 0x0, TYPE_LEGACY_ENDPOINT = 0x1, TYPE_ROOT_PORT = 0x4,
            TYPE_UPSTREAM = 0x5, TYPE_DOWNSTREAM = 0x6, TYPE_PCIE_TO_PCI = 0x7, TYPE_PCI_TO_PCIE = 0x8,
            TYPE_RCIEP = 0x9, TYPE_RC_EVENT_COLLECTOR = 0xa;
    static final int CAP_ID_EXP = 0x10;
    static final int EXT_CAP_ID_ACS = 0x0d, EXT_CAP_ID_ARI = 0x0e, EXT_CAP_ID_SRIOV = 0x10;

    private final byte[] bytes;
    private final List<String> problems = new ArrayList<>();
    private Integer pcieCap;
    private Integer acsCap;
    private boolean sriov;
    private boolean ari;

    /// Whether the bytes are the device's whole config space (the kernel's `cfg_size`), so that 256 bytes mean it
    /// has no extended space at all, rather than that only the first 256 were read.
    private final boolean whole;

    /// Bytes of unknown extent: with 256 or fewer, ACS is unknown.
    public ConfigSpace(byte[] bytes) {
        this(bytes, false);
    }

    /// @param whole the bytes are all the config space the device has (root reading sysfs gets `cfg_size`: 256
    ///              or 4096 bytes; anyone else gets 64 or 128)
    public ConfigSpace(byte[] bytes, boolean whole) {
        this.whole = whole;
        this.bytes = bytes.clone();
        if (bytes.length >= 64) walkCapabilities();
        if (bytes.length > 256) walkExtendedCapabilities();
    }

    /// A copy holding only the first 256 bytes (the header and the capability list), for keeping many functions'
    /// config spaces at once (a 10,000-function tree holds 40 MB of them): what was decoded from the extended space
    /// (SR-IOV, ARI, problems) is kept, and ACS, which lives there, is unknown to the copy, as it was not kept.
    public ConfigSpace headerOnly() {
        return bytes.length <= 256 ? this : new ConfigSpace(this);
    }

    private ConfigSpace(ConfigSpace full) {
        this.whole = false;
        this.bytes = java.util.Arrays.copyOf(full.bytes, 256);
        this.problems.addAll(full.problems);
        this.pcieCap = full.pcieCap;
        this.acsCap = null;
        this.sriov = full.sriov;
        this.ari = full.ari;
    }

    public int length() {
        return bytes.length;
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    int u8(int off) {
        return off < bytes.length ? bytes[off] & 0xff : 0;
    }

    int u16(int off) {
        return u8(off) | (u8(off + 1) << 8);
    }

    long u32(int off) {
        return (u16(off) | ((long) u16(off + 2) << 16)) & 0xffffffffL;
    }

    public boolean hasHeader() {
        return bytes.length >= 64 && u16(0) != 0xffff;
    }

    public int vendor() { return u16(0); }
    public int device() { return u16(2); }
    /// `0xCCSSPP`.
    public int classCode() { return (u8(0x0b) << 16) | (u8(0x0a) << 8) | u8(0x09); }
    public int headerType() { return u8(0x0e) & 0x7f; }
    /// Header type 1 (PCI-to-PCI bridge) or 2 (CardBus bridge): both hold primary, secondary and subordinate bus
    /// numbers at 0x18, 0x19 and 0x1a (PCI_PRIMARY_BUS / PCI_CB_PRIMARY_BUS and so on in pci_regs.h).
    public boolean isBridgeHeader() { return headerType() == 1 || headerType() == 2; }

    /// Config space was read far enough to walk the capability list, and it has no PCI Express capability (or no
    /// capability list at all, which no PCI Express function can lack): a conventional PCI function.
    public boolean pcieCapabilityAbsent() {
        if (!hasHeader() || pcieCap != null) return false;
        if ((u16(0x06) & 0x10) == 0) return true;
        return bytes.length >= 256 && problems.isEmpty();
    }
    public int secondaryBus() { return u8(0x19); }
    public int subordinateBus() { return u8(0x1a); }

    /// The PCI Express capability's device/port type, when that capability was found.
    public Optional<Integer> portType() {
        return pcieCap == null ? Optional.empty() : Optional.of((u16(pcieCap + 2) >> 4) & 0xf);
    }

    /// The kind the PCI Express capability says (null when there is none).
    public DeviceKind pcieKind() {
        if (pcieCap == null) return null;
        return switch (portType().orElseThrow()) {
            case TYPE_ROOT_PORT -> DeviceKind.ROOT_PORT;
            case TYPE_UPSTREAM -> DeviceKind.SWITCH_UP;
            case TYPE_DOWNSTREAM -> DeviceKind.SWITCH_DOWN;
            case TYPE_PCIE_TO_PCI -> DeviceKind.PCIE_TO_PCI_BRIDGE;
            case TYPE_PCI_TO_PCIE -> DeviceKind.PCI_BRIDGE;
            case TYPE_RCIEP, TYPE_RC_EVENT_COLLECTOR -> DeviceKind.RCIEP;
            default -> DeviceKind.ENDPOINT;
        };
    }

    /// The link as sysfs would print it, from Link Capabilities and Link Status; empty when there is no PCI Express
    /// capability or both registers are zero (a function with no link, such as an RCiEP).
    public Optional<Link> link() {
        if (pcieCap == null) return Optional.empty();
        long cap = u32(pcieCap + 0x0c);
        int status = u16(pcieCap + 0x12);
        if ((cap & 0x3ff) == 0 && (status & 0x3ff) == 0) return Optional.empty();
        return Optional.of(new Link(speed(status & 0xf), (status >> 4) & 0x3f,
                speed((int) (cap & 0xf)), (int) ((cap >> 4) & 0x3f)));
    }

    /// `current_link_speed` text for a Link Speed field value.
    public static String speed(int code) {
        return switch (code) {
            case 1 -> "2.5 GT/s PCIe";
            case 2 -> "5.0 GT/s PCIe";
            case 3 -> "8.0 GT/s PCIe";
            case 4 -> "16.0 GT/s PCIe";
            case 5 -> "32.0 GT/s PCIe";
            case 6 -> "64.0 GT/s PCIe";
            default -> "Unknown";
        };
    }

    /// Whether extended config space (beyond 256 bytes) was read at all: without it ACS is unknown.
    public boolean hasExtendedSpace() {
        return bytes.length > 256;
    }

    /// The ACS state: present with its registers, absent (extended space read and no ACS capability in it, or a
    /// device with no extended space at all), or unknown (the extended space was not read).
    public Acs acs() {
        // pci_find_ext_capability() finds nothing when cfg_size is 256: such a device has no ACS for the kernel.
        if (whole && bytes.length == 256) return Acs.ABSENT;
        if (!hasExtendedSpace()) return Acs.UNKNOWN;
        if (acsCap == null) return Acs.ABSENT;
        return new Acs.Present(u16(acsCap + 6), u16(acsCap + 4));
    }

    public boolean hasSriov() { return sriov; }
    public boolean hasAri() { return ari; }

    private void walkCapabilities() {
        if ((u16(0x06) & 0x10) == 0) return;   // Status: Capabilities List
        if (bytes.length < 256) {
            problems.add("capability list not readable (only " + bytes.length + " bytes of config space)");
            return;
        }
        int ptr = u8(0x34) & 0xfc;
        Set<Integer> seen = new HashSet<>();
        for (int n = 0; ptr >= 0x40 && n < 48; n++) {
            if (!seen.add(ptr)) {
                problems.add(String.format(Locale.ROOT, "capability list loops at 0x%02x", ptr));
                return;
            }
            if (ptr + 2 > bytes.length) {
                problems.add(String.format(Locale.ROOT, "capability pointer 0x%02x is past the data read", ptr));
                return;
            }
            int id = u8(ptr);
            if (id == CAP_ID_EXP && pcieCap == null) pcieCap = ptr;
            ptr = u8(ptr + 1) & 0xfc;
        }
    }

    private void walkExtendedCapabilities() {
        int off = 0x100;
        Set<Integer> seen = new HashSet<>();
        for (int n = 0; off >= 0x100 && n < 960; n++) {
            if (off + 4 > bytes.length) {
                problems.add(String.format(Locale.ROOT, "extended capability at 0x%03x is past the data read", off));
                return;
            }
            if (!seen.add(off)) {
                problems.add(String.format(Locale.ROOT, "extended capability list loops at 0x%03x", off));
                return;
            }
            long header = u32(off);
            if (header == 0 || header == 0xffffffffL) return;
            int id = (int) (header & 0xffff);
            if (id == EXT_CAP_ID_ACS && acsCap == null) acsCap = off;
            if (id == EXT_CAP_ID_SRIOV) sriov = true;
            if (id == EXT_CAP_ID_ARI) ari = true;
            off = (int) ((header >> 20) & 0xffc);
        }
    }
}
