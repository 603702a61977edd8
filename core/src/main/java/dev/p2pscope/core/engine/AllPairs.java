package dev.p2pscope.core.engine;

import dev.p2pscope.core.model.BusAddress;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/// The kernel's verdict for every ordered pair at once, without walking each pair.
///
/// `calc_map_type_and_dist()` walks the provider's chain of upstream bridges and, for each, searches the client's
/// chain; the first match is the common ancestor L. Here the chains form a forest (parent = the kernel's
/// `pci_upstream_bridge()`, VFs replaced by their PF), so L is a lowest common ancestor, found in O(1) with an
/// Euler tour and a sparse table. The distance is `depth(P) + depth(C) - 2 depth(L)`, or the two chain lengths
/// summed when there is no L. The ACS functions the kernel examines are P..L on the provider side and C..below L on
/// the client side; their redirect count comes from prefix sums along root paths. Whether the host path is allowed
/// depends only on the two root buses, so it is a small table. The per-pair [P2pdmaEngine] stays the reference; a
/// differential test checks this one against it.
public final class AllPairs {

    private final Topology topology;
    private final P2pdmaEngine engine;
    private final Map<PciAddress, Integer> index = new HashMap<>();
    private final PciFunction[] functions;
    private final int[] parent;
    private final int[] depth;
    private final int[] redirectPrefix;
    private final int[] rootBus;
    private final boolean[] hostAllowed;
    private final int buses;
    private final int[] first;
    private final int[][] sparse;
    private final int[] euler;
    private final int[] eulerDepth;
    /// Every function index in preorder (a parent before its children), for the row pass of [#matrix].
    private final int[] preorder;

    public AllPairs(Topology topology) {
        this.topology = topology;
        this.engine = new P2pdmaEngine(topology);
        List<PciFunction> fs = topology.functions();
        int n = fs.size();
        functions = fs.toArray(PciFunction[]::new);
        for (int i = 0; i < n; i++) index.put(functions[i].address(), i);
        parent = new int[n];
        for (int i = 0; i < n; i++) {
            PciFunction up = topology.upstreamBridge(functions[i]);
            parent[i] = up == null ? -1 : index.get(up.address());
        }
        // Children lists, then an iterative DFS from a virtual root (index n) for depths and the Euler tour.
        int[] childCount = new int[n + 1];
        for (int i = 0; i < n; i++) childCount[parent[i] < 0 ? n : parent[i]]++;
        int[][] children = new int[n + 1][];
        for (int i = 0; i <= n; i++) children[i] = new int[childCount[i]];
        int[] fill = new int[n + 1];
        for (int i = 0; i < n; i++) {
            int p = parent[i] < 0 ? n : parent[i];
            children[p][fill[p]++] = i;
        }
        depth = new int[n];
        redirectPrefix = new int[n];
        first = new int[n + 1];
        euler = new int[2 * n + 1];
        eulerDepth = new int[2 * n + 1];
        int len = 0;
        preorder = new int[n];
        int pre = 0;
        int[] stack = new int[n + 1];
        int[] next = new int[n + 1];
        int[] d = new int[n + 1];
        int sp = 0;
        stack[0] = n;
        d[n] = -1;
        first[n] = 0;
        euler[len] = n;
        eulerDepth[len++] = -1;
        while (sp >= 0) {
            int v = stack[sp];
            if (next[v] < children[v].length) {
                int c = children[v][next[v]++];
                d[c] = d[v] + 1;
                depth[c] = d[c];
                redirectPrefix[c] = (parent[c] < 0 ? 0 : redirectPrefix[parent[c]])
                        + (functions[c].acs().redirects() ? 1 : 0);
                stack[++sp] = c;
                preorder[pre++] = c;
                first[c] = len;
                euler[len] = c;
                eulerDepth[len++] = d[c];
            } else {
                sp--;
                if (sp >= 0) {
                    euler[len] = stack[sp];
                    eulerDepth[len++] = d[stack[sp]];
                }
            }
        }
        int levels = 1;
        while ((1 << levels) < len) levels++;
        sparse = new int[levels][];
        sparse[0] = new int[len];
        for (int i = 0; i < len; i++) sparse[0][i] = i;
        for (int k = 1; k < levels; k++) {
            int span = 1 << k;
            sparse[k] = new int[Math.max(0, len - span + 1)];
            for (int i = 0; i + span <= len; i++) {
                int a = sparse[k - 1][i];
                int b = sparse[k - 1][i + (span >> 1)];
                sparse[k][i] = eulerDepth[a] <= eulerDepth[b] ? a : b;
            }
        }
        // Root buses and the host-path table.
        List<BusAddress> busList = topology.rootBuses();
        Map<BusAddress, Integer> busIndex = new HashMap<>();
        for (int i = 0; i < busList.size(); i++) busIndex.put(busList.get(i), i);
        buses = busList.size();
        rootBus = new int[n];
        for (int i = 0; i < n; i++) rootBus[i] = busIndex.get(topology.rootBus(functions[i]));
        hostAllowed = new boolean[buses * buses];
        for (int a = 0; a < buses; a++) {
            for (int b = 0; b < buses; b++) hostAllowed[a * buses + b] = engine.hostPathAllowed(busList.get(a), busList.get(b));
        }
    }

    /// The lowest common ancestor of two function indices, or -1 when they hang from different roots.
    int lca(int u, int v) {
        int l = Math.min(first[u], first[v]);
        int r = Math.max(first[u], first[v]);
        int k = 31 - Integer.numberOfLeadingZeros(r - l + 1);
        int a = sparse[k][l];
        int b = sparse[k][r - (1 << k) + 1];
        int m = euler[eulerDepth[a] <= eulerDepth[b] ? a : b];
        return m == functions.length ? -1 : m;
    }

    public int indexOf(PciAddress a) {
        Integer i = index.get(a);
        if (i == null) throw new IllegalArgumentException("no function " + a + " in this topology");
        return i;
    }

    /// Map type (bits 15-14: 0 BUS_ADDR, 1 THRU_HOST_BRIDGE, 2 NOT_SUPPORTED) and calc distance (bits 13-0).
    public short cell(int p, int c) {
        int l = lca(p, c);
        int dist;
        boolean hostPath;
        if (l >= 0) {
            dist = depth[p] + depth[c] - 2 * depth[l];
            int pl = parent[l];
            int redirects = redirectPrefix[p] - (pl < 0 ? 0 : redirectPrefix[pl]) + redirectPrefix[c] - redirectPrefix[l];
            if (redirects == 0) return (short) dist;
            hostPath = true;
        } else {
            dist = depth[p] + depth[c] + 2;
            hostPath = true;
        }
        int type = hostPath && hostAllowed[rootBus[p] * buses + rootBus[c]] ? 1 : 2;
        return (short) ((type << 14) | dist);
    }

    public static MapType type(short cell) {
        return switch ((cell >>> 14) & 3) {
            case 0 -> MapType.BUS_ADDR;
            case 1 -> MapType.THRU_HOST_BRIDGE;
            default -> MapType.NOT_SUPPORTED;
        };
    }

    public static int calcDistance(short cell) {
        return cell & 0x3fff;
    }

    /// What `pci_p2pdma_distance()` returns for the cell.
    public static int distance(short cell) {
        return type(cell) == MapType.NOT_SUPPORTED ? -1 : calcDistance(cell);
    }

    /// The redirecting functions of one pair, in the kernel's order (provider side up to and including the common
    /// ancestor, then the client side below it); empty when there is no common ancestor.
    public List<PciAddress> redirecting(PciAddress provider, PciAddress client) {
        int p = indexOf(provider);
        int c = indexOf(client);
        int l = lca(p, c);
        List<PciAddress> out = new ArrayList<>();
        if (l < 0) return out;
        for (int a = p; ; a = parent[a]) {
            if (functions[a].acs().redirects()) out.add(functions[a].address());
            if (a == l) break;
        }
        List<PciAddress> clientSide = new ArrayList<>();
        for (int b = c; b != l; b = parent[b]) if (functions[b].acs().redirects()) clientSide.add(functions[b].address());
        out.addAll(clientSide);
        return out;
    }

    /// Most devices a [#matrix] can hold: n × n cells must fit one Java array.
    public static final int MAX_MATRIX_DEVICES = 46_340;

    /// Every ordered pair of `devices`: 2 bytes per pair.
    ///
    /// Row by row: for provider P one preorder pass gives every function's common ancestor with P (a function is
    /// its own if it is on P's chain, else it inherits its parent's), so each cell is then O(1) with no walk and
    /// no random access into the sparse table.
    public Matrix matrix(List<PciAddress> devices) {
        int n = devices.size();
        if (n > MAX_MATRIX_DEVICES) {
            throw new IllegalArgumentException("an all-pairs matrix of " + n + " devices has " + (long) n * n
                    + " cells, more than one array can hold (at most " + MAX_MATRIX_DEVICES + " devices)");
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = indexOf(devices.get(i));
        short[] cells = new short[n * n];
        int nodes = functions.length;
        int[] mark = new int[nodes];
        int[] common = new int[nodes];
        for (int i = 0; i < n; i++) {
            int p = idx[i];
            int stamp = i + 1;
            for (int a = p; a >= 0; a = parent[a]) mark[a] = stamp;
            for (int x : preorder) {
                int up = parent[x];
                common[x] = mark[x] == stamp ? x : up < 0 ? -1 : common[up];
            }
            int row = i * n;
            int rp = redirectPrefix[p];
            int dp = depth[p];
            int hostRow = rootBus[p] * buses;
            for (int j = 0; j < n; j++) {
                int c = idx[j];
                int l = common[c];
                int dist;
                if (l >= 0) {
                    dist = dp + depth[c] - 2 * depth[l];
                    int pl = parent[l];
                    if (rp - (pl < 0 ? 0 : redirectPrefix[pl]) + redirectPrefix[c] - redirectPrefix[l] == 0) {
                        cells[row + j] = (short) dist;
                        continue;
                    }
                } else {
                    dist = dp + depth[c] + 2;
                }
                cells[row + j] = (short) (((hostAllowed[hostRow + rootBus[c]] ? 1 : 2) << 14) | dist);
            }
        }
        return new Matrix(List.copyOf(devices), cells);
    }

    public Topology topology() {
        return topology;
    }

    /// A compact all-pairs matrix: row = provider, column = client.
    public record Matrix(List<PciAddress> devices, short[] cells) {
        public int size() { return devices.size(); }
        public MapType mapType(int p, int c) { return type(cells[p * devices.size() + c]); }
        public int distance(int p, int c) { return AllPairs.distance(cells[p * devices.size() + c]); }

        /// How many ordered pairs differ from `other` (same devices in the same order).
        public long countChanges(Matrix other) {
            if (!devices.equals(other.devices)) throw new IllegalArgumentException("matrices over different devices");
            long n = 0;
            short[] a = cells;
            short[] b = other.cells;
            for (int i = 0; i < a.length; i++) if (a[i] != b[i]) n++;
            return n;
        }

        /// The changed pairs, from → to (at most `limit` of them).
        public List<VerdictMatrix.PairChange> changes(Matrix other, int limit) {
            List<VerdictMatrix.PairChange> out = new ArrayList<>();
            int n = devices.size();
            for (int i = 0; i < cells.length && out.size() < limit; i++) {
                if (cells[i] != other.cells[i]) {
                    out.add(new VerdictMatrix.PairChange(devices.get(i / n), devices.get(i % n), type(cells[i]),
                            AllPairs.distance(cells[i]), type(other.cells[i]), AllPairs.distance(other.cells[i])));
                }
            }
            return out;
        }
    }
}
