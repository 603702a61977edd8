package dev.p2pscope.core.samples;

import dev.p2pscope.core.engine.MapType;
import dev.p2pscope.core.model.Edit;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.whatif.WhatIf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/// A sample's guided tour (the `tour` key of `samples/*.json`): pairs a teacher walks through in order, each with
/// what it shows, the verdict it expects, and the what-if edits it needs.
public final class Tour {

    private Tour() {
    }

    /// One step.
    ///
    /// @param provider the pair's provider
    /// @param client   the pair's client
    /// @param expected the map type the step claims (its claims are checked against the engine by the tests)
    /// @param distance the distance it claims
    /// @param says     what the step shows, in a sentence
    /// @param edits    what-if edits the step needs (empty for the topology as loaded)
    public record Step(PciAddress provider, PciAddress client, MapType expected, int distance, String says,
                       List<Edit> edits) {
        public Step {
            edits = List.copyOf(edits);
        }

        /// "drive to drive through the switch: 0000:1a:00.0 → 0000:1b:00.0, BUS_ADDR, distance 4".
        public String describe() {
            return String.format(Locale.ROOT, "%s: %s \u2192 %s, %s, distance %d%s", says, provider, client, expected,
                    distance, edits.isEmpty() ? "" : " (what-if: " + String.join(", ",
                            edits.stream().map(Edit::describe).toList()) + ")");
        }
    }

    /// The tour of `t`, empty when it has none.
    ///
    /// @throws IllegalArgumentException when a step is malformed (the bundled samples are checked by the tests)
    @SuppressWarnings("unchecked")
    public static List<Step> of(Topology t) {
        if (!(t.extra().get("tour") instanceof List<?> raw)) return List.of();
        List<Step> out = new ArrayList<>();
        for (Object o : raw) {
            if (!(o instanceof Map<?, ?> m)) throw new IllegalArgumentException("a tour step is an object");
            Map<String, Object> step = (Map<String, Object>) m;
            Map<String, Object> w = (Map<String, Object>) step.getOrDefault("whatIf", Map.of());
            List<String> acs = new ArrayList<>();
            ((Map<String, String>) w.getOrDefault("acs", Map.of())).forEach((k, v) -> acs.add(k + "=" + v));
            List<Edit> edits = WhatIf.of((String) w.get("kernel"), (String) w.get("cpu"),
                    (List<String>) w.get("allow"), (List<String>) w.get("deny"), acs);
            out.add(new Step(PciAddress.parse((String) step.get("provider")), PciAddress.parse((String) step.get("client")),
                    MapType.valueOf((String) step.get("mapType")), ((Number) step.get("distance")).intValue(),
                    (String) step.get("says"), edits));
        }
        return List.copyOf(out);
    }
}
