package dev.p2pscope.cli;

import dev.p2pscope.core.topology.TopologySource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/// `samples`: one line per bundled sample, its name then its title.
@Command(name = "samples", mixinStandardHelpOptions = true, description = "List the bundled sample topologies.")
final class SamplesCommand implements Callable<Integer> {

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        int width = TopologySource.sampleNames().stream().mapToInt(String::length).max().orElse(10);
        for (String name : TopologySource.sampleNames()) {
            out.printf("%-" + width + "s  %s%n", name, TopologySource.sample(name).load().topology().name());
        }
        return ExitCodes.OK;
    }
}
