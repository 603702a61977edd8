package dev.p2pscope.core.live;

import dev.p2pscope.core.model.PciAddress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/// Which PCI function is behind a block device or a file: `/sys/class/block/NAME` (or `/sys/dev/block/MAJ:MIN`
/// of the file's filesystem) resolves into the `devices/pci*` hierarchy, and the nearest `DDDD:BB:DD.F` above it is
/// the function.
public final class DeviceMap {

    private static final Pattern BDF = Pattern.compile("[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");

    private DeviceMap() {
    }

    /// A provider's p2pmem `allocate` file (kernel 6.2+) under the filesystem `root`.
    public static Path allocateFile(Path root, PciAddress provider) {
        return root.resolve("sys/bus/pci/devices").resolve(provider.toString()).resolve("p2pmem/allocate");
    }

    public static boolean isBlockDevice(Path p) {
        try {
            return Files.exists(p) && !Files.isRegularFile(p) && !Files.isDirectory(p)
                    && "block".equals(blockOrChar(p));
        } catch (IOException e) {
            return false;
        }
    }

    private static String blockOrChar(Path p) throws IOException {
        Object mode = Files.getAttribute(p, "unix:mode");
        int m = (Integer) mode;
        return (m & 0xf000) == 0x6000 ? "block" : (m & 0xf000) == 0x2000 ? "char" : "other";
    }

    /// The PCI function behind `path` (a block device or any file), looked up under `root`'s sysfs.
    public static Optional<PciAddress> functionOf(Path path, Path root) {
        try {
            Path sys;
            if (isBlockDevice(path)) {
                sys = root.resolve("sys/class/block").resolve(path.getFileName().toString());
            } else {
                long dev = ((Number) Files.getAttribute(path, "unix:dev")).longValue();
                long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
                long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
                sys = root.resolve("sys/dev/block").resolve(major + ":" + minor);
            }
            if (!Files.exists(sys, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
            for (Path p = sys.toRealPath(); p != null; p = p.getParent()) {
                String n = p.getFileName() == null ? "" : p.getFileName().toString();
                if (BDF.matcher(n).matches()) return Optional.of(PciAddress.parse(n));
            }
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
