package dev.p2pscope.core.live;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/// The rails that keep a live copy from touching a user's data: a block device that is mounted (or one of its
/// partitions is), used by a holder (RAID, LVM, dm), or used as swap is refused; writing to a block device needs
/// it named exactly with `--allow-write-device`. Reads `/proc/mounts`, `/proc/swaps` and sysfs under a root that
/// tests can point elsewhere.
///
/// @param root the filesystem root (`/` normally)
public record Safety(Path root) {

    public static Safety system() {
        return new Safety(Path.of("/"));
    }

    /// Why `device` may not be opened for this copy, or empty when it may.
    public List<String> refusals(Path device, boolean writing, List<Path> allowedWriteDevices) throws IOException {
        List<String> out = new ArrayList<>();
        // A symlink (/dev/disk/by-id/...) is checked as the device it names.
        Path real = DeviceMap.realOrNearest(device);
        String name = real.getFileName().toString();
        List<String> names = new ArrayList<>(List.of(name));
        Path classBlock = root.resolve("sys/class/block");
        if (Files.isDirectory(classBlock)) {
            try (var s = Files.list(classBlock)) {
                s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(name) && !n.equals(name)
                        && Files.isDirectory(classBlock.resolve(name).resolve(n))).forEach(names::add);
            }
        }
        for (String line : lines(root.resolve("proc/mounts"))) {
            String[] f = line.split("\\s+");
            if (f.length < 2) continue;
            for (String n : names) {
                if (f[0].equals("/dev/" + n)) out.add("/dev/" + n + " is mounted on " + f[1]);
            }
        }
        for (String line : lines(root.resolve("proc/swaps"))) {
            String[] f = line.split("\\s+");
            for (String n : names) {
                if (f.length > 0 && f[0].equals("/dev/" + n)) out.add("/dev/" + n + " is in use as swap");
            }
        }
        for (String n : names) {
            Path holders = classBlock.resolve(n).resolve("holders");
            if (Files.isDirectory(holders)) {
                try (var s = Files.list(holders)) {
                    List<String> h = s.map(p -> p.getFileName().toString()).toList();
                    if (!h.isEmpty()) out.add("/dev/" + n + " is held by " + String.join(", ", h)
                            + " (RAID, LVM or device-mapper)");
                }
            }
        }
        if (writing && allowedWriteDevices.stream().noneMatch(a -> a.normalize().equals(device.normalize())
                || real(a).equals(real))) {
            out.add("writing to block device " + device + " needs --allow-write-device " + device
                    + " (it overwrites the data there)");
        }
        return out;
    }

    private static Path real(Path p) {
        try {
            return DeviceMap.realOrNearest(p);
        } catch (IOException e) {
            return p;
        }
    }

    private static List<String> lines(Path p) throws IOException {
        return Files.isReadable(p) ? Files.readAllLines(p, StandardCharsets.UTF_8) : List.of();
    }
}
