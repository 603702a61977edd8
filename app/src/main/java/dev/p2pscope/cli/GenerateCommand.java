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

    @Option(names = "--endpoints", paramLabel = "N", description = "aim for about N endpoints (sets the shape below)")
    Integer endpoints;

    @Option(names = "--root-complexes", defaultValue = "2", description = "root complexes (each a domain and host bridge)")
    int complexes;

    @Option(names = "--root-ports", defaultValue = "2", description = "root ports per root complex")
    int rootPorts;

    @Option(names = "--switch-depth", defaultValue = "1", description = "nested switch levels under each root port")
    int depth;

    @Option(names = "--fanout", defaultValue = "4", description = "downstream ports per switch")
    int fanout;

    @Option(names = "--functions", defaultValue = "1", description = "functions per endpoint device (1-8)")
    int functions;

    @Option(names = "--vfs", defaultValue = "0", description = "VFs per physical function")
    int vfs;

    @Option(names = "--acs-density", defaultValue = "0.1", description = "probability of ACS redirect on a port")
    double acs;

    @Option(names = "--p2pmem-density", defaultValue = "0.1", description = "probability an endpoint publishes p2pmem")
    double p2pmem;

    @Option(names = "--host-bridge", defaultValue = "8086:09a2", description = "vendor:device of each root bus's first device")
    String hostBridge;

    @Option(names = "--cpu", defaultValue = "GenuineIntel:6", description = "VENDOR[:FAMILY]")
    String cpu;

    @Option(names = "--seed", defaultValue = "1", description = "the seed")
    long seed;

    @Option(names = "--format", defaultValue = "json", description = "json or sysfs")
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
