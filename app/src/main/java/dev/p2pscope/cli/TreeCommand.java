package dev.p2pscope.cli;

import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.text.TreeText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/// `tree`: the hierarchy as text, indented like `lspci -tv`.
@Command(name = "tree", mixinStandardHelpOptions = true, description = "The PCI hierarchy, drawn like lspci -tv.")
final class TreeCommand implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin SourceOptions source;
    @Mixin WhatIfOptions whatIf;

    @Option(names = "--numeric", description = "vendor:device IDs instead of names (like lspci -tvn)")
    boolean numeric;

    @Override
    public Integer call() throws Exception {
        Topology t = source.load(whatIf);
        spec.commandLine().getOut().print(numeric ? TreeText.numeric(t) : TreeText.named(t));
        if (!numeric) {
            // --numeric stays byte for byte lspci -tvn; the named view adds what the host says.
            spec.commandLine().getOut().println("# " + t.cpu() + ", kernel profile " + t.kernel()
                    + (t.host().isEmpty() ? "" : "; " + dev.p2pscope.core.text.VerdictText.hostLine(t).substring(10)));
        }
        return ExitCodes.OK;
    }
}
