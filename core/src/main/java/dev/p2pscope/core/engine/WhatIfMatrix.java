package dev.p2pscope.core.engine;

import dev.p2pscope.core.model.Edit;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.Topology;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/// The all-pairs matrix kept up to date across what-if edits, recomputing only the pairs an edit can change.
///
/// Which pairs an edit can change follows from the kernel's walk (`calc_map_type_and_dist()`):
/// - An **ACS edit** of function F matters only where F's ACS is examined: on the provider's chain up to and
///   including the common ancestor, or on the client's chain below it. Both put F on the chain of one end, so only
///   pairs with an end in F's subtree can change: their rows and columns are recomputed (and nothing at all when the
///   edit leaves F's redirect as it was, e.g. a Source Validation bit).
/// - An **allowlist, CPU or kernel-profile edit** changes only whether the host path is allowed between two root
///   buses (`host_bridge_whitelist()`, `cpu_supports_p2pdma()`, `pci_host_bridge_dev()`): the matrix keeps every
///   row, takes the new root-bus table, and the changed pairs are the host-path pairs between root buses whose
///   entry flipped (every pair, when the buses differ).
/// - Anything else (a function replaced, a batch) is recomputed in full and diffed.
///
/// Not thread-safe: one instance follows one sequence of edits. Each [Step] holds immutable matrices.
public final class WhatIfMatrix {

    private final List<PciAddress> devices;
    private AllPairs pairs;
    private VerdictMatrix matrix;
    private int[] idx;
    private short[][] countedRows;
    private long[] sameBusCounts;

    public WhatIfMatrix(Topology topology, List<PciAddress> devices) {
        this.devices = List.copyOf(devices);
        this.pairs = new AllPairs(topology);
        this.matrix = pairs.matrix(this.devices);
        this.idx = pairs.indices(this.devices);
    }

    public Topology topology() {
        return pairs.topology();
    }

    public VerdictMatrix matrix() {
        return matrix;
    }

    /// Applies one edit to the current topology and returns the matrices before and after with the pairs that
    /// changed. The instance then stands at the edited topology.
    ///
    /// @throws IllegalArgumentException when the edit names a function the topology does not have
    public Step apply(Edit edit) {
        Topology before = pairs.topology();
        Topology edited = edit.applyTo(before);
        VerdictMatrix old = matrix;
        Step step = switch (edit) {
            case Edit.SetAcs acs -> acsEdit(edited, acs.function());
            case Edit.AllowHostBridge a -> hostEdit(edited);
            case Edit.DenyHostBridge d -> hostEdit(edited);
            case Edit.SetCpu c -> hostEdit(edited);
            case Edit.SetKernel k -> hostEdit(edited);
            default -> full(edited);
        };
        matrix = step.after();
        if (step.before() != old) throw new IllegalStateException("step does not start at the current matrix");
        return step;
    }

    private Step hostEdit(Topology edited) {
        VerdictMatrix before = matrix;
        pairs = pairs.withHost(edited);
        VerdictMatrix after = before.withHostAllowed(pairs.hostAllowed());
        Changes changes = new Changes(before, after);
        int buses = before.buses();
        int[] bus = before.bus();
        boolean[] was = before.hostAllowed();
        boolean[] now = after.hostAllowed();
        // Devices by root bus.
        int[] count = new int[buses];
        for (int b : bus) count[b]++;
        int[][] members = new int[buses][];
        for (int b = 0; b < buses; b++) members[b] = new int[count[b]];
        int[] fill = new int[buses];
        for (int i = 0; i < bus.length; i++) members[bus[i]][fill[bus[i]]++] = i;
        short[][] rows = before.rows();
        for (int a = 0; a < buses; a++) {
            for (int b = 0; b < buses; b++) {
                if (was[a * buses + b] == now[a * buses + b] || members[a].length == 0 || members[b].length == 0) {
                    continue;
                }
                if (a != b) {
                    // Different root buses never share an upstream bridge: every pair takes the host path.
                    changes.block(members[a], members[b], false, (long) members[a].length * members[b].length);
                    continue;
                }
                // One root bus: the pairs that take the host path (no shared bridge below it, or ACS redirect).
                changes.block(members[a], members[b], true, sameBusHostPairs(rows, members)[a]);
            }
        }
        return new Step(before, after, changes);
    }

    /// How many pairs within each root bus take the host path, counted once per set of rows (host-fact edits
    /// keep the rows, so a series of them counts only once).
    private long[] sameBusHostPairs(short[][] rows, int[][] members) {
        if (countedRows == rows) return sameBusCounts;
        long[] counts = new long[members.length];
        for (int a = 0; a < members.length; a++) {
            for (int i : members[a]) {
                short[] row = rows[i];
                for (int j : members[a]) if ((row[j] & VerdictMatrix.HOST_PATH) != 0) counts[a]++;
            }
        }
        countedRows = rows;
        sameBusCounts = counts;
        return counts;
    }

    private Step acsEdit(Topology edited, PciAddress function) {
        VerdictMatrix before = matrix;
        int f = pairs.indexOf(function);
        AllPairs next = pairs.withAcs(edited, f);
        boolean redirectChanged = pairs.topology().require(function).acs().redirects()
                != edited.require(function).acs().redirects();
        pairs = next;
        Changes changes = new Changes(before, before);
        if (!redirectChanged) return new Step(before, before, changes);
        int n = devices.size();
        boolean[] below = new boolean[n];
        List<Integer> sub = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (next.inSubtree(idx[i], f)) {
                below[i] = true;
                sub.add(i);
            }
        }
        short[][] old = before.rows();
        short[][] rows = old.clone();
        AllPairs.RowPass pass = next.new RowPass();
        // Providers below F: their whole rows.
        for (int i : sub) {
            short[] row = new short[n];
            pass.row(idx[i], idx, row);
            short[] was = old[i];
            for (int j = 0; j < n; j++) if (row[j] != was[j]) changes.cell(i, j);
            rows[i] = row;
        }
        // Clients below F: their columns in every other row (copied on the first change).
        for (int i = 0; i < n; i++) {
            if (below[i]) continue;
            short[] row = old[i];
            for (int j : sub) {
                short c = next.cell(idx[i], idx[j]);
                if (c != row[j]) {
                    if (rows[i] == old[i]) rows[i] = old[i].clone();
                    rows[i][j] = c;
                    changes.cell(i, j);
                }
            }
        }
        VerdictMatrix after = new VerdictMatrix(devices, rows, before.bus(), before.buses(), before.hostAllowed());
        changes.after = after;
        return new Step(before, after, changes);
    }

    private Step full(Topology edited) {
        VerdictMatrix before = matrix;
        AllPairs next = new AllPairs(edited);
        if (!next.topology().functions().stream().map(f -> f.address()).toList()
                .equals(pairs.topology().functions().stream().map(f -> f.address()).toList())) {
            idx = next.indices(devices);
        }
        pairs = next;
        VerdictMatrix after = next.matrix(devices);
        Changes changes = new Changes(before, after);
        VerdictMatrix.scan(before, after, changes::cell);
        return new Step(before, after, changes);
    }

    /// One edit's outcome.
    ///
    /// @param before  the matrix before the edit
    /// @param after   the matrix after it
    /// @param changed the pairs whose map type or distance changed
    public record Step(VerdictMatrix before, VerdictMatrix after, Changes changed) { }

    /// The changed pairs of one edit, held compactly (single cells, and blocks of rows × columns where an allowlist
    /// or CPU edit flips every host-path pair between two root buses) and turned into [VerdictMatrix.PairChange]s
    /// only when asked.
    public static final class Changes {
        private final VerdictMatrix before;
        private VerdictMatrix after;
        private int[] cells = new int[16];
        private int cellCount;
        private final List<Block> blocks = new ArrayList<>();
        private long blockPairs;

        /// Every pair of `providers` × `clients` (with `hostPathOnly`, those whose cell takes the host path).
        private record Block(int[] providers, int[] clients, boolean hostPathOnly) { }

        Changes(VerdictMatrix before, VerdictMatrix after) {
            this.before = before;
            this.after = after;
        }

        void cell(int provider, int client) {
            if (cellCount + 2 > cells.length) cells = Arrays.copyOf(cells, cells.length * 2);
            cells[cellCount++] = provider;
            cells[cellCount++] = client;
        }

        void block(int[] providers, int[] clients, boolean hostPathOnly, long pairs) {
            blocks.add(new Block(providers, clients, hostPathOnly));
            blockPairs += pairs;
        }

        private boolean inBlock(Block b, int i, int j) {
            return !b.hostPathOnly() || (before.rows()[i][j] & VerdictMatrix.HOST_PATH) != 0;
        }

        /// How many ordered pairs changed.
        public long count() {
            return cellCount / 2 + blockPairs;
        }

        public boolean isEmpty() {
            return count() == 0;
        }

        /// Every changed pair, in no particular order.
        public void forEach(Consumer<VerdictMatrix.PairChange> action) {
            for (int k = 0; k < cellCount; k += 2) {
                action.accept(VerdictMatrix.PairChange.of(before, after, cells[k], cells[k + 1], cells[k], cells[k + 1]));
            }
            for (Block b : blocks) {
                for (int i : b.providers()) {
                    for (int j : b.clients()) {
                        if (inBlock(b, i, j)) action.accept(VerdictMatrix.PairChange.of(before, after, i, j, i, j));
                    }
                }
            }
        }

        /// At most `limit` changed pairs, as a list.
        public List<VerdictMatrix.PairChange> list(int limit) {
            List<VerdictMatrix.PairChange> out = new ArrayList<>();
            for (int k = 0; k < cellCount && out.size() < limit; k += 2) {
                out.add(VerdictMatrix.PairChange.of(before, after, cells[k], cells[k + 1], cells[k], cells[k + 1]));
            }
            for (Block b : blocks) {
                for (int i : b.providers()) {
                    for (int j : b.clients()) {
                        if (out.size() >= limit) return out;
                        if (inBlock(b, i, j)) out.add(VerdictMatrix.PairChange.of(before, after, i, j, i, j));
                    }
                }
            }
            return out;
        }
    }
}
