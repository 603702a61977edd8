package dev.p2pscope.core.samples;

import dev.p2pscope.core.engine.P2pdmaEngine;
import dev.p2pscope.core.engine.Verdict;
import dev.p2pscope.core.model.Edit;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.topology.LoadResult;
import dev.p2pscope.core.topology.TopologyJson;
import dev.p2pscope.core.whatif.WhatIf;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/// Every bundled sample loads cleanly, has a lesson, and every verdict its lesson's tour claims is what the
/// engine decides (with the tour step's what-if edits applied).
class SamplesTest {

    @Test
    void indexListsExactlyTheSampleFiles() throws IOException {
        Path dir = Path.of("..", "samples");
        List<String> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList();
        }
        assertThat(Samples.names()).containsExactlyInAnyOrderElementsOf(files).hasSizeGreaterThanOrEqualTo(8);
    }

    @TestFactory
    Stream<DynamicTest> everySampleLoadsWithALessonAndATour() {
        return Samples.names().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            LoadResult r = Samples.load(name);
            assertThat(r.notices()).isEmpty();
            assertThat(r.topology().name()).isNotBlank();
            assertThat(r.topology().description()).contains("**Lesson");
            assertThat(tour(r.topology())).hasSizeGreaterThanOrEqualTo(3);
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyClaimOfEveryLessonHolds() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : Samples.names()) {
            Topology t = Samples.load(name).topology();
            for (Map<String, Object> step : tour(t)) {
                tests.add(DynamicTest.dynamicTest(name + ": " + step.get("says"), () -> {
                    Topology edited = WhatIf.apply(t, edits(step));
                    Verdict v = new P2pdmaEngine(edited).decide(PciAddress.parse((String) step.get("provider")),
                            PciAddress.parse((String) step.get("client")));
                    assertThat(v.mapType().name()).as(v.reason()).isEqualTo(step.get("mapType"));
                    assertThat(v.distance()).isEqualTo(((Number) step.get("distance")).intValue());
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> everySampleSurvivesAJsonRoundTrip() {
        return Samples.names().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Topology t = Samples.load(name).topology();
            String once = TopologyJson.write(t);
            String twice = TopologyJson.write(TopologyJson.read(once, name).topology());
            assertThat(twice).isEqualTo(once);
        }));
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> tour(Topology t) {
        Object tour = t.extra().get("tour");
        return tour == null ? List.of() : (List<Map<String, Object>>) tour;
    }

    @SuppressWarnings("unchecked")
    static List<Edit> edits(Map<String, Object> step) {
        Map<String, Object> w = (Map<String, Object>) step.getOrDefault("whatIf", Map.of());
        List<String> acs = new ArrayList<>();
        ((Map<String, String>) w.getOrDefault("acs", Map.of())).forEach((k, v) -> acs.add(k + "=" + v));
        return WhatIf.of((String) w.get("kernel"), (String) w.get("cpu"), (List<String>) w.get("allow"),
                (List<String>) w.get("deny"), acs);
    }
}
