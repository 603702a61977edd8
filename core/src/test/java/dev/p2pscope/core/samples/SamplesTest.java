package dev.p2pscope.core.samples;

import dev.p2pscope.core.text.VerdictText;
import dev.p2pscope.core.engine.P2pdmaEngine;
import dev.p2pscope.core.engine.Verdict;
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
            assertThat(Tour.of(r.topology())).hasSizeGreaterThanOrEqualTo(3);
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyClaimOfEveryLessonHolds() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : Samples.names()) {
            Topology t = Samples.load(name).topology();
            for (Tour.Step step : Tour.of(t)) {
                tests.add(DynamicTest.dynamicTest(name + ": " + step.says(), () -> {
                    Topology edited = WhatIf.apply(t, step.edits());
                    Verdict v = new P2pdmaEngine(edited).decide(step.provider(), step.client());
                    assertThat(v.mapType()).as(VerdictText.reason(v)).isEqualTo(step.expected());
                    assertThat(v.distance()).isEqualTo(step.distance());
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
}
