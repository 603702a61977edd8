package dev.p2pscope;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/// When this process started, and where the window's start spends its time.
///
/// With the trace on (below) each [#mark] prints one line on stderr with the wall time since the process
/// started and the CPU time the process has used so far (both in milliseconds), so a slow start can be taken apart
/// without a profiler. Costs nothing when the property is unset. How to use it: docs/performance.md, "Start".
public final class StartTrace {

    /// True when the trace is on (read once): `-Dp2pscope.startTrace=true`, or `P2PSCOPE_START_TRACE=1` in the
    /// environment, which reaches the JVM through ./p2pscope without changing its options (nor the start-up cache
    /// they key).
    public static final boolean ON = Boolean.getBoolean("p2pscope.startTrace")
            || "1".equals(System.getenv("P2PSCOPE_START_TRACE"));
    /// Linux's USER_HZ: the unit of the start time in `/proc/self/stat`, fixed at 100 by the kernel's ABI.
    private static final long TICKS_PER_SECOND = 100;
    private static final long STARTED_NANOS = ON ? processStartNanos() : 0;

    private StartTrace() {
    }

    /// Prints `[start] WALL ms wall, CPU ms cpu: what` when the trace is on.
    public static void mark(String what) {
        if (!ON) return;
        long wall = (System.nanoTime() - STARTED_NANOS) / 1_000_000;
        long cpu = ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
        System.err.printf("[start] %5d ms wall %5d ms cpu: %s%n", wall, cpu, what);
    }

    /// When this process started, on the [System#nanoTime()] scale (./p2pscope execs java, so the process started
    /// with the command). On Linux from `/proc`: the start time in `/proc/self/stat` and the time since boot in
    /// `/proc/uptime` are both counted from boot, to 10 ms. Not [ProcessHandle.Info#startInstant()]: the JDK adds
    /// that start time to the boot time `/proc/stat` gives in whole seconds, so its answer is up to a second early
    /// (0.77 s on the machine the start figures were measured on). Falls back to it, then to now.
    public static long processStartNanos() {
        long now = System.nanoTime();
        try {
            long ago = nanosSinceStart(Files.readString(Path.of("/proc/self/stat")),
                    Files.readString(Path.of("/proc/uptime")));
            if (ago >= 0) return now - ago;
        } catch (IOException | RuntimeException e) {
            // Not Linux, or /proc is not mounted: the JDK's coarser answer below.
        }
        return ProcessHandle.current().info().startInstant()
                .map(start -> now - Duration.between(start, Instant.now()).toNanos())
                .orElse(now);
    }

    /// How long ago a process started, in nanoseconds, from its `/proc/PID/stat` line and `/proc/uptime`.
    static long nanosSinceStart(String stat, String uptime) {
        // The command name is in parentheses and may hold spaces and parentheses itself; after the last ')' come
        // state (field 3) and the other fields, starttime being field 22 (proc(5)).
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long startTicks = Long.parseLong(f[22 - 3]);
        double uptimeSeconds = Double.parseDouble(uptime.trim().split(" ")[0]);
        return Math.round(uptimeSeconds * 1e9) - startTicks * (1_000_000_000L / TICKS_PER_SECOND);
    }
}
