package dev.p2pscope.core.topology;

import dev.p2pscope.core.model.PciId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/// Names from a pci.ids file, as lspci words them: "Vendor Device", or "Vendor Device XXXX" (four lower-case hex
/// digits) for a device the file does not list, and nothing for an unknown vendor. The lazily read index answers
/// as parsing the whole file line by line into maps did.
class PciIdsTest {

    @TempDir
    Path dir;

    @Test
    void namesKnownAndUnknownDevicesAsLspciDoes() throws IOException {
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
        assertThat(ids.isEmpty()).isFalse();
        assertThat(PciIds.empty().isEmpty()).isTrue();
    }

    /// The whole-file parse the index replaced.
    static final class Reference {
        final Map<Integer, String> vendors = new HashMap<>();
        final Map<Integer, String> devices = new HashMap<>();

        Reference(String text) throws IOException {
            BufferedReader r = new BufferedReader(new StringReader(text));
            int vendor = -1;
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isEmpty() || line.startsWith("#")) continue;
                if (line.startsWith("C ")) break;
                if (line.startsWith("\t\t")) continue;
                try {
                    if (line.charAt(0) == '\t') {
                        if (vendor >= 0 && line.length() > 7) {
                            devices.put((vendor << 16) | Integer.parseInt(line.substring(1, 5), 16),
                                    line.substring(7).trim());
                        }
                    } else if (line.length() > 6) {
                        vendor = Integer.parseInt(line.substring(0, 4), 16);
                        vendors.put(vendor, line.substring(6).trim());
                    }
                } catch (NumberFormatException e) {
                    // skipped
                }
            }
        }

        Optional<String> name(PciId id) {
            String v = vendors.get(id.vendor());
            if (v == null) return Optional.empty();
            String d = devices.get((id.vendor() << 16) | id.device());
            return Optional.of(d == null ? v + " Device " + String.format("%04x", id.device()) : v + " " + d);
        }
    }

    @Test
    void answersAsTheWholeFileParseOnTheSystemsFile() throws IOException {
        Path system = PciIds.SYSTEM_PATHS.stream().filter(Files::isRegularFile).findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(system != null, "no pci.ids on this machine");
        String text = Files.readString(system, StandardCharsets.UTF_8);
        compare(text, PciIds.read(system), new Random(1), 20_000);
    }

    @Test
    void answersAsTheWholeFileParseOnAwkwardFiles() throws IOException {
        String awkward = "# header\r\n"
                + "1234  First\r\n\t0001  one\r\n\t\t1111 2222  subsystem\r\n"
                + "zzzz  not hex: devices below still belong to 1234\n\t0002  two\n"
                + "12  short\n\t0003  three\n"
                + "5678  Second\n\tzzzz  bad device\n\t0001\n\t0004  \n"
                + "1234  First again\n\t0001  one, redefined\n\t0005  five\n"
                + "\n#\n\t0006  orphan\n"
                + "+abc  Plus sign\n\t+001  plus device\n"
                + "C 00  Unclassified device\n9999  after the classes\n\t0001  never\n";
        Path file = dir.resolve("awkward.ids");
        Files.writeString(file, awkward);
        compare(awkward, PciIds.read(file), new Random(2), 0);
        Path noNewline = dir.resolve("end.ids");
        Files.writeString(noNewline, "abcd  Last\n\t0001  no newline at the end");
        compare(Files.readString(noNewline), PciIds.read(noNewline), new Random(3), 0);
    }

    private static void compare(String text, PciIds ids, Random r, int randomIds) throws IOException {
        Reference ref = new Reference(text);
        Set<PciId> asked = new HashSet<>();
        for (int key : ref.devices.keySet()) asked.add(new PciId(key >>> 16, key & 0xffff));
        for (int v : ref.vendors.keySet()) {
            if (v >= 0 && v <= 0xffff) {
                for (int d : new int[] {0, 1, 2, 3, 4, 5, 6, 0x1234, 0xffff}) asked.add(new PciId(v, d));
            }
        }
        for (int i = 0; i < randomIds; i++) asked.add(new PciId(r.nextInt(0x10000), r.nextInt(0x10000)));
        for (PciId id : asked) {
            assertThat(ids.name(id)).as(id.toString()).isEqualTo(ref.name(id));
            assertThat(ids.name(id)).as(id + ", asked again").isEqualTo(ref.name(id));
        }
        assertThat(ids.isEmpty()).isEqualTo(ref.vendors.isEmpty());
    }
}
