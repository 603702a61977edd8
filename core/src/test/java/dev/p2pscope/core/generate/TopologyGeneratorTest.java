package dev.p2pscope.core.generate;

import dev.p2pscope.core.model.DeviceKind;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.topology.TopologyJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopologyGeneratorTest {

    @Test
    void theSameSpecAndSeedGiveTheSameTopology() {
        var spec = TopologyGenerator.Spec.forEndpoints(300, 5);
        assertThat(TopologyJson.write(TopologyGenerator.generate(spec)))
                .isEqualTo(TopologyJson.write(TopologyGenerator.generate(spec)));
        assertThat(TopologyJson.write(TopologyGenerator.generate(TopologyGenerator.Spec.forEndpoints(300, 6))))
                .isNotEqualTo(TopologyJson.write(TopologyGenerator.generate(spec)));
    }

    @Test
    void forEndpointsReachesTheAskedSizeAcrossDomains() {
        Topology t = TopologyGenerator.generate(TopologyGenerator.Spec.forEndpoints(4096, 1));
        long endpoints = t.functions().stream().filter(f -> f.kind() == DeviceKind.ENDPOINT).count();
        assertThat(endpoints).isBetween(4096L, 4096L + 3 * 64);   // whole root complexes of 3 ports
        assertThat(t.rootBuses().size()).isGreaterThan(10);
    }

    @Test
    void tooManyBusesInOneRootComplexIsAClearError() {
        assertThatThrownBy(() -> TopologyGenerator.generate(new TopologyGenerator.Spec(1, 8, 2, 8, 1, 0, 0, 0,
                new dev.p2pscope.core.model.PciId(0x8086, 0x09a2), dev.p2pscope.core.model.Cpu.UNKNOWN, 1)))
                .hasMessageContaining("more than 256 buses");
    }
}
