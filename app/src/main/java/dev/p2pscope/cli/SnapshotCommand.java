package dev.p2pscope.cli;

import dev.p2pscope.core.topology.sysfs.SnapshotWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/// `snapshot`: capture this host's PCI sysfs (only what the loader reads) into a `.tar.gz`.
@Command(name = "snapshot", mixinStandardHelpOptions = true,
        description = "Capture this host's PCI sysfs into a tarball that --sysfs reads back (like hwloc-gather-topology).")
final class SnapshotCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE.tar.gz", description = "where to write")
    Path output;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "/", hidden = true,
            description = "the filesystem root holding sys/ and proc/ (for tests)")
    Path root;

    @Override
    public Integer call() {
        try {
            int files = SnapshotWriter.capture(root, output);
            spec.commandLine().getOut().println("captured " + files + " files into " + output
                    + " (open it with --sysfs " + output + ")");
            return ExitCodes.OK;
        } catch (IOException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "cannot capture " + root + ": " + e.getMessage());
        }
    }
}
