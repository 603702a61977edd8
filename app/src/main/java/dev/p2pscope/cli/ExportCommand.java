package dev.p2pscope.cli;

import dev.p2pscope.core.text.IoText;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.text.DotText;
import dev.p2pscope.core.topology.TopologyJson;
import dev.p2pscope.core.topology.sysfs.SysfsExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/// `export`: write a topology out, with what-if options applied.
@Command(name = "export", mixinStandardHelpOptions = true, description = "Write the topology out (what-if applied).")
final class ExportCommand implements Callable<Integer> {

    /// Formats this build can write.
    enum Format { json, dot, sysfs }

    @Spec CommandSpec spec;
    @Mixin SourceOptions source;
    @Mixin WhatIfOptions whatIf;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "one of: ${COMPLETION-CANDIDATES}")
    Format format;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PATH", description = "where to write (- = stdout)")
    String output;

    @Override
    public Integer call() throws Exception {
        Topology t = source.load(whatIf);
        if (format == Format.sysfs) {
            if (output.equals("-")) throw new CliException(ExitCodes.USAGE, "--format sysfs writes a directory: give -o DIR");
            try {
                SysfsExporter.export(t, Path.of(output));
            } catch (IOException e) {
                throw new CliException(ExitCodes.BAD_INPUT, "cannot write " + output + ": " + IoText.reason(e));
            }
            spec.commandLine().getErr().println("wrote a sysfs tree to " + output + " (read it back with --sysfs "
                    + output + ")");
            return ExitCodes.OK;
        }
        String text = switch (format) {
            case json -> TopologyJson.write(t);
            case dot -> DotText.render(t);
            case sysfs -> throw new IllegalStateException();
        };
        if (output.equals("-")) {
            spec.commandLine().getOut().print(text);
        } else {
            try {
                Files.writeString(Path.of(output), text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CliException(ExitCodes.BAD_INPUT, "cannot write " + output + ": " + IoText.reason(e));
            }
            spec.commandLine().getErr().println("wrote " + output);
        }
        return ExitCodes.OK;
    }
}
