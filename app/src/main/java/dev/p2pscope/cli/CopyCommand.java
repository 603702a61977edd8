package dev.p2pscope.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.p2pscope.core.live.BufferChoice;
import dev.p2pscope.core.live.CopyEngine;
import dev.p2pscope.core.live.CopyOptions;
import dev.p2pscope.core.live.CopyPlan;
import dev.p2pscope.core.live.CopyResult;
import dev.p2pscope.core.live.DmaBuffer;
import dev.p2pscope.core.live.Preflight;
import dev.p2pscope.core.model.PciAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/// `copy`: a real copy through a p2pmem buffer with O_DIRECT, like `p2pmem-test`, with its option names.
///
/// Exit codes: 0 copied (and matched, with --check), 2 usage, 4 refused (safety rail or preflight) or failed
/// (including a data mismatch).
@Command(name = "copy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Copy SRC to DST through a p2pmem buffer with O_DIRECT reads and writes, like p2pmem-test.",
                "Only DST is ever written (SRC is opened read-only, also with --check); writing to a block device "
                        + "needs --allow-write-device naming it; mounted, held or swap devices are refused; sizes are "
                        + "checked before anything is opened for writing."})
final class CopyCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SRC", description = "file or block device to read")
    Path src;

    @Parameters(index = "1", paramLabel = "DST", description = "file or block device to write")
    Path dst;

    @Option(names = "--p2pmem", defaultValue = "none", paramLabel = "PATH|BDF|auto|emulate|none",
            description = "the buffer: /sys/bus/pci/devices/BDF/p2pmem/allocate or just BDF (kernel 6.2+); "
                    + "/dev/p2pmemN (out-of-tree p2pmem-pci driver); /dev/nvmeN (unmerged patch series only: refused "
                    + "unless --force); auto = the provider the kernel would pick; emulate = host memory standing in "
                    + "for p2pmem; none = host memory (default)")
    String p2pmem;

    @Option(names = {"-s", "--chunk-size", "--chunk_size"}, defaultValue = "4096", converter = ByteSize.class,
            paramLabel = "BYTES", description = "bytes per chunk (4096, 4k, 1M, ...); default ${DEFAULT-VALUE}")
    long chunkSize;

    @Option(names = {"-c", "--chunks"}, defaultValue = "1024", paramLabel = "N",
            description = "number of chunks; default ${DEFAULT-VALUE}")
    long chunks;

    @Option(names = {"-t", "--threads"}, defaultValue = "1", paramLabel = "N",
            description = "threads (must divide the chunks); default ${DEFAULT-VALUE}")
    int threads;

    @Option(names = {"-D", "--duration"}, defaultValue = "-1", paramLabel = "SECONDS",
            description = "seconds to run (-1: one pass, the default)")
    double duration;

    @Option(names = {"-o", "--offset"}, defaultValue = "0", converter = ByteSize.class,
            paramLabel = "BYTES", description = "byte offset into both devices (0, 1M, ...); default ${DEFAULT-VALUE}")
    long offset;

    @Option(names = "--check", description = "afterwards, verify every chunk of DST against SRC's own content "
            + "(CRC32C per chunk and XOR parity); SRC is never written. Needs both the read and the write")
    boolean check;

    @Option(names = "--seed", paramLabel = "N", description = "accepted for p2pmem-test compatibility; --check reads SRC instead of "
            + "seeding it, so the seed changes nothing")
    Long seed;

    @Option(names = {"--skip-read", "--skip_read"}, description = "do not read SRC")
    boolean skipRead;

    @Option(names = {"--skip-write", "--skip_write"}, description = "do not write DST")
    boolean skipWrite;

    @Option(names = "--overlap", description = "wrap around inside the devices instead of needing chunks x size")
    boolean overlap;

    @Option(names = "--allow-write-device", paramLabel = "DEV", description = "a block device that may be written")
    List<Path> allowWrite = new ArrayList<>();

    @Option(names = "--force", description = "run even when the preflight predicts the kernel's refusal "
            + "(NOT_SUPPORTED, a multipath head, a device that is not NVMe); never past the safety rails")
    boolean force;

    @Option(names = "--json", description = "print the result as JSON")
    boolean json;

    @Option(names = "--root", defaultValue = "/", hidden = true, description = "filesystem root for sysfs and /proc (tests)")
    Path root;

    /// The arguments as the copy's options (a usage error when they do not fit together).
    CopyOptions options() {
        try {
            return new CopyOptions(src, dst, chunkSize, chunks, threads, offset, duration, check,
                    seed == null ? CopyOptions.DEFAULT_SEED : seed, skipRead, skipWrite, overlap,
                    allowWrite);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
    }

    /// The plan for these arguments: core decides everything; this command only prints it.
    CopyPlan plan(CopyOptions opts) {
        BufferChoice choice;
        try {
            choice = BufferChoice.parse(p2pmem);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "--p2pmem: " + e.getMessage());
        }
        return CopyPlan.of(opts, choice, root, force);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CopyOptions opts = options();
        CopyPlan plan = plan(opts);
        if (!json) plan.lines().forEach(out::println);
        if (!plan.mayRun()) {
            throw new CliException(ExitCodes.LIVE_REFUSED, (plan.refusals().isEmpty() ? "" : "refused: ")
                    + plan.refusal() + (plan.refusals().isEmpty() ? "" : "; nothing was opened for writing"));
        }
        CopyEngine engine = plan.engine();
        try (DmaBuffer buffer = plan.openBuffer()) {
            if (!json) header(out, opts, buffer);
            boolean tty = System.console() != null && !json;
            CopyResult r = engine.run(buffer, p -> {
                if (tty) err.printf("\r  %,d / %s bytes  %.1f s  %.1f MB/s   ", p.bytesMoved(),
                        p.totalBytes() < 0 ? "?" : String.format("%,d", p.totalBytes()), p.seconds(), p.lastSecondMBs());
                err.flush();
            });
            if (tty) err.println();
            if (json) {
                Json.print(out, json(opts, buffer, plan, r));
            } else {
                report(out, opts, r);
            }
            return r.check() != null && !r.check().match() ? ExitCodes.LIVE_REFUSED : ExitCodes.OK;
        } catch (IOException e) {
            throw new CliException(ExitCodes.LIVE_REFUSED, "cannot map the buffer: " + e.getMessage()
                    + "; nothing was opened for writing");
        } catch (CopyEngine.CopyException e) {
            throw new CliException(ExitCodes.LIVE_REFUSED, "copy failed: " + e.getMessage());
        }
    }

    private static String size(long bytes) {
        if (bytes >= 1L << 40) return String.format(Locale.ROOT, "%.1fTB", bytes / 1e12);
        if (bytes >= 1L << 30) return String.format(Locale.ROOT, "%.1fGB", bytes / 1e9);
        if (bytes >= 1L << 20) return String.format(Locale.ROOT, "%.1fMB", bytes / 1e6);
        return String.format(Locale.ROOT, "%.1fkB", bytes / 1e3);
    }

    private static long sizeOf(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.size(p) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /// A file's size, "new file" for one the copy will create, or "device".
    private static String describe(Path p) {
        if (!Files.exists(p)) return "new file";
        long n = sizeOf(p);
        return n < 0 ? "device" : size(n);
    }

    private void header(PrintWriter out, CopyOptions o, DmaBuffer b) {
        out.printf("Running p2pscope copy: reading %s (%s): writing %s (%s): %s buffer %s.%n", o.source(),
                describe(o.source()), o.destination(), describe(o.destination()),
                b.kind() == DmaBuffer.Kind.EMULATED ? "EMULATED p2pmem" : b.kind() == DmaBuffer.Kind.HOST ? "host memory"
                        : "p2pmem", b.label());
        out.printf("\tchunk size = %d : number of chunks = %d: total = %s : thread(s) = %d : overlap = %s.%n",
                o.chunkSize(), o.chunks(), size(o.total()), o.threads(), o.overlap() ? "ON" : "OFF");
        out.printf("\tskip-read = %s : skip-write = %s : duration = %s sec.%n", o.skipRead() ? "ON" : "OFF",
                o.skipWrite() ? "ON" : "OFF", o.durationSeconds() < 0 ? "INF" : o.durationSeconds());
        out.printf("\tbuffer = 0x%x (%s): mmap = %s%n", b.memory().address(), b.kind().name().toLowerCase(Locale.ROOT),
                size(b.size()));
        out.printf("\tPAGE_SIZE = 4096B%n");
        if (o.check()) out.printf("\tchecking data: every chunk of the destination against the source (read-only)%n");
        if (b.kind() == DmaBuffer.Kind.EMULATED) {
            out.println("\tNOTE: emulated p2pmem: the data goes through host RAM, not a device's memory.");
        }
    }

    private static void report(PrintWriter out, CopyOptions o, CopyResult r) {
        if (r.check() != null) out.println(r.checkLine());
        out.println("Transfer:");
        out.printf(" %s in %.4f s    %.2f MB/s%n", size(Math.max(r.bytesRead(), r.bytesWritten())), r.seconds(),
                r.rateMBs());
        if (!r.perSecondMBs().isEmpty()) {
            out.println(" per second (MB/s): " + String.join(" ", r.perSecondMBs().stream()
                    .map(x -> String.format(Locale.ROOT, "%.1f", x)).toList()));
        }
    }

    private static ObjectNode json(CopyOptions o, DmaBuffer b, CopyPlan plan, CopyResult r) {
        PciAddress provider = plan.provider();
        Preflight.Result pre = plan.preflight();
        ObjectNode j = JsonNodeFactory.instance.objectNode();
        j.put("source", o.source().toString());
        j.put("destination", o.destination().toString());
        if (plan.source() == null) j.putNull("sourceDevice"); else j.put("sourceDevice", plan.source().describe());
        if (plan.destination() == null) j.putNull("destinationDevice");
        else j.put("destinationDevice", plan.destination().describe());
        j.put("buffer", b.label());
        j.put("bufferKind", b.kind().name().toLowerCase(Locale.ROOT));
        j.put("emulated", b.kind() == DmaBuffer.Kind.EMULATED);
        if (provider == null) j.putNull("provider"); else j.put("provider", provider.toString());
        ArrayNode pv = j.putArray("preflight");
        pre.verdicts().forEach(v -> pv.add(Json.verdict(v)));
        if (plan.forced()) {
            ArrayNode fr = j.putArray("forcedRefusals");
            pre.refusals().forEach(fr::add);
        }
        j.put("chunkSize", o.chunkSize());
        j.put("chunks", o.chunks());
        j.put("threads", o.threads());
        j.put("bytesRead", r.bytesRead());
        j.put("bytesWritten", r.bytesWritten());
        j.put("seconds", r.seconds());
        j.put("rateMBs", r.rateMBs());
        ArrayNode ps = j.putArray("perSecondMBs");
        r.perSecondMBs().forEach(ps::add);
        if (r.check() == null) j.putNull("check"); else {
            ObjectNode c = j.putObject("check");
            c.put("match", r.check().match());
            c.put("expected", String.format(Locale.ROOT, "0x%016x", r.check().expectedParity()));
            c.put("actual", String.format(Locale.ROOT, "0x%016x", r.check().actualParity()));
            c.put("mismatchedChunks", r.check().mismatchedChunks());
        }
        return j;
    }
}
