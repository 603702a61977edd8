package dev.p2pscope.core.testing;

import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.Cpu;
import dev.p2pscope.core.model.CpuVendor;
import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.PciId;
import dev.p2pscope.core.model.Topology;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/// Seeded random PCI trees for property and differential tests: several root buses (allowlisted or not), root
/// ports, nested switches, multi-function endpoints, RCiEPs and VFs, with ACS sprinkled at random.
public final class RandomTopologies {

    private static final int[] HOST_IDS = {0x2020, 0x3e30, 0x09a2, 0x3c00, 0x1234};

    private final RandomGenerator rnd;
    private final List<PciFunction> out = new ArrayList<>();
    private int nextBus;
    private final double acsDensity;

    private RandomTopologies(RandomGenerator rnd, double acsDensity) {
        this.rnd = rnd;
        this.acsDensity = acsDensity;
    }

    public static Topology generate(RandomGenerator rnd, double acsDensity) {
        return new RandomTopologies(rnd, acsDensity).build();
    }

    private Topology build() {
        int roots = 1 + rnd.nextInt(3);
        nextBus = 0;
        for (int r = 0; r < roots; r++) {
            int bus = nextBus;
            nextBus += 1;
            int dev = 0;
            if (rnd.nextInt(4) != 0) {
                out.add(fn(new PciAddress(0, bus, dev++, 0), 0x8086, HOST_IDS[rnd.nextInt(HOST_IDS.length)],
                        DeviceKind.HOST_BRIDGE, null));
            }
            int ports = 1 + rnd.nextInt(3);
            for (int p = 0; p < ports; p++) {
                PciAddress rp = new PciAddress(0, bus, dev++, 0);
                out.add(fn(rp, 0x8086, rnd.nextBoolean() ? 0x2030 : 0x1901, DeviceKind.ROOT_PORT, null));
                below(rp, 0);
            }
            if (rnd.nextInt(3) == 0) {
                out.add(fn(new PciAddress(0, bus, dev++, 0), 0x8086, 0x0b25, DeviceKind.RCIEP, null));
            }
        }
        CpuVendor v = List.of(CpuVendor.INTEL, CpuVendor.AMD, CpuVendor.HYGON).get(rnd.nextInt(3));
        return Topology.builder().cpu(new Cpu(v, 0x15 + rnd.nextInt(6))).addAll(out).build();
    }

    /// What hangs below `bridge`'s secondary bus: a switch (up to depth 2), or endpoints.
    private void below(PciAddress bridge, int depth) {
        int bus = nextBus++;
        if (depth < 2 && rnd.nextInt(3) == 0) {
            PciAddress usp = new PciAddress(0, bus, 0, 0);
            out.add(fn(usp, 0x10b5, 0x8796, DeviceKind.SWITCH_UP, bridge));
            int dsb = nextBus++;
            int n = 1 + rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                PciAddress dsp = new PciAddress(0, dsb, i, 0);
                out.add(fn(dsp, 0x10b5, 0x8796, DeviceKind.SWITCH_DOWN, usp));
                below(dsp, depth + 1);
            }
            return;
        }
        int functions = 1 + rnd.nextInt(2);
        for (int f = 0; f < functions; f++) {
            PciAddress ep = new PciAddress(0, bus, 0, f);
            out.add(fn(ep, 0x144d, 0xa808, DeviceKind.ENDPOINT, bridge));
            if (f == 0 && rnd.nextInt(4) == 0) {
                for (int vf = 0; vf < 2; vf++) {
                    out.add(PciFunction.builder(new PciAddress(0, bus, 2, vf), new PciId(0x144d, 0xa809), DeviceKind.VF)
                            .parent(bridge).physfn(ep).acs(acs()).build());
                }
            }
        }
    }

    private PciFunction fn(PciAddress a, int vendor, int device, DeviceKind kind, PciAddress parent) {
        return PciFunction.builder(a, new PciId(vendor, device), kind).parent(parent).acs(acs()).build();
    }

    private Acs acs() {
        if (rnd.nextDouble() >= acsDensity) return Acs.ABSENT;
        int[] values = {0x0000, 0x0001, 0x0011, 0x000d, 0x001d, 0x0020, 0x0004, 0x0008};
        return Acs.control(values[rnd.nextInt(values.length)]);
    }
}
