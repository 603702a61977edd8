package dev.p2pscope.core.live;

import dev.p2pscope.core.samples.Samples;
import dev.p2pscope.core.topology.sysfs.SysfsExporter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/// A fake host for the live preflight: the QEMU q35 lab machine (three NVMe CMBs, 03:00.0 and 04:00.0 behind a
/// switch, 05:00.0 on its own root port behind a host bridge the kernel does not allowlist) written as sysfs under
/// `root`, with block devices, an NVMe multipath head, and `/proc/self/mountinfo` mounting directories of the test
/// filesystem on those devices, so files (existing or not) resolve to the drives.
final class FakeHost {

    final Path root;
    final Path dir;
    /// Directories whose files live on: 03:00.0's namespace, 05:00.0's namespace, a multipath head over 03:00.0.
    final Path onSwitch;
    final Path acrossRootPort;
    final Path onMultipath;
    private final List<String> mounts = new ArrayList<>();

    FakeHost(Path dir) throws Exception {
        this.dir = dir.toRealPath();
        this.root = this.dir.resolve("root");
        SysfsExporter.export(Samples.load("qemu-q35-switch-cmb").topology(), root);
        mounts.add("21 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw");
        onSwitch = mount("on-switch", "259:1", namespace("0000:03:00.0", "nvme0", "nvme0n1"), "/dev/nvme0n1");
        acrossRootPort = mount("across", "259:5", namespace("0000:05:00.0", "nvme2", "nvme2n1"), "/dev/nvme2n1");
        // One subsystem per drive, as dual-port drives report: the head nvme3n1 sends I/O down controller nvme3,
        // which is 03:00.0.
        Path subsys = root.resolve("sys/devices/virtual/nvme-subsystem/nvme-subsys3");
        Files.createDirectories(subsys.resolve("nvme3n1"));
        Files.createSymbolicLink(subsys.resolve("nvme3"), subsys.relativize(function("0000:03:00.0").resolve("nvme/nvme3")));
        Files.createDirectories(function("0000:03:00.0").resolve("nvme/nvme3/nvme3c3n1"));
        onMultipath = mount("multipath", "259:9", subsys.resolve("nvme3n1"), "/dev/nvme3n1");
        Files.createDirectories(root.resolve("proc/self"));
        Files.write(root.resolve("proc/self/mountinfo"), mounts);
    }

    /// The sysfs directory of a function.
    Path function(String bdf) throws IOException {
        try (var s = Files.walk(root.resolve("sys/devices"))) {
            return s.filter(p -> p.getFileName().toString().equals(bdf) && Files.isDirectory(p)).findFirst().orElseThrow();
        }
    }

    /// Creates `CTRL/NS` under a function's `nvme/` directory and `sys/class/block/NS`, returns the disk directory.
    Path namespace(String bdf, String ctrl, String ns) throws IOException {
        Path disk = function(bdf).resolve("nvme").resolve(ctrl).resolve(ns);
        Files.createDirectories(disk);
        block(ns, disk);
        Path cls = root.resolve("sys/class/nvme");
        Files.createDirectories(cls);
        Path c = function(bdf).resolve("nvme").resolve(ctrl);
        if (!Files.exists(c.resolve("device"))) Files.createSymbolicLink(c.resolve("device"), Path.of("../.."));
        if (!Files.exists(cls.resolve(ctrl))) Files.createSymbolicLink(cls.resolve(ctrl), cls.relativize(c));
        return disk;
    }

    /// `sys/class/block/NAME` pointing at `disk`.
    void block(String name, Path disk) throws IOException {
        Path cls = root.resolve("sys/class/block");
        Files.createDirectories(cls);
        if (!Files.exists(cls.resolve(name))) Files.createSymbolicLink(cls.resolve(name), cls.relativize(disk));
    }

    private Path mount(String name, String majMin, Path disk, String source) throws IOException {
        Path d = dir.resolve(name);
        Files.createDirectories(d);
        Path devBlock = root.resolve("sys/dev/block");
        Files.createDirectories(devBlock);
        Files.createSymbolicLink(devBlock.resolve(majMin), devBlock.relativize(disk));
        block(disk.getFileName().toString(), disk);
        mounts.add((30 + mounts.size()) + " 21 " + majMin + " / " + d + " rw,relatime - ext4 " + source + " rw");
        return d;
    }

    /// A file of `bytes` random bytes.
    static Path file(Path p, int bytes) throws IOException {
        byte[] b = new byte[bytes];
        new java.util.Random(bytes).nextBytes(b);
        Files.write(p, b);
        return p;
    }
}
