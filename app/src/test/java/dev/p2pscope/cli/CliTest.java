package dev.p2pscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/// Every command's text and JSON output and its exit codes, through picocli's writers (no System.out).
class CliTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return MAPPER.readTree(out);
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = P2pCommand.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void registeringOnlyTheCommandRunKeepsUsageHelpAndSuggestionsWhole() {
        // A run of one command builds only that command's model; usage, help COMMAND and a misspelt command still
        // know every command.
        Run usage = run("--help");
        assertThat(usage.code()).isZero();
        for (String c : new String[] {"check", "export", "find-provider", "matrix", "samples", "sgl", "snapshot",
                "tree", "bench", "copy", "generate", "help"}) {
            assertThat(usage.out()).containsPattern("(?m)^\\s+" + c + "\\s");
        }
        Run help = run("help", "tree");
        assertThat(help.code()).isZero();
        assertThat(help.out()).startsWith("Usage: p2pscope tree");
        Run misspelt = run("chek");
        assertThat(misspelt.code()).isEqualTo(2);
        assertThat(misspelt.err()).contains("Did you mean").contains("p2pscope check");
        Run own = run("tree", "--help");
        assertThat(own.code()).isZero();
        assertThat(own.out()).startsWith("Usage: p2pscope tree");
    }

    @Test
    void checkJsonHasExactlyTheContractShape() throws Exception {
        Run r = run("check", "--sample", "acs-redirect-switch", "--provider", "0000:03:00.0",
                "--client", "0000:04:00.0", "--allow", "8086:3e30", "--json");
        assertThat(r.code()).isZero();
        assertThat(r.out().trim()).isEqualTo("""
                {"provider":"0000:03:00.0","client":"0000:04:00.0","kernel":"newest",\
                "mapType":"THRU_HOST_BRIDGE","distance":4,"calcDistance":4,\
                "acsRedirect":["0000:02:08.0","0000:02:09.0"],\
                "path":["0000:03:00.0","0000:02:08.0","0000:01:00.0","0000:02:09.0","0000:04:00.0"],\
                "warnings":["0000:04:00.0: ACS redirect is set between the client and provider (0000:03:00.0)",\
                "0000:04:00.0: to disable ACS redirect for this path, add the kernel parameter: \
                pci=disable_acs_redir=0000:02:08.0;0000:02:09.0"],\
                "route":[{"hop":"provider","function":"0000:03:00.0"},{"hop":"up","function":"0000:02:08.0"},\
                {"hop":"up","function":"0000:01:00.0"},{"hop":"up","function":"0000:00:01.0"},\
                {"hop":"host_bridge","rootBus":"0000:00","function":"0000:00:00.0"},\
                {"hop":"down","function":"0000:00:01.0"},{"hop":"down","function":"0000:01:00.0"},\
                {"hop":"down","function":"0000:02:09.0"},{"hop":"client","function":"0000:04:00.0"}]}""");
    }

    @Test
    void checkTextDrawsThePathAndQuotesTheKernel() {
        Run r = run("check", "--sample", "acs-redirect-switch", "--provider", "03:00.0", "--client", "04:00.0");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("map type  NOT_SUPPORTED")
                .contains("kernel's path (distance 4, via common bridge 0000:01:00.0)")
                .containsPattern("host\\s+-- host bridge of root bus 0000:00: 0000:00:00.0 8086:3e30 --  not on the "
                        + "allowlist  <- refused here")
                .contains("0000:00:00.0: Host bridge not in P2PDMA whitelist: 8086:3e30")
                .contains("pci=disable_acs_redir=0000:02:08.0;0000:02:09.0");
    }

    @Test
    void checkWithSeveralClientsIsDistanceMany() throws Exception {
        Run r = run("check", "--sample", "skylake-sp-2s-switch", "--provider", "0000:1a:00.0",
                "--client", "0000:1b:00.0,0000:1c:00.0", "--json");
        JsonNode j = r.json();
        assertThat(j.get("distance").asInt()).isEqualTo(8);
        assertThat(j.get("clients")).hasSize(2);
        assertThat(j.get("results")).hasSize(2);
        assertThat(j.get("results").get(1).get("mapType").asText()).isEqualTo("BUS_ADDR");

        Run refused = run("check", "--sample", "skylake-sp-2s-switch", "--provider", "0000:1a:00.0",
                "--client", "0000:1b:00.0,0000:3b:00.0", "--deny", "8086:2030", "--json");
        assertThat(refused.json().get("distance").asInt()).isEqualTo(-1);
    }

    @Test
    void whatIfOptionsChangeTheVerdict() throws Exception {
        String[] base = {"check", "--sample", "amd-epyc-rome", "--provider", "01:00.0", "--client", "21:00.0",
                "--json"};
        assertThat(run(base).json().get("mapType").asText()).isEqualTo("THRU_HOST_BRIDGE");
        List<String> pre = new ArrayList<>(List.of(base));
        pre.addAll(List.of("--cpu", "AuthenticAMD:0x15"));
        JsonNode j = run(pre.toArray(String[]::new)).json();
        assertThat(j.get("mapType").asText()).isEqualTo("NOT_SUPPORTED");
        assertThat(j.get("distance").asInt()).isEqualTo(-1);
        assertThat(j.get("calcDistance").asInt()).isEqualTo(4);
    }

    @Test
    void matrixJsonIsRowProviderColumnClient() throws Exception {
        Run r = run("matrix", "--sample", "qemu-q35-switch-cmb", "--devices", "03:00.0,04:00.0,05:00.0", "--json");
        assertThat(r.code()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("devices").toString()).isEqualTo("[\"0000:03:00.0\",\"0000:04:00.0\",\"0000:05:00.0\"]");
        assertThat(j.get("mapType").toString()).isEqualTo("[[\"BUS_ADDR\",\"BUS_ADDR\",\"NOT_SUPPORTED\"],"
                + "[\"BUS_ADDR\",\"BUS_ADDR\",\"NOT_SUPPORTED\"],"
                + "[\"NOT_SUPPORTED\",\"NOT_SUPPORTED\",\"BUS_ADDR\"]]");
        assertThat(j.get("distance").toString()).isEqualTo("[[0,4,-1],[4,0,-1],[-1,-1,0]]");
    }

    @Test
    void matrixTextHasALegendAndDefaultsToEndpoints() {
        Run r = run("matrix", "--sample", "hgx-8gpu-8nic");
        assertThat(r.out()).contains("Legend").contains("BUS 4").contains("HB 8")
                .doesNotContain("19:00.0 ");   // a switch port is not a default device
        assertThat(r.out().lines().filter(l -> l.matches("^[0-9a-f]{2}:.*"))).hasSize(16);
    }

    @Test
    void findProviderPicksTheClosestAndIsRepeatableWithASeed() throws Exception {
        Run r = run("find-provider", "--sample", "skylake-sp-2s-switch", "--clients", "1c:00.0,1d:00.0",
                "--seed", "7", "--json");
        JsonNode j = r.json();
        assertThat(j.get("candidates").toString()).isEqualTo(
                "[{\"provider\":\"0000:1a:00.0\",\"distance\":8},{\"provider\":\"0000:86:00.0\",\"distance\":12}]");
        assertThat(j.get("closest").toString()).isEqualTo("[\"0000:1a:00.0\"]");
        assertThat(j.get("chosen").asText()).isEqualTo("0000:1a:00.0");
        assertThat(run("find-provider", "--sample", "skylake-sp-2s-switch", "--clients", "1c:00.0,1d:00.0",
                "--seed", "7", "--json").out()).isEqualTo(r.out());
        // The text names the clients by BDF, as the kernel does.
        assertThat(run("find-provider", "--sample", "skylake-sp-2s-switch", "--clients", "1c:00.0,1d:00.0",
                "--seed", "7").out()).startsWith("clients: 0000:1c:00.0, 0000:1d:00.0\n");
    }

    @Test
    void findProviderWithNoCompatibleProviderChoosesNull() throws Exception {
        JsonNode j = run("find-provider", "--sample", "intel-desktop-unlisted", "--clients", "03:00.0",
                "--json").json();
        assertThat(j.get("candidates").get(0).get("distance").asInt()).isEqualTo(-1);
        assertThat(j.get("chosen").isNull()).isTrue();
    }

    /// Without bridge bus numbers (the sample has none) a range is the bus the children sit on, as lspci draws
    /// a tree whose config space it cannot read.
    @Test
    void treeNumericIsDrawnLikeLspci() {
        Run r = run("tree", "--sample", "qemu-q35-switch-cmb", "--numeric");
        assertThat(r.out()).isEqualTo("""
                -[0000:00]-+-00.0  8086:29c0
                           +-04.0-[01]----00.0-[02]--+-00.0-[03]----00.0  1b36:0010
                           |                         \\-01.0-[04]----00.0  1b36:0010
                           +-05.0-[05]----00.0  1b36:0010
                           +-06.0  1af4:1001
                           +-1f.0  8086:2918
                           +-1f.2  8086:2922
                           \\-1f.3  8086:2930
                """);
    }

    @Test
    void samplesListsNameThenTitle() {
        Run r = run("samples");
        assertThat(r.out().lines()).hasSizeGreaterThanOrEqualTo(8)
                .anySatisfy(l -> assertThat(l).startsWith("qemu-q35-switch-cmb").contains("QEMU q35"));
    }

    @Test
    void exportWritesJsonThatReadsBackAndDot(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("t.json");
        assertThat(run("export", "--sample", "intel-desktop-unlisted", "--allow", "8086:4668", "--format", "json",
                "-o", json.toString()).code()).isZero();
        assertThat(Files.readString(json)).contains("\"add\" : [ \"8086:4668\" ]");
        Run again = run("check", "--topology", json.toString(), "--provider", "02:00.0", "--client", "03:00.0",
                "--json");
        assertThat(again.json().get("mapType").asText()).isEqualTo("THRU_HOST_BRIDGE");
        assertThat(run("export", "--sample", "intel-desktop-unlisted", "--format", "dot", "-o", "-").out())
                .startsWith("digraph pci {");
    }

    @Test
    void aBdfNotInTheTopologyIsAUsageError() {
        Run r = run("check", "--sample", "amd-epyc-rome", "--provider", "0000:99:00.0", "--client", "01:00.0");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("no function 0000:99:00.0");
    }

    @Test
    void aMissingOptionIsAUsageError() {
        assertThat(run("check", "--sample", "amd-epyc-rome", "--client", "01:00.0").code())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(run("check", "--provider", "01:00.0", "--client", "01:00.0").code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aBrokenFileIsBadInputWithOneLinePerProblem(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"format\": \"p2pscope-topology/1\",\n \"devices\": [{\"bdf\": \"x\"}]}");
        Run r = run("tree", "--topology", bad.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err().lines()).allSatisfy(l -> assertThat(l).startsWith(bad + ":2:"))
                .anySatisfy(l -> assertThat(l).contains("devices[0].bdf"))
                .anySatisfy(l -> assertThat(l).contains("devices[0].kind"));
    }

    @Test
    void anUnknownSampleIsBadInputNamingTheSamples() {
        Run r = run("tree", "--sample", "nope");
        assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(r.err()).contains("no sample named 'nope'").contains("amd-epyc-rome");
    }

    @Test
    void noSubcommandPrintsUsage() {
        Run r = run();
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Usage: p2pscope").contains("check").contains("matrix");
    }
}
