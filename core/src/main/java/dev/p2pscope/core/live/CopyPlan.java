package dev.p2pscope.core.live;

import dev.p2pscope.core.engine.MapType;
import dev.p2pscope.core.engine.ProviderChoice;
import dev.p2pscope.core.live.DeviceMap.Backing;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.topology.TopologyLoadException;
import dev.p2pscope.core.topology.sysfs.SysfsLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/// One live copy, planned before anything is opened for writing: what backs the source and destination, the
/// buffer and the provider behind it, the kernel's verdicts (always against this host's sysfs under `root`, never a
/// loaded or edited topology), and every reason to refuse. `p2pscope copy` and the window's Live tab only map their
/// inputs into [#of] and print what it says, so the two always run the same plan.
///
/// @param options     the copy
/// @param buffer      the buffer as chosen
/// @param root        the filesystem root for sysfs and /proc (`/`; tests use a fake tree)
/// @param force       run even when the preflight refuses (never past [#refusals])
/// @param source      what backs the source, or null when it is not read
/// @param destination what backs the destination, or null when it is not written
/// @param provider    the p2pmem provider the buffer stands for, or null (host/emulated, or not found)
/// @param bufferPath  the file to map for a p2pmem buffer, or null
/// @param preflight   the kernel's verdicts and the P2PDMA reasons to refuse (overridden by `force`)
/// @param refusals    reasons no `force` overrides: safety rails, sizes, no provider, an unreadable PCI tree
public record CopyPlan(CopyOptions options, BufferChoice buffer, Path root, boolean force, Backing source,
                       Backing destination, PciAddress provider, Path bufferPath, Preflight.Result preflight,
                       List<String> refusals) {

    public CopyPlan {
        refusals = List.copyOf(refusals);
    }

    /// Plans `options` with `buffer`: reads this host's sysfs and /proc under `root`, opens nothing for writing.
    public static CopyPlan of(CopyOptions options, BufferChoice buffer, Path root, boolean force) {
        List<String> refusals = new ArrayList<>();
        CopyEngine engine = new CopyEngine(options, new Safety(root));
        try {
            refusals.addAll(engine.refusals());
        } catch (IOException e) {
            refusals.add("cannot check the devices: " + e.getMessage());
        }
        if (refusals.isEmpty()) {
            try {
                engine.extent();
            } catch (CopyEngine.CopyException e) {
                refusals.add(e.getMessage());
            }
        }
        Backing src = options.skipRead() ? null : DeviceMap.backingOf(options.source(), root);
        Backing dst = options.skipWrite() ? null : DeviceMap.backingOf(options.destination(), root);
        if (!buffer.peerToPeer()) {
            return new CopyPlan(options, buffer, root, force, src, dst, null, null,
                    Preflight.check(null, null, (Backing) null, null), refusals);
        }
        Topology live;
        try {
            live = SysfsLoader.load(root).topology();
        } catch (TopologyLoadException e) {
            refusals.add("cannot read this host's PCI tree for the preflight: " + e.getMessage());
            return new CopyPlan(options, buffer, root, force, src, dst, null, null,
                    new Preflight.Result(List.of(), List.of(), List.of()), refusals);
        }
        List<String> notes = new ArrayList<>();
        List<String> bufferRefusals = new ArrayList<>();
        PciAddress provider;
        Path path;
        switch (buffer) {
            case BufferChoice.Auto a -> {
                PciAddress s = src instanceof DeviceMap.Function f ? f.function() : null;
                PciAddress d = dst instanceof DeviceMap.Function f ? f.function() : null;
                ProviderChoice c = Preflight.autoProvider(live, s, d);
                provider = c.chosen();
                if (provider == null) {
                    refusals.add(Preflight.autoRefusal(live, s, d, c));
                    path = null;
                } else {
                    notes.add("auto: the kernel would pick " + provider + " (pci_p2pmem_find_many)");
                    path = DeviceMap.allocateFile(root, provider);
                }
            }
            case BufferChoice.Provider p -> {
                provider = p.address();
                path = DeviceMap.allocateFile(root, provider);
            }
            case BufferChoice.AllocateFile f -> {
                provider = BufferChoice.providerInPath(f.path());
                path = f.path();
            }
            case BufferChoice.P2pmemDevice d -> {
                provider = classDevice(root, "p2pmem", d.path());
                path = d.path();
                notes.add(d.path() + " comes from the out-of-tree p2pmem-pci driver (kernels before 6.2 with that "
                        + "driver loaded); mainline 6.2 and later offer /sys/bus/pci/devices/BDF/p2pmem/allocate");
            }
            case BufferChoice.NvmeCharDevice n -> {
                provider = classDevice(root, "nvme", n.path());
                path = n.path();
                bufferRefusals.add("mmap of " + n.path() + " came only with the userspace P2PDMA patch series up to "
                        + "its v8 (2022), which v9 replaced with the sysfs allocate file; it was never merged, so no "
                        + "mainline kernel maps p2pmem through the NVMe character device (mmap fails with ENODEV "
                        + "although the pool exists); use --p2pmem " + (provider == null
                        ? "/sys/bus/pci/devices/BDF/p2pmem/allocate" : DeviceMap.allocateFile(Path.of("/"), provider))
                        + " (kernel 6.2 and later)");
            }
            case BufferChoice.Host h -> throw new IllegalStateException("not peer-to-peer");
            case BufferChoice.Emulated e -> throw new IllegalStateException("not peer-to-peer");
        }
        if (provider == null && buffer instanceof BufferChoice.NvmeCharDevice) {
            refusals.addAll(bufferRefusals);
        } else if (provider == null && !(buffer instanceof BufferChoice.Auto)) {
            refusals.add("cannot tell which PCI function provides " + path + " (no BDF in its path and no "
                    + "sysfs class entry for it)");
        }
        Preflight.Result r = provider == null ? new Preflight.Result(List.of(), List.of(), List.of())
                : Preflight.check(live, provider, src, dst);
        if (provider != null && (buffer instanceof BufferChoice.Provider || buffer instanceof BufferChoice.Auto
                || buffer instanceof BufferChoice.AllocateFile)) {
            PciFunction pf = live.function(provider).orElse(null);
            if (pf != null && pf.p2pmem() != null && !pf.p2pmem().allocate()) {
                bufferRefusals.add("provider " + provider + " has a p2pmem pool but no p2pmem/allocate file: "
                        + "userspace mapping needs kernel 6.2 or later");
            }
        }
        notes.addAll(r.notes());
        List<String> pre = new ArrayList<>(bufferRefusals);
        pre.addAll(r.refusals());
        return new CopyPlan(options, buffer, root, force, src, dst, provider, path,
                new Preflight.Result(r.verdicts(), pre, notes), refusals);
    }

    /// This host's p2pmem providers (functions with a p2pmem pool in sysfs under `root`), for a buffer picker; empty
    /// when the tree cannot be read.
    public static List<PciAddress> hostProviders(Path root) {
        try {
            return SysfsLoader.load(root).topology().functions().stream().filter(f -> f.p2pmem() != null)
                    .map(PciFunction::address).toList();
        } catch (TopologyLoadException | RuntimeException e) {
            return List.of();
        }
    }

    /// The PCI function behind `/sys/class/CLASS/NAME/device` for a device node `/dev/NAME`.
    private static PciAddress classDevice(Path root, String cls, Path node) {
        Path dev = root.resolve("sys/class").resolve(cls).resolve(node.getFileName().toString()).resolve("device");
        try {
            if (Files.exists(dev)) return BufferChoice.providerInPath(dev.toRealPath());
        } catch (IOException e) {
            // unknown provider
        }
        return null;
    }

    /// Whether the copy may start: nothing in [#refusals], and the preflight passed or `force` overrides it.
    public boolean mayRun() {
        return refusals.isEmpty() && (preflight.ok() || force);
    }

    /// Whether the preflight refused and `force` was given, so the copy runs anyway.
    public boolean forced() {
        return refusals.isEmpty() && !preflight.ok() && force;
    }

    /// Why it may not run, in one line (empty when it may).
    public String refusal() {
        if (!refusals.isEmpty()) return String.join("; ", refusals);
        if (!preflight.ok() && !force) {
            // Only a NOT_SUPPORTED verdict is the kernel refusing; a provider that is gone or has no pool is not a
            // verdict at all, and each refusal says its own reason.
            boolean kernel = preflight.verdicts().stream().anyMatch(v -> v.mapType() == MapType.NOT_SUPPORTED);
            return "preflight refused: " + String.join("; ", preflight.refusals())
                    + (kernel ? " (the kernel would refuse the transfer; --force runs it anyway)"
                    : " (--force tries it anyway)");
        }
        return "";
    }

    /// The preflight's lines as `copy` prints them and the Live tab shows them.
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        preflight.notes().forEach(n -> out.add("preflight: " + n));
        if (forced()) preflight.refusals().forEach(r -> out.add("preflight (forced): " + r));
        return out;
    }

    /// The engine that runs this plan.
    public CopyEngine engine() {
        return new CopyEngine(options, new Safety(root));
    }

    /// Maps the buffer: host memory, emulated p2pmem, or the provider's p2pmem.
    public DmaBuffer openBuffer() throws IOException {
        return switch (buffer) {
            case BufferChoice.Host h -> DmaBuffer.host(options.bufferSize());
            case BufferChoice.Emulated e -> DmaBuffer.emulated(null, options.bufferSize());
            default -> DmaBuffer.p2pmem(bufferPath, options.bufferSize(), provider == null ? null
                    : root.resolve("sys/bus/pci/devices").resolve(provider.toString()).resolve("p2pmem"));
        };
    }
}
