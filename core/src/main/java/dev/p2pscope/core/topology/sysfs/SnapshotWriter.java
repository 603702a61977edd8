package dev.p2pscope.core.topology.sysfs;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/// Captures a host's PCI sysfs into a `.tar.gz`, like `hwloc-gather-topology`: only what [SysfsLoader] reads
/// (function attributes, full config space when readable, `p2pmem/`, NVMe CMB attributes, driver, IOMMU group and
/// physfn links, the `bus/pci/devices` links) and the host facts beside it (`proc/cpuinfo`, `proc/cmdline`,
/// the kernel release, `sys/class/iommu`). Loading the capture gives the same topology as loading the host.
public final class SnapshotWriter {

    private static final Pattern BDF = Pattern.compile("[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");
    private static final Pattern HOST_DIR = Pattern.compile("pci[0-9a-f]{4,8}:[0-9a-f]{2}");
    private static final Pattern NVME_CTRL = Pattern.compile("nvme\\d+");
    private static final Pattern NVME_NS = Pattern.compile("nvme\\d+(c\\d+)?n\\d+");
    private static final List<String> FILES = List.of("vendor", "device", "class", "config", "numa_node",
            "current_link_speed", "current_link_width", "max_link_speed", "max_link_width", "secondary_bus_number",
            "subordinate_bus_number", "revision", "subsystem_vendor", "subsystem_device", "modalias",
            SysfsExporter.FACTS);
    private static final List<String> LINKS = List.of("driver", "iommu_group", "physfn");
    private static final List<String> P2PMEM = List.of("size", "available", "published");

    private final FileTree tree;
    private final TarArchiveOutputStream tar;
    private final Set<String> dirs = new HashSet<>();
    private int files;

    private SnapshotWriter(FileTree tree, TarArchiveOutputStream tar) {
        this.tree = tree;
        this.tar = tar;
    }

    /// Captures the tree rooted at `root` (`/` for this host) into `out`.
    ///
    /// @return how many files were captured
    public static int capture(Path root, Path out) throws IOException {
        FileTree tree = new DiskTree(root);
        if (!tree.isDirectory("sys/bus/pci/devices")) throw new IOException(root + ": no sys/bus/pci/devices");
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(out));
             GzipCompressorOutputStream gz = new GzipCompressorOutputStream(o);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            SnapshotWriter w = new SnapshotWriter(tree, tar);
            w.run();
            tar.finish();
            return w.files;
        }
    }

    private void run() throws IOException {
        for (String name : tree.list("sys/bus/pci/devices")) {
            String entry = "sys/bus/pci/devices/" + name;
            if (tree.type(entry) == FileTree.Type.LINK) {
                link(entry, tree.readLink(entry).orElse(""));
            } else if (tree.type(entry) == FileTree.Type.DIRECTORY) {
                function(entry);
            }
        }
        for (String host : tree.list("sys/devices")) {
            if (HOST_DIR.matcher(host).matches()) walk("sys/devices/" + host, 0);
        }
        for (String unit : tree.list("sys/class/iommu")) {
            link("sys/class/iommu/" + unit, tree.readLink("sys/class/iommu/" + unit).orElse("../../devices/" + unit));
        }
        if (tree.isDirectory("sys/class/iommu")) dir("sys/class/iommu");
        for (String f : List.of("proc/cpuinfo", "proc/cmdline", "proc/version", "proc/sys/kernel/osrelease",
                SysfsExporter.FACTS)) {
            file(f, 256 * 1024);
        }
    }

    private void walk(String dir, int depth) throws IOException {
        if (depth > 32) return;
        for (String name : tree.list(dir)) {
            String child = dir + "/" + name;
            if (BDF.matcher(name).matches() && tree.type(child) == FileTree.Type.DIRECTORY) {
                function(child);
                walk(child, depth + 1);
            }
        }
    }

    private void function(String d) throws IOException {
        dir(d);
        for (String f : FILES) file(d + "/" + f, SysfsLoader.CONFIG_MAX);
        for (String l : LINKS) {
            if (tree.type(d + "/" + l) == FileTree.Type.LINK) link(d + "/" + l, tree.readLink(d + "/" + l).orElse(""));
        }
        if (tree.isDirectory(d + "/p2pmem")) {
            dir(d + "/p2pmem");
            for (String f : P2PMEM) file(d + "/p2pmem/" + f, SysfsLoader.ATTR_MAX);
            if (tree.exists(d + "/p2pmem/allocate")) empty(d + "/p2pmem/allocate");
        }
        for (String b : tree.list(d + "/block")) dir(d + "/block/" + b);
        for (String ctrl : tree.list(d + "/nvme")) {
            if (!NVME_CTRL.matcher(ctrl).matches()) continue;
            String c = d + "/nvme/" + ctrl;
            dir(c);
            for (String f : List.of("cmb", "cmbloc", "cmbsz", "model", "serial")) file(c + "/" + f, SysfsLoader.ATTR_MAX);
            for (String n : tree.list(c)) {
                if (NVME_NS.matcher(n).matches()) dir(c + "/" + n);
            }
        }
    }

    private void dir(String path) throws IOException {
        if (path.isEmpty() || !dirs.add(path)) return;
        dir(FileTree.parent(path));
        TarArchiveEntry e = new TarArchiveEntry(path + "/", TarArchiveEntry.LF_DIR);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private void file(String path, int max) throws IOException {
        if (tree.type(path) == FileTree.Type.MISSING) return;
        byte[] content;
        try {
            content = tree.read(path, max);
        } catch (IOException e) {
            return;   // unreadable here (permissions, a link out of the tree): the loader will say so on load
        }
        dir(FileTree.parent(path));
        TarArchiveEntry e = new TarArchiveEntry(path);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
        files++;
    }

    private void empty(String path) throws IOException {
        dir(FileTree.parent(path));
        TarArchiveEntry e = new TarArchiveEntry(path);
        e.setSize(0);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        files++;
    }

    private void link(String path, String target) throws IOException {
        dir(FileTree.parent(path));
        TarArchiveEntry e = new TarArchiveEntry(path, TarArchiveEntry.LF_SYMLINK);
        e.setLinkName(target);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        files++;
    }
}
