package dev.p2pscope.core.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.p2pscope.core.model.KernelProfile;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.topology.TopologyJson;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/// Every vector of `kernel-vectors.json` (a copy of shared/reference, checked against the kernel's own C), under
/// both kernel profiles: map type, calc distance, distance, the ACS list and the exact warning lines.
class KernelVectorsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static JsonNode vectors() throws IOException {
        try (InputStream in = KernelVectorsTest.class.getResourceAsStream("kernel-vectors.json")) {
            return MAPPER.readTree(in);
        }
    }

    static Topology topology(JsonNode topo, KernelProfile profile) throws Exception {
        ObjectNode copy = topo.deepCopy();
        copy.put("format", TopologyJson.FORMAT);
        copy.put("kernel", profile.id());
        return TopologyJson.read(MAPPER.writeValueAsString(copy), "vector").topology();
    }

    @TestFactory
    Stream<DynamicTest> everyPairVectorUnderBothProfiles() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : vectors().get("vectors")) {
            for (KernelProfile profile : KernelProfile.values()) {
                JsonNode expected = profile == KernelProfile.V5_15 && v.has("expected_v5_15")
                        ? v.get("expected_v5_15") : v.get("expected");
                tests.add(DynamicTest.dynamicTest(v.get("id").asText() + " " + profile + ": "
                        + v.get("title").asText(), () -> {
                    Topology t = topology(v.get("topology"), profile);
                    Verdict verdict = new P2pdmaEngine(t).decide(PciAddress.parse(v.get("provider").asText()),
                            PciAddress.parse(v.get("client").asText()), true);
                    assertThat(verdict.mapType().name()).isEqualTo(expected.get("map_type").asText());
                    assertThat(verdict.calcDistance()).isEqualTo(expected.get("calc_dist").asInt());
                    assertThat(verdict.distance()).isEqualTo(expected.get("distance").asInt());
                    assertThat(verdict.details().acsList()).isEqualTo(expected.get("acs_list").asText());
                    List<String> warnings = new ArrayList<>();
                    expected.get("warnings").forEach(w -> warnings.add(w.asText()));
                    assertThat(verdict.warnings()).map(KernelMessage::toString).containsExactlyElementsOf(warnings);
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> distanceManyAndFindManyVectors() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode m : vectors().get("multi")) {
            tests.add(DynamicTest.dynamicTest(m.get("id").asText() + ": " + m.get("why").asText(), () -> {
                Topology t = topology(m.get("topology"), KernelProfile.NEWEST);
                List<DmaClient> clients = new ArrayList<>();
                for (JsonNode c : m.get("clients")) {
                    String s = c.asText();
                    clients.add(s.startsWith("platform:") ? new DmaClient.Other(s.substring(9), null)
                            : DmaClient.pci(PciAddress.parse(s)));
                }
                P2pdmaEngine engine = new P2pdmaEngine(t);
                if (m.get("kind").asText().equals("distance_many")) {
                    ManyResult r = engine.distanceMany(PciAddress.parse(m.get("provider").asText()), clients, true);
                    assertThat(r.distance()).isEqualTo(m.get("expected_distance").asInt());
                    if (m.has("expected_warning")) {
                        assertThat(r.messages()).map(KernelMessage::toString)
                                .containsExactly(m.get("expected_warning").asText());
                    }
                } else {
                    Topology published = publish(t, m.get("published_providers"));
                    List<String> expected = new ArrayList<>();
                    m.get("expected_candidates").forEach(c -> expected.add(c.asText()));
                    for (int seed = 0; seed < 8; seed++) {
                        ProviderChoice choice = new P2pdmaEngine(published).findMany(clients,
                                new SplittableRandom(seed));
                        assertThat(choice.closest()).map(PciAddress::toString)
                                .containsExactlyInAnyOrderElementsOf(expected);
                        if (expected.isEmpty()) {
                            assertThat(choice.chosen()).isNull();
                        } else {
                            assertThat(choice.bestDistance()).isEqualTo(m.get("expected_min_distance").asInt());
                            assertThat(expected).contains(choice.chosen().toString());
                        }
                    }
                }
            }));
        }
        return tests.stream();
    }

    static Topology publish(Topology t, JsonNode providers) {
        Topology out = t;
        for (JsonNode p : providers) {
            var f = out.require(PciAddress.parse(p.asText()));
            out = out.withFunction(f.toBuilder()
                    .p2pmem(new dev.p2pscope.core.model.P2pMem(1 << 26, 1 << 26, true)).build());
        }
        return out;
    }
}
