package dev.p2pscope.cli;

import dev.p2pscope.core.model.Topology;
import dev.p2pscope.core.topology.LoadResult;
import dev.p2pscope.core.topology.TopologyLoadException;
import dev.p2pscope.core.topology.TopologySource;
import dev.p2pscope.core.text.NoticeText;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/// Where the topology comes from: exactly one of `--topology`, `--sysfs`, `--lspci`, `--sample`.
public final class SourceOptions {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Choice choice;

    @Option(names = "--quiet", description = "do not print the notices met while loading the source")
    boolean quiet;

    @Spec(Spec.Target.MIXEE) CommandSpec mixee;

    /// The four sources, mutually exclusive.
    static final class Choice {
        @Option(names = TopologySource.TOPOLOGY_OPTION, paramLabel = "FILE", description = "a p2pscope-topology/1 JSON file")
        Path topology;

        @Option(names = TopologySource.SYSFS_OPTION, paramLabel = "PATH",
                description = "a sysfs tree: / for this host, a directory holding sys/, or a .tar.gz/.tar.bz2 snapshot")
        Path sysfs;

        @Option(names = TopologySource.LSPCI_OPTION, paramLabel = "FILE", description = "an lspci -xxx or -xxxx dump")
        Path lspci;

        @Option(names = TopologySource.SAMPLE_OPTION, paramLabel = "NAME", description = "a bundled sample (see: p2pscope samples)")
        String sample;
    }

    /// The chosen source, as core's one typed source.
    public TopologySource source() {
        if (choice.topology != null) return TopologySource.json(choice.topology);
        if (choice.sample != null) return TopologySource.sample(choice.sample);
        if (choice.sysfs != null) return TopologySource.sysfs(choice.sysfs);
        return TopologySource.lspci(choice.lspci);
    }

    /// Loads the chosen source.
    public LoadResult load() throws TopologyLoadException {
        LoadResult r = source().load();
        if (!quiet && mixee != null) {
            // The loaders' notices (skipped files, inferred facts, fallbacks) on stderr: a count and the first few.
            NoticeText.notices(r.notices()).forEach(mixee.commandLine().getErr()::println);
        }
        return r;
    }

    /// A short description of the source for headers.
    public String describe() {
        return source().describe();
    }

    /// Loads and applies the what-if edits.
    public Topology load(WhatIfOptions whatIf) throws TopologyLoadException {
        return whatIf.apply(load().topology());
    }
}
