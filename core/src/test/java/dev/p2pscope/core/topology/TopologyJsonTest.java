package dev.p2pscope.core.topology;

import dev.p2pscope.core.model.Acs;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.Topology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TopologyJsonTest {

    private static final String GOOD = """
            {
              "format": "p2pscope-topology/1",
              "name": "t",
              "cpu": {"vendor": "GenuineIntel", "family": 6},
              "futureTopKey": {"a": [1, 2]},
              "devices": [
                {"bdf": "0000:00:00.0", "id": "8086:2020", "kind": "host_bridge", "parent": null},
                {"bdf": "0000:00:01.0", "id": "8086:2030", "kind": "root_port", "parent": null, "acs": "0x000d",
                 "acsCap": "0x005f"},
                {"bdf": "0000:01:00.0", "id": "1de5:3000", "kind": "endpoint", "parent": "0000:00:01.0",
                 "p2pmem": {"size": 1024, "available": 512, "published": true},
                 "cmb": {"cmbloc": "0x00000002", "cmbsz": "0x0001001f"}, "vendorSpecific": "kept"},
                {"bdf": "10000:00:04.0", "id": "1234:5678", "kind": "rciep", "parent": null}
              ]
            }
            """;

    @Test
    void readsEveryFieldAndKeepsUnknownKeysAsNotices() throws Exception {
        LoadResult r = TopologyJson.read(GOOD, "good.json");
        Topology t = r.topology();
        assertThat(t.size()).isEqualTo(4);
        assertThat(t.require(PciAddress.parse("0000:00:01.0")).acs()).isEqualTo(new Acs.Present(0x000d, 0x005f));
        // SZU 0 (4 KiB units) x SZ 0x10: the spec example decodes to 64 KiB.
        assertThat(t.require(PciAddress.parse("0000:01:00.0")).cmb().sizeBytes()).isEqualTo(64L << 10);
        assertThat(t.function(PciAddress.parse("10000:00:04.0"))).isPresent();
        assertThat(r.notices()).extracting(LoadProblem::location)
                .containsExactlyInAnyOrder("futureTopKey", "devices[2].vendorSpecific");
    }

    @Test
    void unknownKeysSurviveARoundTrip() throws Exception {
        String written = TopologyJson.write(TopologyJson.read(GOOD, "good.json").topology());
        assertThat(written).contains("\"futureTopKey\"").contains("\"vendorSpecific\" : \"kept\"");
        assertThat(TopologyJson.write(TopologyJson.read(written, "again").topology())).isEqualTo(written);
    }

    @Test
    void malformedJsonIsOneProblemWithLineAndColumn() {
        TopologyLoadException e = catchThrowableOfType(TopologyLoadException.class,
                () -> TopologyJson.read("{\n  \"format\": \"p2pscope-topology/1\",\n  \"devices\": [,]\n}", "bad.json"));
        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().getFirst().line()).isEqualTo(3);
        assertThat(e.problems().getFirst().toString()).startsWith("bad.json:3:").contains("malformed JSON");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            wrong format         | "format": "p2pscope-topology/2"                               | format            | format must be
            malformed BDF        | "devices": [{"bdf": "0:0:0", "id": "8086:2020", "kind": "endpoint", "parent": null}] | devices[0].bdf | malformed BDF
            malformed ID         | "devices": [{"bdf": "0000:00:00.0", "id": "808:2020", "kind": "endpoint", "parent": null}] | devices[0].id | malformed ID
            unknown kind         | "devices": [{"bdf": "0000:00:00.0", "id": "8086:2020", "kind": "gpu", "parent": null}] | devices[0].kind | unknown kind
            missing parent key   | "devices": [{"bdf": "0000:00:00.0", "id": "8086:2020", "kind": "endpoint"}] | devices[0].parent | missing required key 'parent'
            missing id           | "devices": [{"bdf": "0000:00:00.0", "kind": "endpoint", "parent": null}] | devices[0].id | missing required key 'id'
            parent missing       | "devices": [{"bdf": "0000:01:00.0", "id": "8086:2020", "kind": "endpoint", "parent": "0000:00:01.0"}] | devices[0].parent | does not exist
            parent not a bridge  | "devices": [{"bdf": "0000:00:01.0", "id": "8086:2020", "kind": "endpoint", "parent": null}, {"bdf": "0000:01:00.0", "id": "8086:2020", "kind": "endpoint", "parent": "0000:00:01.0"}] | devices[1].parent | not a bridge
            duplicate BDF        | "devices": [{"bdf": "0000:00:00.0", "id": "8086:2020", "kind": "endpoint", "parent": null}, {"bdf": "0000:00:00.0", "id": "8086:2020", "kind": "endpoint", "parent": null}] | devices[1].bdf | duplicate BDF
            cycle                | "devices": [{"bdf": "0000:01:00.0", "id": "8086:2020", "kind": "switch_up", "parent": "0000:02:00.0"}, {"bdf": "0000:02:00.0", "id": "8086:2020", "kind": "switch_down", "parent": "0000:01:00.0"}] | devices[0].parent | cycle
            vf without physfn    | "devices": [{"bdf": "0000:00:00.0", "id": "8086:2020", "kind": "vf", "parent": null}] | devices[0].physfn | physfn
            vf with bad physfn   | "devices": [{"bdf": "0000:00:00.1", "id": "8086:2020", "kind": "vf", "parent": null, "physfn": "0000:00:00.0"}] | devices[0].physfn | does not exist
            missing devices      | "name": "x"                                                   | devices           | missing required key 'devices'
            """)
    void eachProblemOfTheSpecNamesItsLocation(String title, String body, String location, String message) {
        String text = body.startsWith("\"format\"") ? "{" + body + ", \"devices\": []}"
                : "{\"format\": \"p2pscope-topology/1\", " + body + "}";
        TopologyLoadException e = catchThrowableOfType(TopologyLoadException.class,
                () -> TopologyJson.read(text, "t.json"));
        assertThat(e).as(title).isNotNull();
        assertThat(e.problems()).anySatisfy(p -> {
            assertThat(p.location()).isEqualTo(location);
            assertThat(p.message()).contains(message);
            assertThat(p.line()).isPositive();
        });
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        String text = """
                {"format": "p2pscope-topology/1", "devices": [
                  {"bdf": "zz", "id": "8086:2020", "kind": "endpoint", "parent": null},
                  {"bdf": "0000:00:01.0", "id": "nope", "kind": "endpoint", "parent": null},
                  {"bdf": "0000:00:02.0", "id": "8086:2020", "kind": "alien", "parent": null}
                ]}""";
        TopologyLoadException e = catchThrowableOfType(TopologyLoadException.class,
                () -> TopologyJson.read(text, "t.json"));
        assertThat(e.problems()).extracting(LoadProblem::location)
                .containsExactly("devices[0].bdf", "devices[1].id", "devices[2].kind");
        assertThat(e.problems()).extracting(LoadProblem::line).containsExactly(2, 3, 4);
    }

    @Test
    void aNonObjectDocumentIsRefused() {
        assertThatThrownBy(() -> TopologyJson.read("[1,2]", "arr.json")).isInstanceOf(TopologyLoadException.class)
                .hasMessageContaining("a topology file is a JSON object");
    }

    @Test
    void displayLocationTurnsPointersIntoPaths() {
        assertThat(TopologyJson.displayLocation("/devices/4/parent")).isEqualTo("devices[4].parent");
        assertThat(TopologyJson.displayLocation("/cpu/vendor")).isEqualTo("cpu.vendor");
        assertThat(List.of(TopologyJson.displayLocation(""))).containsExactly("");
    }
}
