package dev.p2pscope.core.engine;

import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/// Map type and distance for every ordered (provider, client) pair of a set of functions.
/// Row = provider, column = client. Computed by [AllPairs] and stored in its 2 bytes per pair.
public final class VerdictMatrix {

    private final List<PciAddress> devices;
    private final Map<PciAddress, Integer> index = new HashMap<>();
    private final short[] cells;

    private VerdictMatrix(List<PciAddress> devices, short[] cells) {
        this.devices = List.copyOf(devices);
        for (int i = 0; i < devices.size(); i++) index.put(devices.get(i), i);
        this.cells = cells;
    }

    /// Decides every ordered pair of `devices` (the all-pairs engine; same answers as the per-pair one).
    public static VerdictMatrix compute(Topology topology, List<PciAddress> devices) {
        return new VerdictMatrix(devices, new AllPairs(topology).matrix(devices).cells());
    }

    /// The functions the CLI's matrix shows by default: every function that is not a bridge and not a host
    /// bridge.
    public static List<PciAddress> defaultDevices(Topology topology) {
        List<PciAddress> out = new ArrayList<>();
        for (PciFunction f : topology.functions()) {
            if (!f.kind().isBridge() && f.kind() != DeviceKind.HOST_BRIDGE) {
                out.add(f.address());
            }
        }
        return out;
    }

    public List<PciAddress> devices() {
        return devices;
    }

    public int size() {
        return devices.size();
    }

    public MapType mapType(int provider, int client) {
        return AllPairs.type(cells[provider * devices.size() + client]);
    }

    /// What `pci_p2pdma_distance()` returns for the pair (-1 when not supported).
    public int distance(int provider, int client) {
        return AllPairs.distance(cells[provider * devices.size() + client]);
    }

    public int indexOf(PciAddress address) {
        Integer i = index.get(address);
        return i == null ? -1 : i;
    }

    /// Pairs whose map type or distance differ between `before` and `after`, over the devices both contain.
    public static List<PairChange> diff(VerdictMatrix before, VerdictMatrix after) {
        List<PairChange> out = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) {
            int ai = after.indexOf(before.devices.get(i));
            if (ai < 0) continue;
            for (int j = 0; j < before.size(); j++) {
                int aj = after.indexOf(before.devices.get(j));
                if (aj < 0) continue;
                MapType t0 = before.mapType(i, j);
                MapType t1 = after.mapType(ai, aj);
                int d0 = before.distance(i, j);
                int d1 = after.distance(ai, aj);
                if (t0 != t1 || d0 != d1) {
                    out.add(new PairChange(before.devices.get(i), before.devices.get(j), t0, d0, t1, d1));
                }
            }
        }
        return out;
    }

    /// One pair whose verdict changed.
    public record PairChange(PciAddress provider, PciAddress client, MapType fromType, int fromDistance,
                             MapType toType, int toDistance) {
        @Override
        public String toString() {
            return provider + " -> " + client + ": " + fromType + " (" + fromDistance + ") -> " + toType + " ("
                    + toDistance + ")";
        }
    }
}
