package dev.p2pscope.core.sgl;

import dev.p2pscope.core.engine.AllPairs;
import dev.p2pscope.core.engine.KernelSession;
import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.P2pMem;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.PciFunction;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.text.SglText;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/// One scatter-gather scenario: a client, a scatterlist of host and p2pmem segments, how the client's DMA is
/// mapped and whether its NVMe controller takes SGLs. `p2pscope sgl` and the window's SGL tab both only map their
/// inputs into one of these, [#check] it against the topology, [#run] it, and print or show the [Result].
///
/// @param client     the device doing the DMA
/// @param segments   the scatterlist, in order
/// @param dma        dma-direct, dma-iommu or DMA ops without P2PDMA, with mask and limits
/// @param sglCapable the NVMe controller supports SGLs
public record SglScenario(PciAddress client, List<Segment> segments, DmaConfig dma, boolean sglCapable) {

    /// The host buffer every default scenario starts with: one page at 1 MiB.
    static final Segment DEFAULT_HOST = Segment.host(0x100000, 4096);
    /// The p2pmem part of a default scenario: two pages at the start of the provider's pool.
    static final long DEFAULT_P2P_LENGTH = 8192;

    public SglScenario {
        Objects.requireNonNull(client);
        Objects.requireNonNull(dma);
        segments = List.copyOf(segments);
        if (segments.isEmpty()) throw new IllegalArgumentException("no segments");
    }

    /// Which input a problem is about, so the command line can name its option and the window its field.
    public enum Field { CLIENT, SEGMENTS }

    /// An input that describes no possible scatterlist on this topology (the kernel is never asked).
    public static final class InvalidInput extends IllegalArgumentException {
        private final Field field;

        public InvalidInput(Field field, String message) {
            super(message);
            this.field = field;
        }

        public Field field() {
            return field;
        }
    }

    /// The scenario's outcome: the mapped table, the NVMe command that would carry it, what an O_DIRECT read into a
    /// buffer mmapped from the first p2p segment's provider would do (empty without p2p segments), and the text
    /// [SglText] makes of it.
    public record Result(SglScenario scenario, SgTable table, NvmeCommand nvme, Optional<DirectIo.Outcome> directIo,
                         String text) {
    }

    /// Parses the segment list as typed (`host:PHYS+LEN,p2p:BDF@OFFSET+LEN`).
    ///
    /// @throws InvalidInput naming [Field#SEGMENTS]
    public static List<Segment> parseSegments(String spec) {
        try {
            return Segment.parseList(spec);
        } catch (IllegalArgumentException e) {
            throw new InvalidInput(Field.SEGMENTS, e.getMessage());
        }
    }

    /// Refuses a scenario whose pages cannot exist on `t`: a client that is not there, a p2p segment from a
    /// function that is not there or publishes no p2pmem pool (the kernel gives out p2pmem pages only from a pool
    /// `pci_p2pdma_add_resource()` created, so such a page has no pagemap and could never reach `dma_map_sg`), or a
    /// segment beyond the end of its provider's pool.
    ///
    /// @throws InvalidInput naming the field and the function
    public SglScenario check(Topology t) {
        if (!t.contains(client)) throw new InvalidInput(Field.CLIENT, "no function " + client + " in this topology");
        for (Segment s : segments) {
            if (!s.isP2p()) continue;
            PciFunction p = t.function(s.provider()).orElseThrow(() -> new InvalidInput(Field.SEGMENTS,
                    "no function " + s.provider() + " in this topology"));
            P2pMem pool = p.p2pmem();
            if (pool == null) {
                throw new InvalidInput(Field.SEGMENTS, s.provider() + " has no p2pmem: it registered no peer-to-peer "
                        + "memory (no p2pmem/ in sysfs), so no page of it can be in a scatterlist; providers here: "
                        + providers(t));
            }
            if (pool.size() > 0 && s.address() + s.length() > pool.size()) {
                throw new InvalidInput(Field.SEGMENTS, String.format(java.util.Locale.ROOT,
                        "%s ends at offset 0x%x, past the end of %s's p2pmem pool (%d bytes)", s,
                        s.address() + s.length(), s.provider(), pool.size()));
            }
        }
        return this;
    }

    private static String providers(Topology t) {
        List<String> ps = t.functions().stream().filter(f -> f.p2pmem() != null).map(f -> f.address().toString())
                .toList();
        return ps.isEmpty() ? "none" : String.join(", ", ps);
    }

    /// Checks the scenario, then maps it as `dma_map_sgtable()` would (the kernel's per-list P2PDMA state cache
    /// on), builds the NVMe command, and predicts an O_DIRECT read for the first p2p segment's provider.
    ///
    /// @throws InvalidInput when [#check] refuses it
    public Result run(Topology t) {
        check(t);
        SgTable table = new SglMapper(t, new KernelSession(t), List.of(), true).map(client, segments, dma);
        NvmeCommand nvme = NvmeCommand.of(table, sglCapable, t.kernel());
        Optional<DirectIo.Outcome> directIo = segments.stream().filter(Segment::isP2p).findFirst()
                .map(s -> DirectIo.predict(t, new DirectIo.Request(DirectIo.Buffer.P2PMEM_ALLOCATE, s.provider(),
                        client, true, true, 0, false)));
        return new Result(this, table, nvme, directIo, SglText.render(client, dma, t.kernel(), table, nvme));
    }

    /// A scenario worth looking at first: a host page, then two pages of a p2pmem pool, for `client`.
    ///
    /// The provider is `provider` when it has p2pmem, else the published pool closest to the client (as
    /// `pci_p2pmem_find()` would rank them), else any pool. The client is `client` when given, else the endpoint
    /// nearest that provider. Without any p2pmem in the topology the list is the host page alone. Empty when the
    /// topology has no endpoint to be the client.
    public static Optional<SglScenario> suggest(Topology t, PciAddress provider, PciAddress client) {
        if (t == null) return Optional.empty();
        // Ranking every endpoint by distance asks the all-pairs engine (same answers as the per-pair one, without
        // building a verdict per candidate: 4,000 verdicts cost 150 ms at 10,000 functions, this a few).
        AllPairs engine = new AllPairs(t);
        PciAddress c = client != null && t.contains(client) ? client : null;
        PciAddress p = provider != null && t.function(provider).map(f -> f.p2pmem() != null).orElse(false)
                ? provider : null;
        List<PciFunction> pools = t.functions().stream().filter(f -> f.p2pmem() != null).toList();
        if (p == null && !pools.isEmpty()) {
            Comparator<PciFunction> rank = Comparator.comparing((PciFunction f) -> !f.p2pmem().published());
            if (c != null) {
                PciAddress cc = c;
                rank = rank.thenComparingInt(f -> distance(engine, f.address(), cc));
            }
            p = pools.stream().min(rank).orElseThrow().address();
        }
        if (c == null) {
            PciAddress pp = p;
            c = t.functions().stream().filter(f -> f.kind() == DeviceKind.ENDPOINT)
                    .filter(f -> !f.address().equals(pp))
                    .min(Comparator.comparingInt(f -> pp == null ? 0 : distance(engine, pp, f.address())))
                    .map(PciFunction::address).orElse(null);
        }
        if (c == null) return Optional.empty();
        List<Segment> list = p == null ? List.of(DEFAULT_HOST)
                : List.of(DEFAULT_HOST, Segment.p2p(p, 0, DEFAULT_P2P_LENGTH));
        return Optional.of(new SglScenario(c, list, DmaConfig.direct(), false));
    }

    /// A refused pair sorts last; otherwise the kernel's distance.
    private static int distance(AllPairs engine, PciAddress p, PciAddress c) {
        int d = engine.distance(engine.indexOf(p), engine.indexOf(c));
        return d < 0 ? Integer.MAX_VALUE : d;
    }

    /// The segment list as one would type it back.
    public String segmentsText() {
        return String.join(",", segments.stream().map(Segment::toString).toList());
    }
}
