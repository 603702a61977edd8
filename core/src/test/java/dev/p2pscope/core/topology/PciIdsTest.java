package dev.p2pscope.core.topology;

import dev.p2pscope.core.model.PciId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/// Names from a pci.ids file, as lspci words them: "Vendor Device", or "Vendor Device XXXX" (four lower-case hex
/// digits) for a device the file does not list, and nothing for an unknown vendor.
class PciIdsTest {

    @Test
    void namesKnownAndUnknownDevicesAsLspciDoes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("pci.ids");
        Files.writeString(file, """
                # comment
                1de5  Eideticom, Inc
                \t3000  NoLoad Hardware Development Kit
                8086  Intel Corporation
                \t2030  Sky Lake-E PCI Express Root Port A
                """);
        PciIds ids = PciIds.read(file);
        assertThat(ids.name(new PciId(0x1de5, 0x3000))).contains("Eideticom, Inc NoLoad Hardware Development Kit");
        assertThat(ids.name(new PciId(0x1de5, 0x3001))).contains("Eideticom, Inc Device 3001");
        assertThat(ids.name(new PciId(0x8086, 0x000a))).contains("Intel Corporation Device 000a");
        assertThat(ids.name(new PciId(0x8086, 0xffff))).contains("Intel Corporation Device ffff");
        assertThat(ids.name(new PciId(0x10de, 0x2330))).isEmpty();
    }
}
