package dev.p2pscope.core.sgl;

import dev.p2pscope.core.engine.KernelSession;
import dev.p2pscope.core.engine.MapType;
import dev.p2pscope.core.engine.P2pdmaEngine;
import dev.p2pscope.core.model.AllowlistEntry;
import dev.p2pscope.core.model.KernelProfile;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.samples.Samples;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/// Properties of the mapping over random mixed lists (both profiles, both DMA implementations).
@Tag("slow")   // thousands of generated scatterlists
class SglPropertiesTest {

    static final PciAddress CLIENT = PciAddress.parse("0000:04:00.0");
    static final List<PciAddress> PROVIDERS = List.of(PciAddress.parse("0000:03:00.0"),
            PciAddress.parse("0000:04:00.0"), PciAddress.parse("0000:05:00.0"));
    static final long BUS_OFFSET = 0x4000_0000L;

    record Case(List<Segment> list, boolean iommu, KernelProfile profile, boolean allowHostBridge) { }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Segment> seg = Arbitraries.integers().between(0, 3).flatMap(kind -> {
            Arbitrary<Long> len = Arbitraries.longs().between(1, 24).map(n -> n * 512);
            Arbitrary<Long> addr = Arbitraries.longs().between(0, 4096).map(n -> n * 512);
            if (kind == 3) return Combinators.combine(addr, len).as((a, l) -> Segment.host(0x100_0000 + a, l));
            return Combinators.combine(addr, len).as((a, l) -> Segment.p2p(PROVIDERS.get(kind), a, l));
        });
        return Combinators.combine(seg.list().ofMinSize(1).ofMaxSize(12), Arbitraries.of(true, false),
                Arbitraries.of(KernelProfile.values()), Arbitraries.of(true, false)).as(Case::new);
    }

    static Topology topology(Case c) throws Exception {
        Topology t = Samples.load("qemu-q35-switch-cmb").topology().withKernel(c.profile());
        return c.allowHostBridge() ? t.withAllowlist(t.allowlist().add(AllowlistEntry.parse("8086:29c0"))) : t;
    }

    static SglMapper mapper(Topology t) {
        List<ProviderMemory> mem = new ArrayList<>();
        for (int i = 0; i < PROVIDERS.size(); i++) {
            mem.add(new ProviderMemory(PROVIDERS.get(i), 0x3800_0000_0000L + i * 0x1_0000_0000L, BUS_OFFSET));
        }
        return new SglMapper(t, new KernelSession(t), mem, true);
    }

    @Property(tries = 300)
    void aSuccessfulMapCoversExactlyTheInputBytes(@ForAll("cases") Case c) throws Exception {
        Topology t = topology(c);
        SgTable r = mapper(t).map(CLIENT, c.list(), c.iommu() ? DmaConfig.iommu() : DmaConfig.direct());
        if (!r.ok()) return;
        long in = c.list().stream().mapToLong(Segment::length).sum();
        assertThat(r.mappedBytes()).isEqualTo(in);
        List<Integer> covered = r.mapped().stream().flatMap(m -> m.inputs().stream()).toList();
        assertThat(covered).containsExactlyElementsOf(java.util.stream.IntStream.range(0, c.list().size()).boxed().toList());
    }

    @Property(tries = 300)
    void aBusAddressIsThePhysicalAddressPlusTheProvidersBusOffset(@ForAll("cases") Case c) throws Exception {
        Topology t = topology(c);
        SglMapper m = mapper(t);
        SgTable r = m.map(CLIENT, c.list(), c.iommu() ? DmaConfig.iommu() : DmaConfig.direct());
        for (SgTable.Mapped out : r.mapped()) {
            if (!out.busAddress()) continue;
            Segment s = c.list().get(out.inputs().getFirst());
            assertThat(out.dmaAddress()).isEqualTo(m.phys(s) + BUS_OFFSET);
        }
    }

    @Property(tries = 200)
    void anAllP2pBusAddressListAllocatesNoIova(@ForAll("cases") Case c) throws Exception {
        Topology t = topology(c);
        List<Segment> p2p = c.list().stream().map(s -> Segment.p2p(PROVIDERS.get(0), s.address(), s.length())).toList();
        SgTable r = mapper(t).map(CLIENT, p2p, DmaConfig.iommu());
        assertThat(r.ok()).isTrue();
        assertThat(r.trace()).contains("every entry is a bus address: no IOVA is allocated");
        assertThat(r.mapped()).allMatch(SgTable.Mapped::busAddress);
    }

    @Property(tries = 300)
    void aListMixingProvidersUsesEachProvidersOwnVerdict(@ForAll("cases") Case c) throws Exception {
        Topology t = topology(c);
        SgTable r = mapper(t).map(CLIENT, c.list(), c.iommu() ? DmaConfig.iommu() : DmaConfig.direct());
        P2pdmaEngine e = new P2pdmaEngine(t);
        boolean anyRefused = false;
        for (int i = 0; i < c.list().size(); i++) {
            Segment s = c.list().get(i);
            if (!s.isP2p()) continue;
            MapType type = e.decide(s.provider(), CLIENT, false).mapType();
            if (type == MapType.NOT_SUPPORTED) {
                anyRefused = true;
                continue;
            }
            if (r.ok()) {
                final int idx = i;
                SgTable.Mapped out = r.mapped().stream().filter(m -> m.inputs().contains(idx)).findFirst().orElseThrow();
                assertThat(out.busAddress()).isEqualTo(type == MapType.BUS_ADDR);
            }
        }
        assertThat(r.ok()).isEqualTo(!anyRefused);
    }

    @Property(tries = 300)
    void mapThenUnmapLeavesTheListAsItWas(@ForAll("cases") Case c) throws Exception {
        Topology t = topology(c);
        SglMapper m = mapper(t);
        SgTable r = m.map(CLIENT, c.list(), c.iommu() ? DmaConfig.iommu() : DmaConfig.direct());
        List<SgTable.Entry> restored = SglMapper.unmap(r, new ArrayList<>());
        for (int i = 0; i < c.list().size(); i++) {
            SgTable.Entry e = restored.get(i);
            assertThat(e.segment()).isEqualTo(c.list().get(i));
            assertThat(e.length()).isEqualTo(c.list().get(i).length());
            assertThat(e.phys()).isEqualTo(m.phys(c.list().get(i)));
            assertThat(e.marked()).isFalse();
        }
    }
}
