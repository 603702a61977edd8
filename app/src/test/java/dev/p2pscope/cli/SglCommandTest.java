package dev.p2pscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static dev.p2pscope.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;

class SglCommandTest {

    @Test
    void jsonGivesEachSegmentInAndOutNentsAndNoError() throws Exception {
        JsonNode j = run("sgl", "--sample", "qemu-q35-switch-cmb", "--client", "04:00.0", "--segments",
                "host:0x100000+4096,p2p:0000:03:00.0@0+8192", "--iommu", "on", "--json").json();
        assertThat(j.get("segments")).hasSize(2);
        assertThat(j.get("segments").get(1).get("marked").asBoolean()).isTrue();
        assertThat(j.get("mapped").get(1).get("flags").toString()).isEqualTo("[\"BUS_ADDRESS\"]");
        assertThat(j.get("nents").asInt()).isEqualTo(2);
        assertThat(j.get("error").isNull()).isTrue();
        assertThat(j.get("nvme").get("layout").asText()).isEqualTo("PRP");
    }

    @Test
    void aRefusedPageIsEremoteioAndTheProfilesBlockStatus() throws Exception {
        JsonNode j = run("sgl", "--sample", "qemu-q35-switch-cmb", "--client", "04:00.0", "--segments",
                "p2p:0000:05:00.0@0+4096", "--kernel", "5.15", "--json").json();
        assertThat(j.get("error").get("errno").asText()).isEqualTo("EREMOTEIO");
        assertThat(j.get("error").get("sgtableReturn").asInt()).isEqualTo(-121);
        assertThat(j.get("error").get("mapSgReturn").asInt()).isZero();
        assertThat(j.get("nvme").get("blkStatus").asText()).isEqualTo("BLK_STS_TARGET");
    }

    @Test
    void textShowsTheTableAndTheNvmeLayout() {
        CliTest.Run r = run("sgl", "--sample", "qemu-q35-switch-cmb", "--client", "04:00.0", "--segments",
                "p2p:03:00.0@0x800+4096");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("PCI bus address").contains("PRP1 = 0x380000000800")
                .contains("PRP2 = 0x380000001000");
        assertThat(run("sgl", "--sample", "qemu-q35-switch-cmb", "--client", "04:00.0", "--segments", "oops").code())
                .isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void aP2pPageFromAFunctionWithoutP2pmemIsRefusedAsInput() {
        // 00:1f.2 (the SATA controller) registered no p2pmem pool, so no page of it can be in a scatterlist: the
        // input is wrong, not the kernel's mapping (which would have said EREMOTEIO).
        CliTest.Run r = run("sgl", "--sample", "qemu-q35-switch-cmb", "--client", "04:00.0", "--segments",
                "p2p:00:1f.2@0+4096");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--segments: 0000:00:1f.2 has no p2pmem").contains("0000:03:00.0")
                .doesNotContain("EREMOTEIO");
        CliTest.Run past = run("sgl", "--sample", "qemu-q35-switch-cmb", "--client", "04:00.0", "--segments",
                "p2p:03:00.0@0x3fff000+8192");
        assertThat(past.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(past.err()).contains("past the end of 0000:03:00.0's p2pmem pool");
    }
}
