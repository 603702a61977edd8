package dev.p2pscope.core.topology.sysfs;

import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.CpuVendor;
import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.KernelProfile;
import dev.p2pscope.core.model.Link;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.topology.config.ConfigSpace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/// Writes any topology as a sysfs-shaped tree that [SysfsLoader] reads back to the same topology: the
/// `devices/pciDDDD:BB/...` hierarchy with `bus/pci/devices` links, 4096-byte config spaces carrying the PCI
/// Express capability (port type, link) and the ACS extended capability, and the attribute files the loader
/// reads (p2pmem, NVMe CMB registers, link, NUMA, driver and IOMMU group links), plus `proc/cpuinfo`.
///
/// What sysfs has no place for — a function's name, which facts were inferred rather than read, an ACS state
/// that is unknown, bus numbers that were never known, the kernel profile — goes into a `p2pscope_facts` file
/// beside the function's attributes (and one at the top for the kernel), `key=value` lines that [SysfsLoader]
/// reads back, so export then load is the identity. Notes and the description are not written.
public final class SysfsExporter {

    private final Topology topology;
    private final Path out;
    private int nvmeIndex;

    private SysfsExporter(Topology topology, Path out) {
        this.topology = topology;
        this.out = out;
    }

    /// Writes `topology` under `out` (which must not exist or be empty): `out/sys/...` and `out/proc/...`.
    public static void export(Topology topology, Path out) throws IOException {
        if (Files.exists(out)) {
            try (var s = Files.list(out)) {
                if (s.findAny().isPresent()) throw new IOException(out + " exists and is not empty");
            }
        }
        new SysfsExporter(topology, out).write();
    }

    private void write() throws IOException {
        Path sys = out.resolve("sys");
        Path busDevices = sys.resolve("bus/pci/devices");
        Files.createDirectories(busDevices);
        for (PciFunction f : topology.functions()) {
            Path dir = sys.resolve("devices").resolve(hierarchy(f));
            Files.createDirectories(dir);
            writeFunction(f, dir);
            Files.createSymbolicLink(busDevices.resolve(f.address().toString()), busDevices.relativize(dir));
        }
        writeProc();
        text(out.resolve(FACTS), "kernel=" + topology.kernel().id());
    }

    /// The file of facts sysfs has no place for, in a function's directory and at the top of the tree.
    public static final String FACTS = "p2pscope_facts";

    private static void facts(PciFunction f, Path dir) throws IOException {
        StringBuilder b = new StringBuilder("kind=" + f.kind().jsonName() + "\n");
        if (f.name() != null) b.append("name=").append(f.name().replace('\n', ' ').replace('\r', ' ')).append('\n');
        if (!f.inferred().isEmpty()) b.append("inferred=").append(String.join(",", f.inferred())).append('\n');
        if (f.acs() instanceof Acs.Unknown) b.append("acs=unknown\n");
        if (f.acs() instanceof Acs.Present p && p.capability() == null && f.acsCap() == null) {
            b.append("acs_capability=unknown\n");   // the config space below holds a stand-in
        }
        if (f.kind().isBridge() && (f.secondaryBus() == null || f.subordinateBus() == null)) {
            b.append("bus_numbers=unknown\n");
        }
        Files.writeString(dir.resolve(FACTS), b.toString(), StandardCharsets.UTF_8);
    }

    /// `pciDDDD:BB/<root fn>/.../<fn>`; a VF sits beside its PF (in the PF's parent directory).
    String hierarchy(PciFunction f) {
        List<String> parts = new ArrayList<>();
        parts.add(f.address().toString());
        PciFunction d = f;
        while (d.parent() != null) {
            d = topology.require(d.parent());
            parts.addFirst(d.address().toString());
        }
        parts.addFirst("pci" + d.address().busAddress());
        return String.join("/", parts);
    }

    private void writeFunction(PciFunction f, Path dir) throws IOException {
        int cls = classOf(f);
        text(dir.resolve("vendor"), String.format(Locale.ROOT, "0x%04x", f.id().vendor()));
        text(dir.resolve("device"), String.format(Locale.ROOT, "0x%04x", f.id().device()));
        text(dir.resolve("class"), String.format(Locale.ROOT, "0x%06x", cls));
        Files.write(dir.resolve("config"), config(f, cls));
        facts(f, dir);
        if (f.numaNode() != null) text(dir.resolve("numa_node"), f.numaNode().toString());
        Link l = f.link();
        if (l != null) {
            if (l.speed() != null) text(dir.resolve("current_link_speed"), l.speed());
            if (l.width() != null) text(dir.resolve("current_link_width"), l.width().toString());
            if (l.maxSpeed() != null) text(dir.resolve("max_link_speed"), l.maxSpeed());
            if (l.maxWidth() != null) text(dir.resolve("max_link_width"), l.maxWidth().toString());
        }
        int depth = hierarchy(f).split("/").length + 1;   // from dir up to sys/
        String up = "../".repeat(depth);
        if (f.driver() != null) {
            Files.createSymbolicLink(dir.resolve("driver"), Path.of(up + "bus/pci/drivers/" + f.driver()));
        }
        if (f.iommuGroup() != null) {
            Files.createSymbolicLink(dir.resolve("iommu_group"), Path.of(up + "kernel/iommu_groups/"
                    + f.iommuGroup()));
        }
        if (f.kind() == DeviceKind.VF && f.physfn() != null) {
            Files.createSymbolicLink(dir.resolve("physfn"), Path.of("../" + f.physfn()));
        }
        if (f.p2pmem() != null) {
            Path p = dir.resolve("p2pmem");
            Files.createDirectories(p);
            text(p.resolve("size"), Long.toString(f.p2pmem().size()));
            text(p.resolve("available"), Long.toString(f.p2pmem().available()));
            text(p.resolve("published"), f.p2pmem().published() ? "1" : "0");
            if (f.p2pmem().allocate()) Files.write(p.resolve("allocate"), new byte[0]);
        }
        boolean nvme = f.cmb() != null || "nvme".equals(f.driver());
        if (nvme) {
            Path c = dir.resolve("nvme/nvme" + nvmeIndex++);
            Files.createDirectories(c);
            if (f.cmb() != null && !f.cmb().absent()) {
                text(c.resolve("cmbloc"), Integer.toUnsignedString(f.cmb().cmbloc()));
                text(c.resolve("cmbsz"), Integer.toUnsignedString(f.cmb().cmbsz()));
                text(c.resolve("cmb"), "cmbloc : " + f.cmb().cmblocHex() + "\ncmbsz  : " + f.cmb().cmbszHex());
            }
            for (String b : f.block()) Files.createDirectories(c.resolve(b));
        } else {
            for (String b : f.block()) Files.createDirectories(dir.resolve("block").resolve(b));
        }
    }

    private static int classOf(PciFunction f) {
        if (f.classCode() != null) return f.classCode();
        if (f.kind() == DeviceKind.HOST_BRIDGE) return 0x060000;
        return f.kind().isBridge() ? 0x060400 : 0xff0000;
    }

    /// A 4096-byte config space: header, PCI Express capability at 0x40 (none for a host bridge), ACS at 0x100.
    byte[] config(PciFunction f, int cls) {
        byte[] c = new byte[f.acs() instanceof Acs.Unknown ? 256 : 4096];
        put16(c, 0x00, f.id().vendor());
        put16(c, 0x02, f.id().device());
        c[0x09] = (byte) cls;
        c[0x0a] = (byte) (cls >> 8);
        c[0x0b] = (byte) (cls >> 16);
        boolean bridge = f.kind().isBridge();
        c[0x0e] = (byte) (bridge ? 1 : 0);
        if (bridge) {
            int[] range = busRange(f);
            c[0x18] = (byte) f.address().bus();
            c[0x19] = (byte) range[0];
            c[0x1a] = (byte) range[1];
        }
        Integer type = portType(f.kind());
        if (type != null) {
            put16(c, 0x06, 0x0010);   // Status: Capabilities List
            c[0x34] = 0x40;
            c[0x40] = 0x10;           // PCI Express capability, no next
            put16(c, 0x42, 0x2 | (type << 4));
            Link l = f.link();
            if (l != null) {
                int maxSpeed = speedCode(l.maxSpeed() != null ? l.maxSpeed() : l.speed());
                int maxWidth = l.maxWidth() != null ? l.maxWidth() : l.width() != null ? l.width() : 0;
                put32(c, 0x40 + 0x0c, maxSpeed | (maxWidth << 4));
                int speed = speedCode(l.speed() != null ? l.speed() : l.maxSpeed());
                int width = l.width() != null ? l.width() : maxWidth;
                put16(c, 0x40 + 0x12, speed | (width << 4));
            }
        }
        if (f.acs() instanceof Acs.Present p) {
            put32(c, 0x100, 0x000d | (1 << 16));
            Integer cap = p.capability() != null ? p.capability() : f.acsCap();
            put16(c, 0x104, cap == null ? 0x005f : cap);
            put16(c, 0x106, p.control());
        }
        return c;
    }

    private int[] busRange(PciFunction bridge) {
        if (bridge.secondaryBus() != null && bridge.subordinateBus() != null) {
            return new int[] {bridge.secondaryBus(), bridge.subordinateBus()};
        }
        List<PciFunction> kids = topology.children(bridge.address());
        if (kids.isEmpty()) return new int[] {0, 0};
        int sec = kids.stream().mapToInt(k -> k.address().bus()).min().orElseThrow();
        return new int[] {sec, maxBus(bridge)};
    }

    private int maxBus(PciFunction bridge) {
        int max = 0;
        for (PciFunction k : topology.children(bridge.address())) {
            max = Math.max(max, k.address().bus());
            if (k.kind().isBridge()) max = Math.max(max, maxBus(k));
        }
        return max;
    }

    static Integer portType(DeviceKind k) {
        return switch (k) {
            case HOST_BRIDGE -> null;
            case ROOT_PORT -> ConfigSpace.TYPE_ROOT_PORT;
            case SWITCH_UP -> ConfigSpace.TYPE_UPSTREAM;
            case SWITCH_DOWN -> ConfigSpace.TYPE_DOWNSTREAM;
            case PCIE_TO_PCI_BRIDGE -> ConfigSpace.TYPE_PCIE_TO_PCI;
            case PCI_BRIDGE -> ConfigSpace.TYPE_PCI_TO_PCIE;
            case RCIEP -> ConfigSpace.TYPE_RCIEP;
            case ENDPOINT, VF -> ConfigSpace.TYPE_ENDPOINT;
        };
    }

    static int speedCode(String speed) {
        for (int i = 1; i <= 6; i++) {
            if (ConfigSpace.speed(i).equals(speed)) return i;
        }
        return 0;
    }

    private void writeProc() throws IOException {
        Path proc = out.resolve("proc");
        Files.createDirectories(proc.resolve("sys/kernel"));
        CpuVendor v = topology.cpu().vendor();
        if (v == CpuVendor.NON_X86) {
            text(proc.resolve("cpuinfo"), "processor\t: 0\nCPU implementer\t: 0x41\n");
        } else if (v != CpuVendor.UNKNOWN) {
            text(proc.resolve("cpuinfo"), "processor\t: 0\nvendor_id\t: " + v.id() + "\ncpu family\t: "
                    + topology.cpu().family() + "\n");
        }
        String release = topology.host().kernelRelease();
        if (release != null) text(proc.resolve("sys/kernel/osrelease"), release);
        if (topology.host().cmdline() != null) text(proc.resolve("cmdline"), topology.host().cmdline());
    }

    private static void text(Path p, String s) throws IOException {
        Files.writeString(p, s + "\n", StandardCharsets.UTF_8);
    }

    static void put16(byte[] c, int off, int v) {
        c[off] = (byte) v;
        c[off + 1] = (byte) (v >> 8);
    }

    static void put32(byte[] c, int off, int v) {
        put16(c, off, v & 0xffff);
        put16(c, off + 2, v >>> 16);
    }

}
