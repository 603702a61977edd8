package dev.p2pscope.cli;

import dev.p2pscope.core.topology.sysfs.SnapshotWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import dev.p2pscope.core.text.IoText;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
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
        Path dir = output.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new CliException(ExitCodes.BAD_INPUT, "cannot write " + output + ": the directory " + dir
                    + " does not exist");
        }
        try {
            int files = SnapshotWriter.capture(root, output);
            spec.commandLine().getOut().println("captured " + files + " files into " + output
                    + " (open it with --sysfs " + output + ")");
            return ExitCodes.OK;
        } catch (IOException e) {
            // Say which file failed and why (the exception's message alone is often just a path).
            String file = e instanceof FileSystemException f ? f.getFile() : null;
            throw new CliException(ExitCodes.BAD_INPUT, "cannot capture " + root + " into " + output + ": "
                    + (file == null ? "" : file + ": ") + IoText.reason(e));
        }
    }
}
