package dev.p2pscope.core.topology;

import dev.p2pscope.core.text.VerdictText;
import dev.p2pscope.core.engine.MapType;
import dev.p2pscope.core.engine.P2pdmaEngine;
import dev.p2pscope.core.engine.Verdict;
import dev.p2pscope.core.model.PciAddress;
import dev.p2pscope.core.model.Topology;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/// What a real Linux 6.12 kernel with P2PDMA did on three QEMU captures (their `.observed.md`): a DMA by device D
/// into provider P's p2pmem succeeded exactly when our verdict for (provider P, client D) is not NOT_SUPPORTED.
class RealKernelTest {

    private static final Pattern DIRECT = Pattern.compile(
            "^\\| O_DIRECT (read|write) \\| (\\S+) \\| (\\S+) \\(/dev/\\S+\\) \\| (\\S+) \\|");
    private static final Pattern COPY = Pattern.compile(
            "^\\| copy \\S+ -> \\S+ staged in p2pmem \\| (\\S+) \\| pread by (\\S+), pwrite by (\\S+) \\| "
                    + "pread (\\S+), pwrite ([\\w-]+) \\|");

    /// One DMA the real kernel attempted: provider, the device doing it, and whether it worked.
    record Attempt(String what, PciAddress provider, PciAddress client, boolean ok) { }

    static List<Attempt> attempts(String capture) throws Exception {
        List<Attempt> out = new ArrayList<>();
        for (String line : Files.readAllLines(SnapshotsTest.dir().resolve(capture + ".observed.md"))) {
            Matcher d = DIRECT.matcher(line);
            if (d.find()) {
                out.add(new Attempt("O_DIRECT " + d.group(1), PciAddress.parse(d.group(2)),
                        PciAddress.parse(d.group(3)), d.group(4).equals("OK")));
                continue;
            }
            Matcher c = COPY.matcher(line);
            if (c.find()) {
                PciAddress p = PciAddress.parse(c.group(1));
                out.add(new Attempt("copy: pread", p, PciAddress.parse(c.group(2)), c.group(4).equals("OK")));
                if (!c.group(5).equals("not-run")) {
                    out.add(new Attempt("copy: pwrite", p, PciAddress.parse(c.group(3)), c.group(5).equals("OK")));
                }
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyAttemptOfTheRealKernelMatchesTheVerdict() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (String capture : List.of("qemu612-base", "qemu612-epyc-cpu", "qemu612-acsdsp-config-acs-rr")) {
            Topology t = SnapshotsTest.load(capture);
            List<Attempt> attempts = attempts(capture);
            tests.add(DynamicTest.dynamicTest(capture + ": the observed table was read", () ->
                    assertThat(attempts).hasSizeGreaterThanOrEqualTo(30)));
            for (Attempt at : attempts) {
                tests.add(DynamicTest.dynamicTest(capture + ": " + at, () -> {
                    Verdict v = new P2pdmaEngine(t).decide(at.provider(), at.client());
                    assertThat(v.mapType() != MapType.NOT_SUPPORTED).as(VerdictText.reason(v)).isEqualTo(at.ok());
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> theZenCaptureAllowsEveryPairAndTheBaseOnlyTheSwitchPair() throws Exception {
        List<String> nvme = List.of("0000:03:00.0", "0000:04:00.0", "0000:05:00.0");
        List<DynamicTest> tests = new ArrayList<>();
        Topology base = SnapshotsTest.load("qemu612-base");
        Topology epyc = SnapshotsTest.load("qemu612-epyc-cpu");
        for (String p : nvme) {
            for (String c : nvme) {
                tests.add(DynamicTest.dynamicTest(p + " -> " + c, () -> {
                    MapType e = new P2pdmaEngine(epyc).decide(PciAddress.parse(p), PciAddress.parse(c)).mapType();
                    assertThat(e).isNotEqualTo(MapType.NOT_SUPPORTED);
                    MapType b = new P2pdmaEngine(base).decide(PciAddress.parse(p), PciAddress.parse(c)).mapType();
                    boolean sameSwitchOrSelf = p.equals(c) || !p.equals("0000:05:00.0") && !c.equals("0000:05:00.0");
                    assertThat(b != MapType.NOT_SUPPORTED).isEqualTo(sameSwitchOrSelf);
                }));
            }
        }
        return tests.stream();
    }
}
