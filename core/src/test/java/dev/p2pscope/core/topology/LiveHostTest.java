package dev.p2pscope.core.topology;

import dev.p2pscope.core.topology.sysfs.SysfsLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/// This machine's own /sys, whatever it holds (skipped where there is no PCI tree).
@Tag("live")   // reads this machine's /sys
class LiveHostTest {

    @Test
    void thisHostsSysfsLoadsEveryFunction() throws Exception {
        Path devices = Path.of("/sys/bus/pci/devices");
        Assumptions.assumeTrue(Files.isDirectory(devices), "this machine has no /sys/bus/pci/devices");
        long count;
        try (Stream<Path> s = Files.list(devices)) {
            count = s.count();
        }
        Assumptions.assumeTrue(count > 0, "this machine has no PCI functions");
        LoadResult r = SysfsLoader.load(Path.of("/"));
        assertThat(r.topology().size()).isGreaterThanOrEqualTo((int) count);
        assertThat(r.topology().rootBuses()).isNotEmpty();
    }
}
