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
    private final Map<PciAddress, Integer> index;
    private final PciFunction[] functions;
    private final int[] parent;
    private final int[] depth;
    private final int[] redirectPrefix;
    private final int[] rootBus;
    private final List<BusAddress> busList;
    private final boolean[] hostAllowed;
    private final int buses;
    private final int[] first;
    private final int[][] sparse;
    private final int[] euler;
    private final int[] eulerDepth;
    /// Every function index in preorder (a parent before its children), for the row pass of [#matrix].
    private final int[] preorder;
    /// Each function's position in [#preorder]; its subtree is `preorder[pos[f] .. end[f])`.
    private final int[] pos;
    private final int[] end;

    public AllPairs(Topology topology) {
        this.topology = topology;
        P2pdmaEngine engine = new P2pdmaEngine(topology);
        List<PciFunction> fs = topology.functions();
        int n = fs.size();
        functions = fs.toArray(PciFunction[]::new);
        index = new HashMap<>();
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
        pos = new int[n + 1];
        end = new int[n + 1];
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
                pos[c] = pre;
                preorder[pre++] = c;
                first[c] = len;
                euler[len] = c;
                eulerDepth[len++] = d[c];
            } else {
                end[v] = pre;
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
        int maxDepth = 0;
        for (int x : depth) maxDepth = Math.max(maxDepth, x);
        if (2 * maxDepth + 2 > VerdictMatrix.DISTANCE) {
            throw new IllegalArgumentException("the tree is " + (maxDepth + 1) + " levels deep; the all-pairs "
                    + "matrix handles up to " + (VerdictMatrix.DISTANCE / 2 - 1));
        }
        // Root buses and the host-path table.
        busList = topology.rootBuses();
        Map<BusAddress, Integer> busIndex = new HashMap<>();
        for (int i = 0; i < busList.size(); i++) busIndex.put(busList.get(i), i);
        buses = busList.size();
        rootBus = new int[n];
        for (int i = 0; i < n; i++) rootBus[i] = busIndex.get(topology.rootBus(functions[i]));
        hostAllowed = hostTable(engine, busList);
    }

    /// The same structure with other ACS states or another host-path table (what-if edits that change neither
    /// the tree nor the kernel's walk).
    private AllPairs(AllPairs s, Topology topology, PciFunction[] functions, int[] redirectPrefix,
                     boolean[] hostAllowed) {
        this.topology = topology;
        this.index = s.index;
        this.functions = functions;
        this.parent = s.parent;
        this.depth = s.depth;
        this.redirectPrefix = redirectPrefix;
        this.rootBus = s.rootBus;
        this.busList = s.busList;
        this.hostAllowed = hostAllowed;
        this.buses = s.buses;
        this.first = s.first;
        this.sparse = s.sparse;
        this.euler = s.euler;
        this.eulerDepth = s.eulerDepth;
        this.preorder = s.preorder;
        this.pos = s.pos;
        this.end = s.end;
    }

    /// Whether the host path is allowed between each pair of root buses: it depends only on the two host
    /// bridges (`host_bridge_whitelist()`) and the CPU (`cpu_supports_p2pdma()`).
    private static boolean[] hostTable(P2pdmaEngine engine, List<BusAddress> busList) {
        int buses = busList.size();
        boolean[] table = new boolean[buses * buses];
        for (int a = 0; a < buses; a++) {
            for (int b = 0; b < buses; b++) table[a * buses + b] = engine.hostPathAllowed(busList.get(a), busList.get(b));
        }
        return table;
    }

    /// After an edit of the CPU, the kernel profile or the allowlist (`edited` has the same functions): only the
    /// host-path table is new.
    AllPairs withHost(Topology edited) {
        return new AllPairs(this, edited, functions, redirectPrefix, hostTable(new P2pdmaEngine(edited), busList));
    }

    /// After an ACS edit of function `f` (`edited` has it): the redirect prefix sums of its subtree move by one
    /// when its redirect changed.
    AllPairs withAcs(Topology edited, int f) {
        PciFunction now = edited.require(functions[f].address());
        PciFunction[] fs = functions.clone();
        fs[f] = now;
        int delta = (now.acs().redirects() ? 1 : 0) - (functions[f].acs().redirects() ? 1 : 0);
        int[] prefix = redirectPrefix;
        if (delta != 0) {
            prefix = redirectPrefix.clone();
            for (int k = pos[f]; k < end[f]; k++) prefix[preorder[k]] += delta;
        }
        return new AllPairs(this, edited, fs, prefix, hostAllowed);
    }

    boolean[] hostAllowed() {
        return hostAllowed;
    }

    /// True when function `x` is in the subtree of function `f` (itself included).
    boolean inSubtree(int x, int f) {
        return pos[x] >= pos[f] && pos[x] < end[f];
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

    /// The cell of a pair of function indices: bit 14 when the pair needs the host path (no common ancestor, or
    /// ACS redirect on a function the kernel examines), bits 13-0 the calc distance.
    short cell(int p, int c) {
        int l = lca(p, c);
        if (l >= 0) {
            int dist = depth[p] + depth[c] - 2 * depth[l];
            int pl = parent[l];
            int redirects = redirectPrefix[p] - (pl < 0 ? 0 : redirectPrefix[pl]) + redirectPrefix[c] - redirectPrefix[l];
            return (short) (redirects == 0 ? dist : VerdictMatrix.HOST_PATH | dist);
        }
        return (short) (VerdictMatrix.HOST_PATH | (depth[p] + depth[c] + 2));
    }

    /// The map type of a pair of function indices ([#indexOf]).
    public MapType mapType(int p, int c) {
        if ((cell(p, c) & VerdictMatrix.HOST_PATH) == 0) return MapType.BUS_ADDR;
        return hostAllowed[rootBus[p] * buses + rootBus[c]] ? MapType.THRU_HOST_BRIDGE : MapType.NOT_SUPPORTED;
    }

    /// The kernel's calc distance of a pair of function indices.
    public int calcDistance(int p, int c) {
        return cell(p, c) & VerdictMatrix.DISTANCE;
    }

    /// What `pci_p2pdma_distance()` returns for a pair of function indices.
    public int distance(int p, int c) {
        return mapType(p, c) == MapType.NOT_SUPPORTED ? -1 : calcDistance(p, c);
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
    public VerdictMatrix matrix(List<PciAddress> devices) {
        int n = devices.size();
        if (n > MAX_MATRIX_DEVICES) {
            throw new IllegalArgumentException("an all-pairs matrix of " + n + " devices has " + (long) n * n
                    + " cells, more than one array can hold (at most " + MAX_MATRIX_DEVICES + " devices)");
        }
        int[] idx = indices(devices);
        short[][] rows = new short[n][];
        RowPass pass = new RowPass();
        for (int i = 0; i < n; i++) {
            rows[i] = new short[n];
            pass.row(idx[i], idx, rows[i]);
        }
        return new VerdictMatrix(devices, rows, deviceBuses(idx), buses, hostAllowed);
    }

    int[] indices(List<PciAddress> devices) {
        int[] idx = new int[devices.size()];
        for (int i = 0; i < idx.length; i++) idx[i] = indexOf(devices.get(i));
        return idx;
    }

    int[] deviceBuses(int[] idx) {
        int[] b = new int[idx.length];
        for (int i = 0; i < idx.length; i++) b[i] = rootBus[idx[i]];
        return b;
    }

    /// The row pass, with its scratch arrays kept between rows.
    final class RowPass {
        private final int[] mark = new int[functions.length];
        private final int[] common = new int[functions.length];
        private int stamp;

        /// Fills `row` with provider `p`'s cells for the clients `idx`.
        void row(int p, int[] idx, short[] row) {
            int s = ++stamp;
            for (int a = p; a >= 0; a = parent[a]) mark[a] = s;
            for (int x : preorder) {
                int up = parent[x];
                common[x] = mark[x] == s ? x : up < 0 ? -1 : common[up];
            }
            int rp = redirectPrefix[p];
            int dp = depth[p];
            int n = idx.length;
            for (int j = 0; j < n; j++) {
                int c = idx[j];
                int l = common[c];
                if (l >= 0) {
                    int dist = dp + depth[c] - 2 * depth[l];
                    int pl = parent[l];
                    row[j] = (short) (rp - (pl < 0 ? 0 : redirectPrefix[pl]) + redirectPrefix[c] - redirectPrefix[l] == 0
                            ? dist : VerdictMatrix.HOST_PATH | dist);
                } else {
                    row[j] = (short) (VerdictMatrix.HOST_PATH | (dp + depth[c] + 2));
                }
            }
        }
    }

    public Topology topology() {
        return topology;
    }
}
