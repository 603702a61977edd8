package dev.p2pscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static dev.p2pscope.cli.CliTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CopyCommandTest {

    @TempDir Path dir;

    Path src() throws Exception {
        byte[] b = new byte[1 << 20];
        new Random(3).nextBytes(b);
        Path p = dir.resolve("src");
        Files.write(p, b);
        return p;
    }

    @Test
    void anEmulatedCopyPrintsLikeP2pmemTestAndSaysItIsEmulated() throws Exception {
        Path src = src();
        byte[] before = Files.readAllBytes(src);
        CliTest.Run r = run("copy", src.toString(), dir.resolve("dst").toString(), "--p2pmem", "emulate", "-s", "65536",
                "-c", "16", "--check", "--seed", "9", "--root", dir.toString());
        Assumptions.assumeFalse(r.err().contains("Invalid argument"), "this filesystem refuses O_DIRECT");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Running p2pscope copy: reading").contains("EMULATED p2pmem")
                .contains("MATCH on data check").contains("Transfer:");
        // --check compares with the source; it never writes it.
        assertThat(Files.readAllBytes(src)).isEqualTo(before);
    }

    @Test
    void checkWithSkipReadOrSkipWriteIsAUsageErrorAndTouchesNothing() throws Exception {
        Path src = src();
        Path dst = dir.resolve("dst");
        for (String skip : new String[] {"--skip-read", "--skip-write"}) {
            CliTest.Run r = run("copy", src.toString(), dst.toString(), "--p2pmem", "emulate", "-s", "64k", "-c", "4",
                    "--check", skip, "--root", dir.toString());
            assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains("--check compares the destination with the source");
            assertThat(dst).doesNotExist();
        }
    }

    @Test
    void aSourceSmallerThanTheCopyIsRefusedBeforeTheBannerAndNoDestinationIsCreated() throws Exception {
        Path src = src();
        Path dst = dir.resolve("new-dst");
        CliTest.Run r = run("copy", src.toString(), dst.toString(), "--p2pmem", "emulate", "-s", "1M", "-c", "256",
                "--check", "--root", dir.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.LIVE_REFUSED);
        assertThat(r.err()).contains("holds 1048576 bytes; the copy needs 268435456").contains("nothing was opened");
        assertThat(r.out()).doesNotContain("Running");
        assertThat(dst).doesNotExist();
    }

    @Test
    void overlapWithCheckMatchesAndNoFileGrows() throws Exception {
        Path src = src();
        byte[] before = Files.readAllBytes(src);
        Path dst = dir.resolve("dst");
        CliTest.Run r = run("copy", src.toString(), dst.toString(), "--p2pmem", "emulate", "-s", "256k", "-c", "8",
                "-t", "2", "--overlap", "--check", "--root", dir.toString());
        Assumptions.assumeFalse(r.err().contains("Invalid argument"), "this filesystem refuses O_DIRECT");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("MATCH on data check");
        assertThat(Files.readAllBytes(src)).isEqualTo(before);
        assertThat(Files.readAllBytes(dst)).isEqualTo(before);
    }

    @Test
    void jsonReportsTheCopyAndTheCheck() throws Exception {
        Path src = src();
        CliTest.Run r = run("copy", src.toString(), dir.resolve("dst").toString(), "--p2pmem", "emulate", "-s", "64k",
                "-c", "16", "-t", "2", "--check", "--json", "--root", dir.toString());
        Assumptions.assumeFalse(r.err().contains("Invalid argument"), "this filesystem refuses O_DIRECT");
        JsonNode j = r.json();
        assertThat(j.get("emulated").asBoolean()).isTrue();
        assertThat(j.get("bytesWritten").asLong()).isEqualTo(16L * 65536);
        assertThat(j.get("check").get("match").asBoolean()).isTrue();
        assertThat(j.get("threads").asInt()).isEqualTo(2);
    }

    @Test
    void refusalsAreExitCodeFour() throws Exception {
        Path src = src();
        CliTest.Run same = run("copy", src.toString(), src.toString(), "--root", dir.toString());
        assertThat(same.code()).isEqualTo(ExitCodes.LIVE_REFUSED);
        assertThat(same.err()).contains("same file");
        CliTest.Run badThreads = run("copy", src.toString(), dir.resolve("d").toString(), "-c", "10", "-t", "3");
        assertThat(badThreads.code()).isEqualTo(ExitCodes.USAGE);
        CliTest.Run noProvider = run("copy", src.toString(), dir.resolve("d").toString(), "--p2pmem",
                dir.resolve("no-such/p2pmem/allocate").toString(), "--root", dir.toString());
        assertThat(noProvider.code()).isEqualTo(ExitCodes.LIVE_REFUSED);
        CliTest.Run badSize = run("copy", src.toString(), dir.resolve("d").toString(), "-s", "4q");
        assertThat(badSize.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(badSize.err()).contains("'4q' is not a size");
    }

    @Test
    void sizesTakeP2pmemTestsBinarySuffixes() {
        assertThat(ByteSize.parse("4096")).isEqualTo(4096);
        assertThat(ByteSize.parse("4k")).isEqualTo(4096);
        assertThat(ByteSize.parse("2M")).isEqualTo(2L << 20);
        assertThat(ByteSize.parse("1GiB")).isEqualTo(1L << 30);
        assertThat(ByteSize.parse("1T")).isEqualTo(1L << 40);
        assertThat(ByteSize.parse("0x1000")).isEqualTo(4096);
        assertThatThrownBy(() -> ByteSize.parse("-1k")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> ByteSize.parse("99999999999T")).hasMessageContaining("out of range");
    }
}
