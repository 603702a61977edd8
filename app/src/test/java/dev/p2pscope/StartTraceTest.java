package dev.p2pscope;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/// The process start time that `--bench-render`'s "time to first frame" counts from.
class StartTraceTest {

    @Test
    void startIsReadFromProcInClockTicks() {
        // A command name with a space and a parenthesis; starttime (field 22) is 123456 ticks = 1234.56 s after boot.
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 30 0 123456 "
                + "4000000000 30000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
        assertThat(StartTrace.nanosSinceStart(stat, "1236.06 2000.00\n")).isEqualTo(1_500_000_000L);
    }

    @Test
    void thisProcessStartedAtTheSecondTheJdkRoundsTo() {
        // The JDK's answer adds the start to the boot time in whole seconds: it is up to a second early, never late.
        long now = System.nanoTime();
        long jdkAgoMs = java.time.Duration.between(ProcessHandle.current().info().startInstant().orElseThrow(),
                java.time.Instant.now()).toMillis();
        long agoMs = (now - StartTrace.processStartNanos()) / 1_000_000;
        assertThat(agoMs).isPositive().isBetween(jdkAgoMs - 1_030, jdkAgoMs + 30);
    }
}
