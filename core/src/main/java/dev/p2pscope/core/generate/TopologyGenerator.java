package dev.p2pscope.core.generate;

import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.Cpu;
import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.Link;
import dev.p2pscope.core.model.P2pMem;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.PciId;
import dev.p2pscope.core.model.Topology;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/// Synthetic topologies for scale tests and demos: sockets with root buses, root ports, nested switches of a given
/// depth and fan-out, multi-function endpoints, VFs, ACS at a given density, a host-bridge ID and a CPU. The same
/// parameters and seed always give the same topology. Each root complex is its own PCI domain (as VMD and
/// multi-segment hosts have), so a large machine never runs out of its 256 bus numbers; NUMA node = root
/// complex modulo 2.
public final class TopologyGenerator {

    /// The most endpoint functions a spec may make: a mistyped shape ends in a message, not in minutes of work and an
    /// exhausted heap.
    public static final int MAX_FUNCTIONS = 100_000;

    /// What to generate.
    ///
    /// @param sockets            root complexes (each its own domain, root bus and host bridge)
    /// @param rootPortsPerSocket root ports on each root bus
    /// @param switchDepth        nested switch levels below each root port (0 = endpoints on the root port)
    /// @param fanout             downstream ports per switch
    /// @param functionsPerDevice functions of each endpoint device (1 to 8)
    /// @param vfsPerPf           VFs per physical function
    /// @param acsDensity         probability that a port or function has ACS redirect on (0..1)
    /// @param p2pmemDensity      probability that an endpoint publishes p2pmem
    /// @param hostBridge         vendor:device of each root bus's first device
    /// @param cpu                the CPU
    /// @param seed               the seed
    public record Spec(int sockets, int rootPortsPerSocket, int switchDepth, int fanout, int functionsPerDevice,
                       int vfsPerPf, double acsDensity, double p2pmemDensity, PciId hostBridge, Cpu cpu, long seed) {

        public Spec {
            // Each parameter checked on its own, so the message names the one that is wrong.
            range("root complexes", sockets, 1, Integer.MAX_VALUE);
            range("root ports per root complex", rootPortsPerSocket, 1, 248);   // devices 1-31, 8 functions each
            range("switch depth", switchDepth, 0, 16);
            range("fan-out (downstream ports per switch)", fanout, 1, 32);
            range("functions per endpoint device", functionsPerDevice, 1, 8);
            range("VFs per physical function", vfsPerPf, 0, 240);
            probability("ACS redirect density", acsDensity);
            probability("p2pmem density", p2pmemDensity);
            // Bounded before anything is made: the endpoints alone, as the shape multiplies out.
            double functions = (double) sockets * rootPortsPerSocket * Math.pow(fanout, switchDepth)
                    * functionsPerDevice * (1 + vfsPerPf);
            if (functions > MAX_FUNCTIONS) {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "this shape makes about %,.0f "
                        + "endpoint functions; at most %,d are generated", functions, MAX_FUNCTIONS));
            }
        }

        private static void range(String what, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(what + " must be " + (max == Integer.MAX_VALUE ? "at least " + min
                        : "from " + min + " to " + max) + ", got " + value);
            }
        }

        private static void probability(String what, double p) {
            if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException(what + " is a probability from 0 to 1, got " + p);
        }

        /// A spec aiming at about `endpoints` endpoint functions (two sockets, switches two deep).
        public static Spec forEndpoints(int endpoints, long seed) {
            if (endpoints < 1 || endpoints > MAX_FUNCTIONS) {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "endpoints must be from 1 to "
                        + "%,d, got %d", MAX_FUNCTIONS, endpoints));
            }
            int depth = 2;
            int fanout = 8;
            int perPort = fanout * fanout;   // endpoints under one root port with depth 2 (82 buses)
            int ports = Math.max(1, (endpoints + perPort - 1) / perPort);
            int portsPerComplex = Math.min(3, ports);
            int complexes = (ports + portsPerComplex - 1) / portsPerComplex;
            return new Spec(complexes, portsPerComplex, depth, fanout, 1, 0, 0.1, 0.05,
                    new PciId(0x8086, 0x09a2), Cpu.parse("GenuineIntel:6"), seed);
        }
    }

    private final Spec spec;
    private final SplittableRandom rnd;
    private final List<PciFunction> out = new ArrayList<>();
    private int domain;
    private int nextBus;

    private TopologyGenerator(Spec spec) {
        this.spec = spec;
        this.rnd = new SplittableRandom(spec.seed());
    }

    public static Topology generate(Spec spec) {
        return new TopologyGenerator(spec).run();
    }

    private Topology run() {
        for (int s = 0; s < spec.sockets(); s++) {
            domain = s;
            nextBus = 0;
            int rootBus = takeBus();
            int numa = s % 2;
            out.add(PciFunction.builder(new PciAddress(domain, rootBus, 0, 0), spec.hostBridge(), DeviceKind.HOST_BRIDGE)
                    .classCode(0x060000).numaNode(numa).name("Host bridge (root complex " + s + ")").build());
            for (int p = 0; p < spec.rootPortsPerSocket(); p++) {
                if (1 + p / 8 > 0x1f) throw new IllegalArgumentException("too many root ports per root complex");
                PciAddress rp = new PciAddress(domain, rootBus, 1 + p / 8, p % 8);
                out.add(port(rp, new PciId(0x8086, 0x347a), DeviceKind.ROOT_PORT, null, numa));
                below(rp, spec.switchDepth(), numa);
            }
        }
        String name = "generated: " + spec.sockets() + " root complex(es), " + spec.rootPortsPerSocket()
                + " root ports each, switch depth " + spec.switchDepth() + ", fan-out " + spec.fanout() + ", seed "
                + spec.seed();
        return Topology.builder().name(name).description("A synthetic topology made by `p2pscope generate`.")
                .cpu(spec.cpu()).addAll(withBusNumbers(out)).build();
    }

    /// Every bridge with children gets its secondary and subordinate bus as firmware numbers them depth first (the
    /// lowest bus right below it, the highest in its subtree). A generated topology is complete, so these are facts
    /// of it: an export writes them into config space, and a load of that export reads them back as lspci does.
    private static List<PciFunction> withBusNumbers(List<PciFunction> fs) {
        java.util.Map<PciAddress, int[]> range = new java.util.HashMap<>();
        // Parents are added before their children, so walking backwards sees every child's range first.
        for (int i = fs.size() - 1; i >= 0; i--) {
            PciFunction f = fs.get(i);
            if (f.parent() == null) continue;
            int[] r = range.computeIfAbsent(f.parent(), k -> new int[] {Integer.MAX_VALUE, -1});
            int[] own = range.get(f.address());
            r[0] = Math.min(r[0], f.address().bus());
            r[1] = Math.max(r[1], Math.max(f.address().bus(), own == null ? -1 : own[1]));
        }
        List<PciFunction> done = new ArrayList<>(fs.size());
        for (PciFunction f : fs) {
            int[] r = range.get(f.address());
            done.add(r == null || !f.kind().isBridge() ? f
                    : f.toBuilder().secondaryBus(r[0]).subordinateBus(r[1]).build());
        }
        return done;
    }

    private int takeBus() {
        if (nextBus > 0xff) {
            throw new IllegalArgumentException("more than 256 buses in one root complex: use more root complexes, "
                    + "a smaller fan-out or a shallower switch depth");
        }
        return nextBus++;
    }

    private PciFunction port(PciAddress a, PciId id, DeviceKind kind, PciAddress parent, int numa) {
        boolean redirect = rnd.nextDouble() < spec.acsDensity();
        return PciFunction.builder(a, id, kind).parent(parent).classCode(0x060400).numaNode(numa)
                .acs(Acs.control(redirect ? 0x001d : 0x0011)).acsCap(0x005f)
                .link(new Link("16.0 GT/s PCIe", 16, "16.0 GT/s PCIe", 16)).build();
    }

    /// What hangs below `bridge`: a switch `depth` levels deep, or an endpoint device.
    private void below(PciAddress bridge, int depth, int numa) {
        int bus = takeBus();
        int dom = domain;
        if (depth > 0) {
            if (spec.fanout() > 32) throw new IllegalArgumentException("fan-out above 32 ports");
            PciAddress usp = new PciAddress(dom, bus, 0, 0);
            out.add(port(usp, new PciId(0x10b5, 0xc010), DeviceKind.SWITCH_UP, bridge, numa));
            int dsBus = takeBus();
            for (int i = 0; i < spec.fanout(); i++) {
                PciAddress dsp = new PciAddress(dom, dsBus, i, 0);
                out.add(port(dsp, new PciId(0x10b5, 0xc010), DeviceKind.SWITCH_DOWN, usp, numa));
                below(dsp, depth - 1, numa);
            }
            return;
        }
        int[] classes = {0x010802, 0x030200, 0x020000, 0x120000};
        int cls = classes[rnd.nextInt(classes.length)];
        for (int f = 0; f < spec.functionsPerDevice(); f++) {
            PciAddress ep = new PciAddress(dom, bus, 0, f);
            PciFunction.Builder b = PciFunction.builder(ep, new PciId(0x1de5, 0x3000 + (cls >> 16)), DeviceKind.ENDPOINT)
                    .parent(bridge).classCode(cls).numaNode(numa)
                    .link(new Link("16.0 GT/s PCIe", 4, "16.0 GT/s PCIe", 4))
                    .acs(spec.functionsPerDevice() > 1 && rnd.nextDouble() < spec.acsDensity()
                            ? Acs.control(0x0020) : Acs.ABSENT);
            if (cls == 0x010802) b.driver("nvme");
            if (rnd.nextDouble() < spec.p2pmemDensity()) b.p2pmem(new P2pMem(256L << 20, 256L << 20, true));
            out.add(b.build());
            for (int v = 0; v < spec.vfsPerPf(); v++) {
                int devfn = 8 + f * spec.vfsPerPf() + v;   // VFs after the PFs, one bus
                if (devfn > 0xff) break;
                out.add(PciFunction.builder(new PciAddress(dom, bus, devfn >> 3, devfn & 7), new PciId(0x1de5, 0x3100),
                        DeviceKind.VF).parent(bridge).physfn(ep).classCode(cls).numaNode(numa).build());
            }
        }
    }
}
