package dev.p2pscope.core.live;

import dev.p2pscope.core.model.PciAddress;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/// Where a copy's buffer comes from. Which kernels offer which p2pmem source:
/// - [AllocateFile] / [Provider]: `/sys/bus/pci/devices/BDF/p2pmem/allocate`, mainline since 6.2 (the one to use);
/// - [P2pmemDevice]: `/dev/p2pmemN` from the out-of-tree `p2pmem-pci` driver (older kernels; never mainline);
/// - [NvmeCharDevice]: mmap of `/dev/nvmeN`, from the userspace P2PDMA series up to its v8 (2022), which was
///   replaced by the allocate file in v9 and never merged: no mainline kernel supports it.
public sealed interface BufferChoice {

    /// Host memory: the control run (`p2pmem-test` without a p2pmem argument).
    record Host() implements BufferChoice { }

    /// Host memory standing in for p2pmem, and saying so.
    record Emulated() implements BufferChoice { }

    /// The provider `pci_p2pmem_find_many()` would choose for the source and destination.
    record Auto() implements BufferChoice { }

    /// A provider by BDF: its allocate file under the root.
    record Provider(PciAddress address) implements BufferChoice { }

    /// A p2pmem allocate file named by path (its path names the provider).
    record AllocateFile(Path path) implements BufferChoice { }

    /// `/dev/p2pmemN` (out-of-tree p2pmem-pci driver).
    record P2pmemDevice(Path path) implements BufferChoice { }

    /// `/dev/nvmeN` (never merged in mainline).
    record NvmeCharDevice(Path path) implements BufferChoice { }

    Pattern NVME_CHAR = Pattern.compile("nvme\\d+");
    Pattern P2PMEM_DEV = Pattern.compile("p2pmem\\d+");
    Pattern BDF = Pattern.compile("([0-9a-fA-F]{4,8}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]");

    /// `none`/`host`, `emulate`, `auto`, a BDF, or a path (`/dev/nvmeN`, `/dev/p2pmemN`, an allocate file).
    static BufferChoice parse(String s) {
        String t = s.trim();
        switch (t) {
            case "none", "host" -> { return new Host(); }
            case "emulate" -> { return new Emulated(); }
            case "auto" -> { return new Auto(); }
            default -> { }
        }
        if (BDF.matcher(t).matches()) return new Provider(PciAddress.parseLenient(t.toLowerCase(java.util.Locale.ROOT)));
        Path p = Path.of(t);
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        if (NVME_CHAR.matcher(name).matches()) return new NvmeCharDevice(p);
        if (P2PMEM_DEV.matcher(name).matches()) return new P2pmemDevice(p);
        return new AllocateFile(p);
    }

    /// Whether the buffer is p2pmem (so the kernel's P2PDMA rules apply).
    default boolean peerToPeer() {
        return !(this instanceof Host || this instanceof Emulated);
    }

    /// The provider an allocate file's path names (the last `DDDD:BB:DD.F` in it), or null.
    static PciAddress providerInPath(Path p) {
        Matcher m = Pattern.compile("[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]").matcher(p.toString());
        PciAddress found = null;
        while (m.find()) found = PciAddress.parse(m.group());
        return found;
    }
}
