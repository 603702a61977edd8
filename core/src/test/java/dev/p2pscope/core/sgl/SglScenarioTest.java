package dev.p2pscope.core.sgl;

import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.topology.TopologySource;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/// The one SGL scenario the command and the SGL tab share: its input checks and its suggested default.
class SglScenarioTest {

    static Topology sample(String name) throws Exception {
        return TopologySource.sample(name).load().topology();
    }

    @Test
    void aPageFromAFunctionWithoutP2pmemCannotBeInAScatterlist() throws Exception {
        Topology t = sample("skylake-sp-2s-switch");
        SglScenario s = new SglScenario(PciAddress.parse("0000:1c:00.0"),
                List.of(Segment.p2p(PciAddress.parse("0000:1b:00.0"), 0, 4096)), DmaConfig.direct(), false);
        assertThatThrownBy(() -> s.run(t)).isInstanceOfSatisfying(SglScenario.InvalidInput.class,
                e -> assertThat(e.field()).isEqualTo(SglScenario.Field.SEGMENTS))
                .hasMessageContaining("0000:1b:00.0 has no p2pmem")
                .hasMessageContaining("0000:1a:00.0, 0000:86:00.0");
    }

    @Test
    void aMissingClientOrProviderIsNamed() throws Exception {
        Topology t = sample("skylake-sp-2s-switch");
        assertThatThrownBy(() -> new SglScenario(PciAddress.parse("0000:99:00.0"),
                List.of(Segment.host(0, 4096)), DmaConfig.direct(), false).check(t))
                .isInstanceOfSatisfying(SglScenario.InvalidInput.class,
                        e -> assertThat(e.field()).isEqualTo(SglScenario.Field.CLIENT));
        assertThatThrownBy(() -> SglScenario.parseSegments("p2p:1a:00.0+4096"))
                .isInstanceOf(SglScenario.InvalidInput.class).hasMessageContaining("p2p:BDF@OFFSET+LENGTH");
    }

    @Test
    void theSuggestionMapsAHostPageAndTheClosestPoolForTheSelectedClient() throws Exception {
        Topology t = sample("skylake-sp-2s-switch");
        // Client 1b:00.0 (a P4610 NVMe under the switch): the NoLoad on its own switch, not the one on socket 1.
        SglScenario s = SglScenario.suggest(t, null, PciAddress.parse("0000:1b:00.0")).orElseThrow();
        assertThat(s.segmentsText()).isEqualTo("host:0x100000+4096,p2p:0000:1a:00.0@0x0+8192");
        SglScenario.Result r = s.run(t);
        assertThat(r.table().ok()).isTrue();
        assertThat(r.text()).contains("PCI bus address");
        // An NVMe target's queue advertises P2PDMA, so O_DIRECT into the pool goes by bus address.
        assertThat(r.directIo()).hasValueSatisfying(o -> assertThat(o.result()).isEqualTo(DirectIo.Result.P2P_BUS_ADDR));
        // The selected provider when it has p2pmem; with nothing selected, a published pool and its nearest endpoint.
        assertThat(SglScenario.suggest(t, PciAddress.parse("0000:86:00.0"), PciAddress.parse("0000:1c:00.0"))
                .orElseThrow().segments().get(1).provider()).isEqualTo(PciAddress.parse("0000:86:00.0"));
        SglScenario none = SglScenario.suggest(t, null, null).orElseThrow();
        assertThat(none.client()).isNotEqualTo(none.segments().get(1).provider());
        assertThat(none.run(t).table().ok()).isTrue();
    }

    @Test
    void withoutAnyPoolTheSuggestionIsTheHostPageAlone() throws Exception {
        Topology t = sample("intel-desktop-unlisted");
        if (t.functions().stream().anyMatch(f -> f.p2pmem() != null)) return;
        assertThat(SglScenario.suggest(t, null, null).orElseThrow().segments()).containsExactly(SglScenario.DEFAULT_HOST);
    }

    /// The suggestion ranks candidates with the all-pairs engine; its choice must be one the per-pair engine ranks
    /// first too (smallest distance, a refused pair last), on every sample and on a generated tree.
    @Test
    void theSuggestedClientIsTheNearestByThePerPairEngine() throws Exception {
        List<Topology> trees = new java.util.ArrayList<>();
        for (String name : dev.p2pscope.core.samples.Samples.names()) trees.add(sample(name));
        trees.add(dev.p2pscope.core.generate.TopologyGenerator.generate(
                dev.p2pscope.core.generate.TopologyGenerator.Spec.forEndpoints(64, 7)));
        for (Topology t : trees) {
            SglScenario s = SglScenario.suggest(t, null, null).orElse(null);
            if (s == null || s.segments().size() < 2) continue;
            PciAddress p = s.segments().get(1).provider();
            dev.p2pscope.core.engine.P2pdmaEngine engine = new dev.p2pscope.core.engine.P2pdmaEngine(t);
            java.util.function.ToIntFunction<PciAddress> rank = c -> {
                var v = engine.decide(p, c, false);
                return v.mapType() == dev.p2pscope.core.engine.MapType.NOT_SUPPORTED || v.distance() < 0
                        ? Integer.MAX_VALUE : v.distance();
            };
            int best = t.functions().stream()
                    .filter(f -> f.kind() == dev.p2pscope.core.model.DeviceKind.ENDPOINT && !f.address().equals(p))
                    .mapToInt(f -> rank.applyAsInt(f.address())).min().orElseThrow();
            assertThat(rank.applyAsInt(s.client())).as(t.name()).isEqualTo(best);
        }
    }
}
