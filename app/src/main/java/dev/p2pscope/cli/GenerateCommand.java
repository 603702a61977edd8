package dev.p2pscope.cli;

import dev.p2pscope.core.text.IoText;
import dev.p2pscope.core.generate.TopologyGenerator;
import dev.p2pscope.core.model.Cpu;
import dev.p2pscope.core.model.PciId;
import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.topology.TopologyJson;
import dev.p2pscope.core.topology.sysfs.SysfsExporter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/// `generate`: a synthetic topology, seeded and repeatable, as JSON or as a sysfs tree.
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write a synthetic topology (seeded, repeatable) as JSON or a sysfs tree.")
final class GenerateCommand implements Callable<Integer> {

    /// Output formats.
    enum Format { json, sysfs }

    @Spec CommandSpec spec;

    @Option(names = "--endpoints", paramLabel = "N", description = "aim for about N endpoints, 1 to 100,000 (sets the shape below)")
    Integer endpoints;

    @Option(names = "--root-complexes", defaultValue = "2", paramLabel = "N", description = "root complexes (each a domain and host bridge); default ${DEFAULT-VALUE}")
    int complexes;

    @Option(names = "--root-ports", defaultValue = "2", paramLabel = "N", description = "root ports per root complex (1-248); default ${DEFAULT-VALUE}")
    int rootPorts;

    @Option(names = "--switch-depth", defaultValue = "1", paramLabel = "N", description = "nested switch levels under each root port (0-16); default ${DEFAULT-VALUE}")
    int depth;

    @Option(names = "--fanout", defaultValue = "4", paramLabel = "N", description = "downstream ports per switch (1-32); default ${DEFAULT-VALUE}")
    int fanout;

    @Option(names = "--functions", defaultValue = "1", paramLabel = "N", description = "functions per endpoint device (1-8); default ${DEFAULT-VALUE}")
    int functions;

    @Option(names = "--vfs", defaultValue = "0", paramLabel = "N", description = "VFs per physical function (0-240); default ${DEFAULT-VALUE}")
    int vfs;

    @Option(names = "--acs-density", defaultValue = "0.1", paramLabel = "P", description = "probability of ACS redirect on a port (0-1); default ${DEFAULT-VALUE}")
    double acs;

    @Option(names = "--p2pmem-density", defaultValue = "0.1", paramLabel = "P", description = "probability an endpoint publishes p2pmem (0-1); default ${DEFAULT-VALUE}")
    double p2pmem;

    @Option(names = "--host-bridge", defaultValue = "8086:09a2", paramLabel = "VVVV:DDDD", description = "vendor:device of each root bus's first device; default ${DEFAULT-VALUE}")
    String hostBridge;

    @Option(names = "--cpu", defaultValue = "GenuineIntel:6", paramLabel = "VENDOR[:FAMILY]", description = "the CPU; default ${DEFAULT-VALUE}")
    String cpu;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "the seed (the same seed, the same tree); default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--format", defaultValue = "json", paramLabel = "json|sysfs", description = "json or sysfs; default ${DEFAULT-VALUE}")
    Format format;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "PATH", description = "file (json, - for stdout) or directory (sysfs)")
    String output;

    @Override
    public Integer call() {
        TopologyGenerator.Spec s;
        try {
            s = endpoints != null ? TopologyGenerator.Spec.forEndpoints(endpoints, seed)
                    : new TopologyGenerator.Spec(complexes, rootPorts, depth, fanout, functions, vfs, acs, p2pmem,
                    PciId.parse(hostBridge), Cpu.parse(cpu), seed);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
        Topology t;
        try {
            t = TopologyGenerator.generate(s);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, e.getMessage());
        }
        try {
            if (format == Format.sysfs) {
                SysfsExporter.export(t, Path.of(output));
            } else if (output.equals("-")) {
                spec.commandLine().getOut().print(TopologyJson.write(t));
                return ExitCodes.OK;
            } else {
                Files.writeString(Path.of(output), TopologyJson.write(t));
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.BAD_INPUT, "cannot write " + output + ": " + IoText.reason(e));
        }
        spec.commandLine().getErr().println("wrote " + t.size() + " functions to " + output);
        return ExitCodes.OK;
    }
}
