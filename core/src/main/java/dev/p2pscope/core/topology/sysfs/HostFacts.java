package dev.p2pscope.core.topology.sysfs;

import dev.p2pscope.core.model.Cpu;
import dev.p2pscope.core.model.CpuVendor;
import dev.p2pscope.core.model.HostInfo;
import dev.p2pscope.core.model.KernelProfile;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// What a capture (or this host) says beside its PCI tree: the boot CPU from `proc/cpuinfo`, the kernel release
/// and command line, and whether an IOMMU is registered (`sys/class/iommu`).
///
/// @param cpu     vendor and family of the first processor, or unknown
/// @param info    kernel release, command line and IOMMU, each null when not captured
/// @param profile the kernel profile that matches the release (newest for 6.0 and later, else 5.15)
public record HostFacts(Cpu cpu, HostInfo info, KernelProfile profile) {

    private static final Pattern RELEASE = Pattern.compile("(\\d+)\\.(\\d+)");
    private static final Pattern VERSION = Pattern.compile("Linux version (\\S+)");

    static HostFacts read(FileTree tree, String sys) {
        return read(tree, sys, (path, message) -> { });
    }

    /// Reads the host facts; these are optional, so a malformed one is a notice (`path`, `message`) and a fallback,
    /// never a failed load.
    static HostFacts read(FileTree tree, String sys, BiConsumer<String, String> notice) {
        String top = FileTree.parent(sys.isEmpty() ? "" : sys);
        String proc = sys.isEmpty() ? "../proc" : FileTree.join(top, "proc");
        Cpu cpu = tree.text(proc + "/cpuinfo", 256 * 1024)
                .map(t -> parseCpuinfo(t, m -> notice.accept(proc + "/cpuinfo", m))).orElse(Cpu.UNKNOWN);
        String release = tree.text(proc + "/sys/kernel/osrelease", 4096).orElse(null);
        if (release == null) {
            release = tree.text(proc + "/version", 4096).map(v -> {
                Matcher m = VERSION.matcher(v);
                return m.find() ? m.group(1) : null;
            }).orElse(null);
        }
        String cmdline = tree.text(proc + "/cmdline", 16 * 1024).map(s -> s.replace('\0', ' ').trim()).orElse(null);
        String iommu = null;
        String cls = FileTree.join(sys, "class/iommu");
        if (tree.isDirectory(cls)) {
            List<String> units = tree.list(cls);
            iommu = units.isEmpty() ? "none" : String.join(",", units);
        }
        if (release != null && release.length() > 256) {
            notice.accept(proc + "/sys/kernel/osrelease", "kernel release longer than 256 characters; ignored");
            release = null;
        }
        if (release != null && RELEASE.matcher(release).find() && majorOf(release) < 0) {
            notice.accept(proc + "/sys/kernel/osrelease", "kernel release '" + release + "' has no plausible "
                    + "version number; decided as the newest kernel");
        }
        if (release == null) {
            notice.accept(proc + "/sys/kernel/osrelease", "no kernel release captured; verdicts assume the newest "
                    + "kernel");
        } else {
            Matcher m = RELEASE.matcher(release);
            int major = majorOf(release);
            if (m.find() && major >= 0 && m.group(2).length() <= 4
                    && (major < 4 || (major == 4 && Integer.parseInt(m.group(2)) < 20))) {
                notice.accept(proc + "/sys/kernel/osrelease", "kernel " + release + " predates P2PDMA (added in "
                        + "4.20): that kernel has no peer-to-peer DMA at all; verdicts are the 5.15 kernel's");
            }
        }
        return new HostFacts(cpu, new HostInfo(release, cmdline, iommu), profileFor(release));
    }

    /// The major version of a release such as `6.12.0-rc1`, or -1 when it is not a number a kernel could have.
    static int majorOf(String release) {
        Matcher m = RELEASE.matcher(release);
        if (!m.find() || m.group(1).length() > 4) return -1;
        return Integer.parseInt(m.group(1));
    }

    /// `newest` for 6.0 and later (map types computed on a cache miss, dma-direct/dma-iommu P2PDMA), `5.15`
    /// before; unknown releases decide with `newest`.
    public static KernelProfile profileFor(String release) {
        if (release == null) return KernelProfile.NEWEST;
        int major = majorOf(release);
        if (major < 0) return KernelProfile.NEWEST;
        return major >= 6 ? KernelProfile.NEWEST : KernelProfile.V5_15;
    }

    /// The first processor's `vendor_id` and `cpu family`; non-x86 when there is no `vendor_id` at all.
    public static Cpu parseCpuinfo(String text) {
        return parseCpuinfo(text, m -> { });
    }

    /// As [#parseCpuinfo(String)], telling `notice` about a `cpu family` that is not a plausible number (it is
    /// then taken as 0, unknown).
    public static Cpu parseCpuinfo(String text, Consumer<String> notice) {
        Optional<String> vendor = field(text, "vendor_id");
        if (vendor.isEmpty()) return text.isBlank() ? Cpu.UNKNOWN : new Cpu(CpuVendor.NON_X86, 0);
        CpuVendor v = CpuVendor.fromId(vendor.get()).orElse(CpuVendor.UNKNOWN);
        Optional<String> familyText = field(text, "cpu family");
        int family = familyText.flatMap(SysfsLoader::integer).orElse(-1);
        if (family < 0) {
            if (familyText.isPresent()) {
                String shown = familyText.get().length() > 40 ? familyText.get().substring(0, 40) + "..."
                        : familyText.get();
                notice.accept("cpu family '" + shown + "' is not a non-negative number; taken as unknown (0)");
            }
            family = 0;
        }
        return new Cpu(v, family);
    }

    private static Optional<String> field(String text, String key) {
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return Optional.of(line.substring(colon + 1).trim());
            }
        }
        return Optional.empty();
    }
}
