package dev.p2pscope.core.live;

import dev.p2pscope.core.model.PciAddress;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// What is behind a copy's source or destination, as far as P2PDMA is concerned: the PCI function of the NVMe
/// namespace that holds it, an NVMe multipath head (which the kernel never lets take part in P2PDMA), or nothing
/// PCI at all. Symlinks (`/dev/disk/by-id/…`) are resolved first; a file (existing or about to be created) is
/// mapped to the filesystem of its nearest existing directory through `/proc/self/mountinfo`, then to its block
/// device (`/sys/dev/block/MAJ:MIN`), then up the `devices/pci*` hierarchy to the nearest `DDDD:BB:DD.F`. Everything
/// is read under a root that tests point at a fake tree.
public final class DeviceMap {

    private static final Pattern BDF = Pattern.compile("[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");
    private static final Pattern CONTROLLER = Pattern.compile("nvme\\d+");

    private DeviceMap() {
    }

    /// What backs a path.
    public sealed interface Backing {
        /// The path in words, for the preflight's notes.
        String describe();
    }

    /// A block device below PCI function `function`.
    ///
    /// @param block the block device's name (`nvme0n1p1`)
    /// @param nvme  whether it is an NVMe namespace of that function (a queue that advertises P2PDMA)
    public record Function(PciAddress function, String block, boolean nvme) implements Backing {
        @Override
        public String describe() {
            return block + " on " + function + (nvme ? " (NVMe)" : "");
        }
    }

    /// A namespace reached through an NVMe multipath head (`/sys/devices/virtual/nvme-subsystem/…`).
    ///
    /// @param block     the head disk's name (`nvme0n1`) or a partition of it
    /// @param subsystem the subsystem (`nvme-subsys0`)
    /// @param paths     the PCI functions of the subsystem's controllers (the paths the head sends I/O down)
    public record MultipathHead(String block, String subsystem, List<PciAddress> paths) implements Backing {
        public MultipathHead {
            paths = List.copyOf(paths);
        }

        @Override
        public String describe() {
            return block + " (NVMe multipath head of " + subsystem + (paths.isEmpty() ? "" : ", paths through "
                    + String.join(", ", paths.stream().map(PciAddress::toString).toList())) + ")";
        }
    }

    /// Nothing PCI behind the path, or it could not be found.
    public record NotPci(String why) implements Backing {
        @Override
        public String describe() {
            return why;
        }
    }

    /// A provider's p2pmem `allocate` file (kernel 6.2+) under the filesystem `root`.
    public static Path allocateFile(Path root, PciAddress provider) {
        return root.resolve("sys/bus/pci/devices").resolve(provider.toString()).resolve("p2pmem/allocate");
    }

    public static boolean isBlockDevice(Path p) {
        return "block".equals(kind(p));
    }

    public static boolean isCharDevice(Path p) {
        return "char".equals(kind(p));
    }

    private static String kind(Path p) {
        try {
            if (!Files.exists(p) || Files.isRegularFile(p) || Files.isDirectory(p)) return "other";
            int m = (Integer) Files.getAttribute(p, "unix:mode");
            return (m & 0xf000) == 0x6000 ? "block" : (m & 0xf000) == 0x2000 ? "char" : "other";
        } catch (IOException | UnsupportedOperationException e) {
            return "other";
        }
    }

    /// The PCI function behind `path`, when it is one (not a multipath head, not virtual).
    public static Optional<PciAddress> functionOf(Path path, Path root) {
        return backingOf(path, root) instanceof Function f ? Optional.of(f.function()) : Optional.empty();
    }

    /// What backs `path` (a block device, a symlink to one, an existing file, or a file about to be created).
    public static Backing backingOf(Path path, Path root) {
        try {
            Path real = realOrNearest(path);
            Path sys;
            if (isBlockDevice(real)) {
                sys = root.resolve("sys/class/block").resolve(real.getFileName().toString());
            } else {
                Optional<Path> s = filesystemDevice(real, root);
                if (s.isEmpty()) return new NotPci(path + ": its filesystem's block device is not known (no "
                        + "/proc/self/mountinfo entry or sysfs block entry for it)");
                sys = s.get();
            }
            if (!Files.exists(sys, LinkOption.NOFOLLOW_LINKS)) {
                return new NotPci(path + ": no sysfs block entry " + root.relativize(sys).toString());
            }
            Path dev = sys.toRealPath();
            String s = dev.toString();
            String name = dev.getFileName().toString();
            int v = s.indexOf("/devices/virtual/nvme-subsystem/");
            if (v >= 0) {
                String rest = s.substring(v + "/devices/virtual/nvme-subsystem/".length());
                String subsys = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
                Path subsysDir = Path.of(s.substring(0, v + "/devices/virtual/nvme-subsystem/".length()) + subsys);
                return new MultipathHead(name, subsys, controllers(subsysDir));
            }
            for (Path p = dev; p != null; p = p.getParent()) {
                String n = p.getFileName() == null ? "" : p.getFileName().toString();
                if (BDF.matcher(n).matches()) {
                    String below = p.relativize(dev).toString();
                    return new Function(PciAddress.parse(n), name, below.startsWith("nvme/"));
                }
            }
            return new NotPci(path + " is on " + name + ", a virtual block device (device-mapper, md, loop, …) "
                    + "not behind one PCI function");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return new NotPci(path + ": cannot resolve its device (" + e.getMessage() + ")");
        }
    }

    /// The path with symlinks resolved; for a path that does not exist yet, its nearest existing ancestor resolved
    /// and the rest appended.
    static Path realOrNearest(Path path) throws IOException {
        Path abs = path.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return abs;
        return existing.toRealPath().resolve(existing.relativize(abs));
    }

    /// The sysfs block entry of the filesystem holding `real`: the mount with the longest mount point above it in
    /// `/proc/self/mountinfo` (by its MAJ:MIN, else by its source device's name); without mountinfo, the `st_dev`
    /// of the nearest existing directory.
    private static Optional<Path> filesystemDevice(Path real, Path root) throws IOException {
        Path mountinfo = root.resolve("proc/self/mountinfo");
        if (Files.isReadable(mountinfo)) {
            String best = null;
            String bestMajMin = null;
            String bestSource = null;
            for (String line : Files.readAllLines(mountinfo, StandardCharsets.UTF_8)) {
                String[] f = line.split(" ");
                int dash = List.of(f).indexOf("-");
                if (f.length < 5 || dash < 0 || dash + 2 >= f.length) continue;
                String mount = unescape(f[4]);
                if (!under(real, mount)) continue;
                if (best == null || mount.length() >= best.length()) {
                    best = mount;
                    bestMajMin = f[2];
                    bestSource = f[dash + 2];
                }
            }
            if (best != null) {
                Path byNumber = root.resolve("sys/dev/block").resolve(bestMajMin);
                if (Files.exists(byNumber, LinkOption.NOFOLLOW_LINKS)) return Optional.of(byNumber);
                if (bestSource.startsWith("/dev/")) {
                    String n = Path.of(bestSource).getFileName().toString();
                    Path byName = root.resolve("sys/class/block").resolve(n);
                    if (Files.exists(byName, LinkOption.NOFOLLOW_LINKS)) return Optional.of(byName);
                }
                return Optional.empty();
            }
        }
        Path existing = real;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return Optional.empty();
        long dev = ((Number) Files.getAttribute(existing, "unix:dev")).longValue();
        long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
        long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
        return Optional.of(root.resolve("sys/dev/block").resolve(major + ":" + minor));
    }

    private static boolean under(Path real, String mount) {
        if (mount.equals("/")) return true;
        String r = real.toString();
        return r.equals(mount) || r.startsWith(mount.endsWith("/") ? mount : mount + "/");
    }

    /// mountinfo escapes space, tab, newline and backslash as octal.
    private static String unescape(String s) {
        Matcher m = Pattern.compile("\\\\([0-7]{3})").matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) m.appendReplacement(b, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 8))));
        m.appendTail(b);
        return b.toString();
    }

    /// The PCI functions of a subsystem's controllers (`nvme-subsysN/nvmeM` links to the controllers).
    private static List<PciAddress> controllers(Path subsysDir) {
        List<PciAddress> out = new ArrayList<>();
        if (!Files.isDirectory(subsysDir)) return out;
        try (var s = Files.list(subsysDir)) {
            for (Path c : s.sorted().toList()) {
                if (!CONTROLLER.matcher(c.getFileName().toString()).matches()) continue;
                for (Path p = c.toRealPath(); p != null; p = p.getParent()) {
                    String n = p.getFileName() == null ? "" : p.getFileName().toString();
                    if (BDF.matcher(n).matches()) {
                        out.add(PciAddress.parse(n));
                        break;
                    }
                }
            }
        } catch (IOException e) {
            // the paths are for the message only
        }
        return out;
    }
}
