package dev.p2pscope.core.engine;

import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/// Map type and distance for every ordered (provider, client) pair of a set of functions: row = provider,
/// column = client. The one all-pairs result: [AllPairs] fills it, [WhatIfMatrix] updates it, and everything
/// else reads it through [#mapType] and [#distance]. Immutable.
///
/// Its encoding is private to the engine: 2 bytes per pair, one array per row (bit 14: the pair needs the host
/// path, because the chains do not meet or ACS redirects; bits 13-0: the kernel's calc distance), and a small
/// table over root-bus pairs saying whether the host path is allowed there (CPU rule or allowlist). So a host-path
/// pair's type is read from the table, and an allowlist or CPU edit makes a new matrix that shares every row.
public final class VerdictMatrix {

    static final int HOST_PATH = 1 << 14;
    static final int DISTANCE = 0x3fff;

    private final List<PciAddress> devices;
    private final short[][] rows;
    /// Root-bus index of each device (shared between matrices of one topology's structure).
    private final int[] bus;
    private final int buses;
    /// `hostAllowed[a * buses + b]`: a transfer from root bus a to root bus b may cross the host bridge(s).
    private final boolean[] hostAllowed;
    private volatile Map<PciAddress, Integer> index;

    VerdictMatrix(List<PciAddress> devices, short[][] rows, int[] bus, int buses, boolean[] hostAllowed) {
        this.devices = List.copyOf(devices);
        this.rows = rows;
        this.bus = bus;
        this.buses = buses;
        this.hostAllowed = hostAllowed;
    }

    /// Decides every ordered pair of `devices` (the all-pairs engine; same answers as the per-pair one).
    public static VerdictMatrix compute(Topology topology, List<PciAddress> devices) {
        return new AllPairs(topology).matrix(devices);
    }

    /// The functions the matrix shows by default: every function that is not a bridge and not a host bridge.
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
        int c = rows[provider][client];
        if ((c & HOST_PATH) == 0) return MapType.BUS_ADDR;
        return hostAllowed[bus[provider] * buses + bus[client]] ? MapType.THRU_HOST_BRIDGE : MapType.NOT_SUPPORTED;
    }

    /// The hop count the kernel computes for the pair (`*dist`), whatever the map type.
    public int calcDistance(int provider, int client) {
        return rows[provider][client] & DISTANCE;
    }

    /// What `pci_p2pdma_distance()` returns for the pair (-1 when not supported).
    public int distance(int provider, int client) {
        return mapType(provider, client) == MapType.NOT_SUPPORTED ? -1 : calcDistance(provider, client);
    }

    /// The row of a device, or -1 when it is not in the matrix.
    public int indexOf(PciAddress address) {
        Map<PciAddress, Integer> m = index;
        if (m == null) {
            m = new HashMap<>();
            for (int i = 0; i < devices.size(); i++) m.put(devices.get(i), i);
            index = m;
        }
        Integer i = m.get(address);
        return i == null ? -1 : i;
    }

    // ---- package-private: the engine's view of the encoding ----------------------------------------------

    short[][] rows() {
        return rows;
    }

    int[] bus() {
        return bus;
    }

    int buses() {
        return buses;
    }

    boolean[] hostAllowed() {
        return hostAllowed;
    }

    /// The same cells under another host-path table (an allowlist, CPU or kernel edit): every row is shared.
    VerdictMatrix withHostAllowed(boolean[] table) {
        return new VerdictMatrix(devices, rows, bus, buses, table);
    }

    // ---- diff -------------------------------------------------------------------------------------------

    /// How many ordered pairs differ in map type or distance between `before` and `after` (same devices).
    public static long countChanges(VerdictMatrix before, VerdictMatrix after) {
        long[] n = new long[1];
        scan(before, after, (i, j) -> n[0]++);
        return n[0];
    }

    /// Pairs whose map type or distance differ between `before` and `after`, over the devices both contain, as a
    /// list of objects: for a few. [ChangedPairs] holds any number compactly.
    public static List<PairChange> diff(VerdictMatrix before, VerdictMatrix after) {
        List<PairChange> out = new ArrayList<>();
        ChangedPairs.between(before, after).forEach(out::add);
        return out;
    }

    interface CellVisitor {
        void changed(int provider, int client);
    }

    /// Visits every changed pair of two matrices over the same devices. A row both share (by reference) is
    /// looked at only when the host-path table changed, and then only where the changed table entries apply.
    static void scan(VerdictMatrix before, VerdictMatrix after, CellVisitor visitor) {
        if (!before.devices.equals(after.devices)) throw new IllegalArgumentException("matrices over different devices");
        int n = before.size();
        boolean sameBuses = before.bus == after.bus || java.util.Arrays.equals(before.bus, after.bus);
        boolean tableChanged = !sameBuses || !java.util.Arrays.equals(before.hostAllowed, after.hostAllowed);
        for (int i = 0; i < n; i++) {
            short[] a = before.rows[i];
            short[] b = after.rows[i];
            if (a == b && !tableChanged) continue;
            if (a == b && sameBuses) {
                int rowA = before.bus[i] * before.buses;
                for (int j = 0; j < n; j++) {
                    if ((a[j] & HOST_PATH) != 0 && before.hostAllowed[rowA + before.bus[j]]
                            != after.hostAllowed[rowA + after.bus[j]]) {
                        visitor.changed(i, j);
                    }
                }
                continue;
            }
            for (int j = 0; j < n; j++) {
                if ((a[j] != b[j] || tableChanged) && (before.mapType(i, j) != after.mapType(i, j)
                        || before.distance(i, j) != after.distance(i, j))) {
                    visitor.changed(i, j);
                }
            }
        }
    }

    /// One pair whose verdict changed.
    public record PairChange(PciAddress provider, PciAddress client, MapType fromType, int fromDistance,
                             MapType toType, int toDistance) {

        static PairChange of(VerdictMatrix before, VerdictMatrix after, int i, int j, int ai, int aj) {
            return new PairChange(before.devices.get(i), before.devices.get(j), before.mapType(i, j),
                    before.distance(i, j), after.mapType(ai, aj), after.distance(ai, aj));
        }

        @Override
        public String toString() {
            return provider + " -> " + client + ": " + fromType + " (" + fromDistance + ") -> " + toType + " ("
                    + toDistance + ")";
        }
    }
}
